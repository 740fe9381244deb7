using LabelFlip.Core.Tests.Detection;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Random;
using LabelFlip.Core.Reporting;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Tests.Experiments;

public class DrawAnalysisTests
{
    private const string Fractions = "\"poison.fraction\": [0, 0.1, 0.2, 0.3, 0.4, 0.5]";

    private static SweepConfig Config(string axes) => SweepConfig.FromJson($$"""{ "axes": { {{axes}} } }""");

    // Records whose test accuracy is given by a function of the run; train accuracy is fixed at 0.95, so the
    // generalization gap is 0.95 − test; five classes (chance 0.2).
    private static RunRecord[] Records(SweepConfig config, Func<RunSpec, double> testAccuracy) =>
        [.. Enumerable.Range(0, (int)config.RunCount).Select(i =>
        {
            RunSpec run = config.RunAt(i);
            double test = testAccuracy(run);
            return new RunRecord(i, config.CoordinatesAt(i), [0.95, test, 0.9, 0.95 - test, 0.3, 10, run.Poison.Fraction > 0 ? 0.5 : null, 5, null, null, null, .. NoDefence.Metrics]);
        })];

    private static double Sigmoid(double x, double x0, double k = 12) => 0.7 / (1 + Math.Exp(k * (x - x0))) + 0.2;

    // A shift of the midpoint per data draw, shared by every curve of the draw (what common data does), and a
    // smaller one per seed.
    private static double DrawShift(RunSpec run) => 0.01 * ((long)(run.Data.Seed * 7 % 5) - 2);

    private static double SeedShift(RunSpec run) => run.Seed == 1 ? -0.002 : 0.002;

    [Fact]
    public void Nothing_to_analyse_without_two_data_draws_and_five_fractions()
    {
        SweepConfig oneDraw = Config($"{Fractions}, \"data.seed\": [1], \"seed\": [1, 2]");
        Assert.Null(DrawAnalysis.Analyze(oneDraw, Records(oneDraw, r => Sigmoid(r.Poison.Fraction, 0.3))));
        SweepConfig noAxis = Config($"{Fractions}, \"seed\": [1, 2]");
        Assert.Null(SweepAnalysis.Analyze(noAxis, Records(noAxis, r => Sigmoid(r.Poison.Fraction, 0.3))).Draws);
        SweepConfig fewFractions = Config("\"poison.fraction\": [0, 0.2, 0.4, 0.5], \"data.seed\": [1, 2]");
        Assert.Null(DrawAnalysis.Analyze(fewFractions, Records(fewFractions, r => Sigmoid(r.Poison.Fraction, 0.3))));
    }

    [Fact]
    public void A_threshold_that_falls_by_five_points_per_width_step_in_every_draw_is_found_with_its_interval_and_exact_p()
    {
        // Midpoints 0.35, 0.30, 0.25 for widths 8, 16, 32, each moved by the draw's shift: every draw agrees.
        SweepConfig config = Config($"{Fractions}, \"model.hidden_widths\": [[8], [16], [32]], \"data.seed\": [1, 2, 3, 4, 5, 6, 7, 8], \"seed\": [1, 2]");
        double Midpoint(RunSpec r) => 0.35 - 0.05 * Math.Log2(r.Model.HiddenWidths[0] / 8.0) + DrawShift(r) + SeedShift(r);
        SweepSummary summary = SweepAnalysis.Analyze(config, Records(config, r => Sigmoid(r.Poison.Fraction, Midpoint(r))));
        DrawSummary draws = Assert.IsType<DrawSummary>(summary.Draws);

        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7, 8], draws.DataSeeds.ToArray());
        Assert.Equal(2, draws.SeedsPerDraw);
        Assert.Equal(ClusterBootstrap.DefaultResampleCount, draws.ResampleCount);
        Assert.Equal("model.hidden_widths", draws.ComparedAxis);
        Assert.Equal(["width 8", "width 16", "width 32"], draws.Curves.Select(c => c.Label));
        foreach (CurveIntervals curve in draws.Curves)
        {
            Assert.Equal(new ThresholdCensoring(8, 0, 0, 0), curve.DrawCensoring);
            Assert.Equal(0, curve.ResampleThresholds.Censored);
            Assert.Equal(draws.ResampleCount, curve.ResampleThresholds.Total);
            Assert.True(curve.K.Lower > 10 && curve.K.Upper < 14, $"{curve.Label}: k interval [{curve.K.Lower}, {curve.K.Upper}]");
            Assert.True(curve.Threshold.Lower <= curve.Threshold.Estimate && curve.Threshold.Estimate <= curve.Threshold.Upper);
            Assert.Equal(2 * 2.1972245773362196 / curve.K.Estimate, curve.DropWidth.Estimate, 12);
            // Every draw's own curve has k = 12 (its two seeds shift it by only ±0.002).
            Assert.InRange(curve.DrawSteepnessMedian.Lower, 11.5, 12.5);
            Assert.InRange(curve.DrawSteepnessMedian.Upper, 11.5, 12.5);
        }

        PairedComparison[] thresholds = [.. draws.Comparisons.Where(c => c.Metric == "threshold")];
        Assert.Equal([("width 8", "width 16"), ("width 8", "width 32"), ("width 16", "width 32")], thresholds.Select(p => (p.Lower, p.Upper)));
        foreach (PairedComparison pair in thresholds)
        {
            // The threshold of the sigmoid itself is read where it falls halfway from clean to chance:
            // x0 + ln(2/c − 1)/12 with c = 1/(1 + e^(−12·x0)), a little past the midpoint.
            static double Crossing(double x0) => x0 + Math.Log(2 * (1 + Math.Exp(-12 * x0)) - 1) / 12;
            static double MidpointOf(string label) => label switch { "width 8" => 0.35, "width 16" => 0.30, _ => 0.25 };
            double step = Crossing(MidpointOf(pair.Upper)) - Crossing(MidpointOf(pair.Lower));
            ConfidenceInterval mean = Assert.IsType<ConfidenceInterval>(pair.Mean);
            // The grid reads thresholds to 0.6/1999 ≈ 0.0003; a small seed shift moves the crossing a little more.
            Assert.InRange(mean.Lower, step - 0.003, step + 0.003);
            Assert.InRange(mean.Upper, step - 0.003, step + 0.003);
            Assert.Equal(new OrderingConsistency(0, 8, 0), pair.Ordering);
            // Eight negative differences: V = 0, exact p = 2·2⁻⁸, Holm over three pairs triples it.
            Assert.Equal(0, pair.Test.Statistic);
            Assert.Equal(WilcoxonMethod.Exact, pair.Test.Method);
            Assert.Equal(1.0 / 128, pair.Test.PValue);
            Assert.Equal(3.0 / 128, pair.AdjustedPValue);
        }
        Assert.Equal(Verdict.Yes, draws.Findings.Single(f => f.Key == "threshold_falls").Verdict);
        Assert.Contains("threshold(width 32) − threshold(width 8) = −9.5 points [", draws.Findings.Single(f => f.Key == "threshold_falls").Evidence);
        Assert.Contains("lower in 8/8 draws", draws.Findings.Single(f => f.Key == "threshold_falls").Evidence);
        Assert.Equal(Verdict.Yes, draws.Findings.Single(f => f.Key == "sharp_transition").Verdict);
        // Earlier thresholds leave lower test accuracy at 50%: the gap (0.95 − test) grows with width in every draw.
        Assert.Equal(Verdict.Yes, draws.Findings.Single(f => f.Key == "gen_gap_grows").Verdict);
    }

    [Fact]
    public void Curves_that_differ_only_by_noise_that_flips_sign_between_draws_are_inconclusive()
    {
        SweepConfig config = Config($"{Fractions}, \"model.hidden_widths\": [[8], [16]], \"data.seed\": [1, 2, 3, 4, 5, 6], \"seed\": [1]");
        // Width 16 is 2 points earlier in odd draws and 2 points later in even ones.
        double Midpoint(RunSpec r) => 0.3 + (r.Model.HiddenWidths[0] == 16 ? (r.Data.Seed % 2 == 1 ? -0.02 : 0.02) : 0);
        DrawSummary draws = DrawAnalysis.Analyze(config, Records(config, r => Sigmoid(r.Poison.Fraction, Midpoint(r))), resampleCount: 500)!;
        PairedComparison pair = draws.Comparisons.Single(c => c.Metric == "threshold");
        Assert.Equal(new OrderingConsistency(3, 3, 0), pair.Ordering);
        Assert.True(pair.Mean!.Value.Contains(0));
        Assert.Equal(Verdict.Inconclusive, draws.Findings.Single(f => f.Key == "threshold_falls").Verdict);
        Assert.Contains("decides nothing", draws.Findings.Single(f => f.Key == "threshold_falls").Evidence);
    }

    [Fact]
    public void Censored_thresholds_are_counted_by_kind_and_rank_above_every_reached_one()
    {
        SweepConfig config = Config($"{Fractions}, \"model.hidden_widths\": [[8], [16], [32]], \"data.seed\": [1, 2, 3, 4, 5, 6, 7, 8], \"seed\": [1]");
        // Width 8 never crosses on the grid (midpoint 0.75); width 16 crosses beyond 50% but within 60% in even
        // draws (extrapolated) and at 40% in odd ones; width 32 always at 25%.
        double Midpoint(RunSpec r) => r.Model.HiddenWidths[0] switch
        {
            8 => 0.75,
            16 => r.Data.Seed % 2 == 0 ? 0.56 : 0.40,
            _ => 0.25,
        };
        DrawSummary draws = DrawAnalysis.Analyze(config, Records(config, r => Sigmoid(r.Poison.Fraction, Midpoint(r))), resampleCount: 400)!;
        CurveIntervals w8 = draws.Curves[0], w16 = draws.Curves[1], w32 = draws.Curves[2];

        Assert.Equal(new ThresholdCensoring(0, 0, 8, 0), w8.DrawCensoring);
        Assert.All(w8.DrawThresholds, t => Assert.Equal(double.PositiveInfinity, t));
        Assert.Equal(double.PositiveInfinity, w8.Threshold.Estimate);
        Assert.Equal(400, w8.ResampleThresholds.NotReached);
        Assert.Equal(400, w8.Threshold.CensoredHighCount);

        Assert.Equal(new ThresholdCensoring(4, 4, 0, 0), w16.DrawCensoring);
        Assert.Equal([false, true, false, true, false, true, false, true], w16.DrawThresholds.Select(double.IsPositiveInfinity));
        // Median of four reached and four censored values (type 7 interpolates towards +∞): +∞.
        Assert.Equal(double.PositiveInfinity, w16.DrawThresholdMedian.Estimate);
        Assert.Equal(new ThresholdCensoring(8, 0, 0, 0), w32.DrawCensoring);

        PairedComparison w8w32 = draws.Comparisons.Single(c => c.Metric == "threshold" && c.Lower == "width 8" && c.Upper == "width 32");
        Assert.All(w8w32.Differences, d => Assert.Equal(double.NegativeInfinity, d));
        Assert.Null(w8w32.Mean);
        Assert.Equal(double.NegativeInfinity, w8w32.Median.Upper);
        Assert.Equal(new OrderingConsistency(0, 8, 0), w8w32.Ordering);
        // Width 16 against width 8: reached below censored in odd draws, both censored (a tie, 0) in even ones.
        PairedComparison w8w16 = draws.Comparisons.Single(c => c.Metric == "threshold" && c.Lower == "width 8" && c.Upper == "width 16");
        Assert.Equal(new OrderingConsistency(0, 4, 4), w8w16.Ordering);
        Assert.Equal(4, w8w16.Test.ZeroCount);
        // The ties are said to be censored pairs, not measured equalities.
        Assert.Equal((4, 0), (w8w16.BothCensored, w8w32.BothCensored));
        Assert.Contains("both censored, counted as ties, in 4/8 draws", draws.Findings.Single(f => f.Key == "threshold_falls").Evidence);
    }

    [Fact]
    public void Two_curves_censored_in_every_draw_are_reported_as_not_compared_not_as_equal()
    {
        SweepConfig config = Config($"{Fractions}, \"model.hidden_widths\": [[8], [16]], \"data.seed\": [1, 2, 3], \"seed\": [1]");
        // Neither width crosses (clean + chance)/2 within the grid: every threshold is +∞.
        RunRecord[] records = Records(config, r => Sigmoid(r.Poison.Fraction, 0.8 + 0.01 * r.Model.HiddenWidths[0] / 8));
        SweepSummary summary = SweepAnalysis.Analyze(config, records);
        DrawSummary draws = summary.Draws!;
        PairedComparison pair = draws.Comparisons.Single(c => c.Metric == "threshold");
        Assert.Equal(3, pair.BothCensored);
        Finding finding = draws.Findings.Single(f => f.Key == "threshold_falls");
        Assert.Equal(Verdict.Inconclusive, finding.Verdict);
        Assert.Contains("threshold(width 16) and threshold(width 8) are both censored in all 3 draws: no difference measured", finding.Evidence);
        Assert.DoesNotContain("0.0 points", finding.Evidence);
        var result = new SweepResult(config, [.. records], summary, new SweepTimings(TimeSpan.Zero, [], 1, 0));
        Assert.Contains("\"n_both_censored\": 3", ResultsJson.Results(result));
    }

    [Fact]
    public void Curve_intervals_equal_a_plain_two_stage_bootstrap_of_the_same_stream()
    {
        SweepConfig config = Config($"{Fractions}, \"data.seed\": [3, 1, 2], \"seed\": [5, 6]");
        double Accuracy(RunSpec r) => Sigmoid(r.Poison.Fraction, 0.3 + 0.02 * (r.Data.Seed - 2) + (r.Seed == 5 ? 0.01 : -0.01));
        RunRecord[] records = Records(config, Accuracy);
        const int resamples = 300;
        CurveIntervals curve = Assert.Single(DrawAnalysis.Analyze(config, records, resamples)!.Curves);

        // The reference: data[d][s][f] in axis order, resampled exactly as ClusterBootstrap documents.
        ulong[] dataSeeds = [3, 1, 2];
        ulong[] seeds = [5, 6];
        double[] x = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
        double Run(int d, int s, int f) => Accuracy(new RunSpec
        {
            Data = new DataSpec { Seed = dataSeeds[d] },
            Seed = seeds[s],
            Poison = new PoisonSpec { Fraction = x[f] },
        });
        var random = new RandomSource(DrawAnalysis.BootstrapSeed(config), StreamKey.Of(DrawAnalysis.CurveStream));
        double[] clean = new double[resamples], gap = new double[resamples], k = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double[] y = new double[x.Length];
            double gapSum = 0;
            for (int position = 0; position < 3; position++)
            {
                int d = random.NextInt(3);
                for (int pick = 0; pick < 2; pick++)
                {
                    int s = random.NextInt(2);
                    for (int f = 0; f < x.Length; f++)
                        y[f] += Run(d, s, f);
                    gapSum += 0.95 - Run(d, s, x.Length - 1);
                }
            }
            for (int f = 0; f < x.Length; f++)
                y[f] /= 6;
            clean[b] = y[0];
            gap[b] = gapSum / 6;
            k[b] = SigmoidFit.Fit(x, y).K;
        }
        static (double, double) Percentile(double[] values)
        {
            double[] sorted = [.. values.Order()];
            return (Descriptive.QuantileOfSorted(sorted, 0.025), Descriptive.QuantileOfSorted(sorted, 0.975));
        }
        Assert.Equal(Percentile(clean), (curve.CleanAccuracy.Lower, curve.CleanAccuracy.Upper));
        Assert.Equal(Percentile(gap), (curve.GapAtLargestFraction.Lower, curve.GapAtLargestFraction.Upper));
        Assert.Equal(Percentile(k), (curve.K.Lower, curve.K.Upper));
    }

    [Fact]
    public void The_analysis_depends_on_the_records_and_the_config_only()
    {
        SweepConfig config = Config($"{Fractions}, \"model.hidden_widths\": [[8], [16]], \"data.seed\": [1, 2, 3, 4], \"seed\": [1, 2]");
        RunRecord[] records = Records(config, r => Sigmoid(r.Poison.Fraction, 0.3 + DrawShift(r) + SeedShift(r)));
        DrawSummary first = DrawAnalysis.Analyze(config, records, 200)!;
        DrawSummary second = DrawAnalysis.Analyze(config, [.. records], 200)!;
        Assert.Equal(first.Curves.Select(c => (c.K, c.Threshold, c.DrawThresholdMedian)), second.Curves.Select(c => (c.K, c.Threshold, c.DrawThresholdMedian)));
        Assert.Equal(first.Findings.ToArray(), second.Findings.ToArray());
        Assert.Equal(DrawAnalysis.BootstrapSeed(config), first.BootstrapSeed);
        Assert.NotEqual(DrawAnalysis.BootstrapSeed(config), DrawAnalysis.BootstrapSeed(config.WithAxis(SweepAxis.Of("seed", new ulong[] { 1, 3 }))));
        Assert.Throws<ArgumentOutOfRangeException>("resampleCount", () => DrawAnalysis.Analyze(config, records, 0));
    }

    [Fact]
    public void The_curves_refitted_on_several_threads_are_the_bits_of_one()
    {
        SweepConfig config = Config($"{Fractions}, \"model.hidden_widths\": [[8], [16], [32]], \"data.seed\": [1, 2, 3, 4, 5], \"seed\": [1, 2]");
        // Midpoints from 0.2 to past the largest fraction: some resamples' thresholds censored.
        static double Midpoint(RunSpec r) => r.Model.HiddenWidths[0] switch { 8 => 0.52, 16 => 0.3, _ => 0.2 };
        RunRecord[] records = Records(config, r => Sigmoid(r.Poison.Fraction, Midpoint(r) + DrawShift(r) + SeedShift(r)));
        DrawSummary one = DrawAnalysis.Analyze(config, records, 300)!;
        foreach (int threads in new[] { 2, 3 })
        {
            DrawSummary many = DrawAnalysis.Analyze(config, records, 300, threads)!;
            Assert.Equal(one.Curves.Length, many.Curves.Length);
            for (int c = 0; c < one.Curves.Length; c++)
            {
                CurveIntervals a = one.Curves[c], b = many.Curves[c];
                Assert.Equal((a.CleanAccuracy, a.L, a.K, a.X0, a.B, a.Threshold, a.DropWidth, a.GapAtLargestFraction, a.MemorizationAtLargestFraction),
                    (b.CleanAccuracy, b.L, b.K, b.X0, b.B, b.Threshold, b.DropWidth, b.GapAtLargestFraction, b.MemorizationAtLargestFraction));
                Assert.Equal(a.ResampleThresholds, b.ResampleThresholds);
                Assert.Equal(a.MeanAccuracy.ToArray(), b.MeanAccuracy.ToArray());
            }
            Assert.Equal(one.Findings.ToArray(), many.Findings.ToArray());
        }
        Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism", () => DrawAnalysis.Analyze(config, records, 10, 0));
    }

    [Fact]
    public void Results_json_with_draws_is_the_same_bytes_across_thread_counts_and_shards()
    {
        // 5 fractions × 2 widths × 3 data draws × 2 seeds = 60 short runs.
        SweepConfig small = SweepConfig.FromJson("""
            { "base": { "training": { "epochs": 4 }, "data": { "sample_count": 120 } },
              "axes": { "poison.fraction": [0, 0.1, 0.2, 0.3, 0.5], "model.hidden_widths": [[4], [12]], "data.seed": [1, 2, 3], "seed": [7, 8] } }
            """);
        string one = ResultsJson.Results(SweepRunner.Run(small, new SweepRunOptions { MaxDegreeOfParallelism = 1 }));
        string two = ResultsJson.Results(SweepRunner.Run(small, new SweepRunOptions { MaxDegreeOfParallelism = 2 }));
        using var folder = new TempFolder();
        string[] directories = [folder.File("a"), folder.File("b")];
        for (int i = 2; i >= 1; i--)
            SweepRunner.Execute(small, new SweepRunOptions { Shard = new SweepShard(i, 2), OutputDirectory = directories[i - 1] });
        string merged = ResultsJson.Results(SweepRunner.Merge(directories));
        Assert.Contains("\"robustness\"", one);
        Assert.Contains("\"p_value_holm\"", one);
        Assert.Equal(one, two);
        Assert.Equal(one, merged);
    }
}
