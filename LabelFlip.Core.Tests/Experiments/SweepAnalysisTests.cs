using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Experiments;

public class SweepAnalysisTests
{
    private static readonly SweepConfig s_config = new() { PoisonFractions = [0.0, 0.5], HiddenWidths = [8], Seeds = [1, 2, 3] };

    private static RunResult Run(double p, int width, ulong seed, double test, double train = 0.9, double loss = 0.5, double? memorised = null) =>
        new(p, width, seed, train, test, train, train - test, loss, 0, memorised);

    [Fact]
    public void Aggregates_means_and_sample_standard_deviations()
    {
        RunResult[] runs =
        [
            Run(0.0, 8, 1, 0.8), Run(0.0, 8, 2, 0.9), Run(0.0, 8, 3, 1.0),
            Run(0.5, 8, 3, 0.5, memorised: 0.2), Run(0.5, 8, 1, 0.5, memorised: 0.4), Run(0.5, 8, 2, 0.5, memorised: 0.6),
        ];
        var points = SweepAnalysis.Aggregate(s_config, runs);
        Assert.Equal(2, points.Length);
        Assert.Equal(0.9, points[0].TestAccMean, 15);
        Assert.Equal(0.1, points[0].TestAccStd!.Value, 15); // sample std of 0.8, 0.9, 1.0 (n − 1)
        Assert.Equal(3, points[0].NSeeds);
        Assert.Null(points[0].MemorizationRateMean);
        Assert.Equal(0.0, points[1].TestAccStd!.Value);
        Assert.Equal(0.4, points[1].MemorizationRateMean!.Value, 15);
        Assert.Equal(0.2, points[1].MemorizationRateStd!.Value, 15);
    }

    [Fact]
    public void Aggregation_does_not_depend_on_run_order()
    {
        RunResult[] runs = [Run(0.0, 8, 1, 0.1), Run(0.0, 8, 2, 0.2), Run(0.0, 8, 3, 0.7), Run(0.5, 8, 1, 0.3), Run(0.5, 8, 2, 0.3), Run(0.5, 8, 3, 0.3)];
        Assert.Equal(SweepAnalysis.Aggregate(s_config, runs).ToArray(), SweepAnalysis.Aggregate(s_config, runs.Reverse()).ToArray());
    }

    [Fact]
    public void A_single_seed_has_no_standard_deviation()
    {
        var config = s_config with { Seeds = [1] };
        var points = SweepAnalysis.Aggregate(config, [Run(0.0, 8, 1, 0.9), Run(0.5, 8, 1, 0.4)]);
        Assert.All(points, p => Assert.Null(p.TestAccStd));
        Assert.All(points, p => Assert.Equal(1, p.NSeeds));
    }

    // Hand-made aggregates from three sigmoids whose midpoints fall with width, the wider the steeper.
    private static AggregatedPoint[] Curves(params (int Width, double K, double X0)[] widths)
    {
        double[] fractions = [0, 0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];
        return [.. widths.SelectMany(w => fractions.Select(p =>
        {
            double acc = 0.7 / (1 + Math.Exp(w.K * (p - w.X0))) + 0.2;
            return new AggregatedPoint(p, w.Width, acc, 0.01, acc + p, 0.01, acc, 0.01, p, 0.01, 0.5, 0.01, null, null, 3);
        }))];
    }

    [Fact]
    public void Findings_detect_falling_thresholds_and_sharp_transitions()
    {
        AggregatedPoint[] points = Curves((32, 4, 0.35), (64, 6, 0.25), (128, 8, 0.15));
        var fits = SweepAnalysis.FitWidths(points, classCount: 5);
        Findings findings = SweepAnalysis.Summarize(points, fits);

        Assert.Equal([32, 64, 128], findings.Widths.ToArray());
        Assert.Equal([4.0, 6.0, 8.0], findings.SteepnessK.Select(k => Math.Round(k, 4)).ToArray());
        Assert.True(findings.LargerModelsMoreSensitive);
        Assert.True(findings.SharpTransition);
        Assert.True(findings.CriticalThresholds[0] > findings.CriticalThresholds[1]);
        Assert.True(findings.CriticalThresholds[1] > findings.CriticalThresholds[2]);
        Assert.Equal(0.5, findings.GenGapAtMaxPoison[0]);
        Assert.All(findings.RSquared, r => Assert.True(r > 0.999999));
        Assert.Equal(0.7 / (1 + Math.Exp(4 * -0.35)) + 0.2, findings.CleanTestAccuracy[0], 12);
    }

    [Fact]
    public void Findings_report_rising_thresholds_and_gentle_slopes_honestly()
    {
        AggregatedPoint[] points = Curves((32, 3, 0.15), (64, 4, 0.45)); // thresholds ≈ 42% then ≈ 52%
        Findings findings = SweepAnalysis.Summarize(points, SweepAnalysis.FitWidths(points, 5));
        Assert.False(findings.LargerModelsMoreSensitive);
        Assert.False(findings.SharpTransition);
    }

    [Fact]
    public void One_width_cannot_say_whether_larger_models_are_more_sensitive()
    {
        AggregatedPoint[] points = Curves((32, 8, 0.2));
        Findings findings = SweepAnalysis.Summarize(points, SweepAnalysis.FitWidths(points, 5));
        Assert.Null(findings.LargerModelsMoreSensitive);
        Assert.True(findings.SharpTransition);
    }

    [Fact]
    public void A_flat_curve_has_no_threshold_and_no_sharp_transition()
    {
        double[] fractions = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
        AggregatedPoint[] points = [.. fractions.Select(p => new AggregatedPoint(p, 16, 0.9, 0, 0.9, 0, 0.9, 0, 0, 0, 0.1, 0, null, null, 3))];
        var fits = SweepAnalysis.FitWidths(points, 5);
        Findings findings = SweepAnalysis.Summarize(points, fits);
        Assert.Equal(double.PositiveInfinity, findings.CriticalThresholds[0]);
        Assert.False(findings.SharpTransition);
    }
}
