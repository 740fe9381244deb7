using LabelFlip.Core.Tests.Detection;
using System.Text.Json;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Experiments;

public class SweepAnalysisTests
{
    private static SweepConfig Config(string axes) => SweepConfig.FromJson($$"""{ "axes": { {{axes}} } }""");

    // Records whose test accuracy is given by a function of the run; other metrics are fixed and plausible.
    private static RunRecord[] Records(SweepConfig config, Func<RunSpec, long, double> testAccuracy, Func<RunSpec, double?>? memorised = null) =>
        [.. Enumerable.Range(0, (int)config.RunCount).Select(i =>
        {
            RunSpec run = config.RunAt(i);
            double test = testAccuracy(run, i);
            return new RunRecord(i, config.CoordinatesAt(i), [0.95, test, 0.9, 0.95 - test, 0.3, 10, memorised?.Invoke(run), 5, null, null, null, .. NoDefence.Metrics]);
        })];

    private static double Sigmoid(double x, double x0, double k = 12) => 0.7 / (1 + Math.Exp(k * (x - x0))) + 0.2;

    [Fact]
    public void Points_are_means_and_sample_deviations_over_the_replicates_by_hand()
    {
        SweepConfig config = Config("\"poison.fraction\": [0, 0.5], \"seed\": [1, 2, 3]");
        double[] test = [0.9, 0.8, 0.7, 0.4, 0.5, 0.6];
        double?[] memorised = [null, null, null, 0.5, null, 1.0];
        RunRecord[] records = [.. Records(config, (_, i) => test[i]).Select(r => r with { Metrics = r.Metrics.SetItem(6, memorised[r.Index]) })];
        SweepSummary summary = SweepAnalysis.Analyze(config, records);
        Curve curve = Assert.Single(summary.Curves);
        Assert.Equal("all runs", curve.Label);
        MetricSummary clean = curve.Points[0].Get(RunMetrics.TestAccuracy);
        Assert.Equal(3, clean.Count);
        Assert.Equal((0.9 + 0.8 + 0.7) / 3, clean.Mean);
        Assert.Equal(Math.Sqrt(((0.9 - 0.8) * (0.9 - 0.8) + 0 + (0.7 - 0.8) * (0.7 - 0.8)) / 2), clean.Std!.Value, 15);
        MetricSummary memo = curve.Points[1].Get(RunMetrics.MemorizationRate);
        Assert.Equal(2, memo.Count);
        Assert.Equal(0.75, memo.Mean);
        Assert.Null(curve.Points[0].Get(RunMetrics.MemorizationRate).Mean);
    }

    [Fact]
    public void Fewer_than_five_fractions_give_no_fit_and_say_why()
    {
        SweepConfig two = Config("\"poison.fraction\": [0, 0.5], \"model.hidden_widths\": [[8], [16]], \"seed\": [1]");
        SweepSummary summary = SweepAnalysis.Analyze(two, Records(two, (r, _) => Sigmoid(r.Poison.Fraction, 0.3)));
        Assert.All(summary.Curves, c =>
        {
            Assert.Null(c.Fit.Fit);
            Assert.Equal(ThresholdStatus.NotIdentifiable, c.Fit.Status);
            Assert.Contains("not identifiable", c.Fit.Note);
        });
        Finding falls = summary.Findings.Single(f => f.Key == "threshold_falls");
        Assert.Equal(Verdict.NotApplicable, falls.Verdict);
        Assert.Contains("2 distinct poison fractions", falls.Evidence);
        Assert.Equal(Verdict.NotApplicable, summary.Findings.Single(f => f.Key == "sharp_transition").Verdict);

        SweepConfig one = Config("\"model.hidden_widths\": [[8], [16], [32]], \"seed\": [1]");
        SweepSummary single = SweepAnalysis.Analyze(one, Records(one, (_, _) => 0.8));
        Finding none = single.Findings.Single(f => f.Key == "threshold_falls");
        Assert.Equal(Verdict.NotApplicable, none.Verdict);
        Assert.Contains("poison.fraction is not an axis", none.Evidence);
        Assert.DoesNotContain("two widths", none.Evidence);
    }

    [Fact]
    public void A_curve_at_chance_has_no_threshold_and_no_steepness()
    {
        SweepConfig config = Config("\"poison.fraction\": [0, 0.1, 0.2, 0.3, 0.4, 0.5], \"seed\": [1, 2]");
        SweepSummary summary = SweepAnalysis.Analyze(config, Records(config, (_, i) => i % 2 == 0 ? 0.2 : 0.21));
        CurveFit fit = summary.Curves[0].Fit;
        Assert.Equal(ThresholdStatus.NoTransition, fit.Status);
        Assert.Null(fit.Threshold);
        Assert.Equal(Verdict.NotApplicable, fit.Sharp);
        Assert.Equal("none (no transition)", SweepAnalysis.ThresholdText(fit));
        Assert.Equal(Verdict.NotApplicable, summary.Findings.Single(f => f.Key == "sharp_transition").Verdict);
    }

    [Fact]
    public void A_sweep_beyond_sixty_percent_reads_its_thresholds_up_to_its_largest_fraction()
    {
        // Ten classes fall slowly under uniform noise: these curves cross (clean + chance)/2 at about 0.66 and 0.72,
        // past the study's grid of [0, 0.6] but within the fractions swept. Chance is 0.2 here (five classes).
        SweepConfig config = Config("\"poison.fraction\": [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], \"model.hidden_widths\": [[8], [16]], \"seed\": [1]");
        SweepSummary summary = SweepAnalysis.Analyze(config, Records(config, (r, _) =>
            Sigmoid(r.Poison.Fraction, r.Model.HiddenWidths[0] == 8 ? 0.72 : 0.66, k: 15)));
        Assert.All(summary.Curves, c => Assert.Equal(ThresholdStatus.Reached, c.Fit.Status));
        Assert.InRange(summary.Curves[0].Fit.Threshold!.Value, 0.70, 0.74);
        Assert.InRange(summary.Curves[1].Fit.Threshold!.Value, 0.64, 0.68);
        // On the grid, as dense as the study's (2000 points per 0.6): within one grid step of the exact crossing.
        Assert.All(summary.Curves, c => Assert.InRange(c.Fit.Threshold!.Value - c.Fit.ThresholdClosedForm!.Value, 0, 0.6 / 1999 + 1e-12));
        Assert.Equal(Verdict.Yes, summary.Findings.Single(f => f.Key == "threshold_falls").Verdict);
    }

    [Fact]
    public void A_threshold_beyond_the_fractions_swept_is_an_extrapolation_and_decides_nothing()
    {
        SweepConfig config = Config("\"poison.fraction\": [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3], \"model.hidden_widths\": [[8], [16]], \"seed\": [1]");
        SweepSummary summary = SweepAnalysis.Analyze(config, Records(config, (r, _) =>
            Sigmoid(r.Poison.Fraction, r.Model.HiddenWidths[0] == 8 ? 0.15 : 0.42, k: 20)));
        Curve near = summary.Curves[0], far = summary.Curves[1];
        Assert.Equal(ThresholdStatus.Reached, near.Fit.Status);
        Assert.Equal(ThresholdStatus.Extrapolated, far.Fit.Status);
        Assert.True(far.Fit.Threshold > 0.3);
        Assert.EndsWith("(extrapolated)", SweepAnalysis.ThresholdText(far.Fit));
        Finding falls = summary.Findings.Single(f => f.Key == "threshold_falls");
        Assert.Equal(Verdict.Inconclusive, falls.Verdict);
        Assert.Contains("width 16", falls.Evidence);
    }

    [Fact]
    public void Findings_compare_curves_in_ascending_order_along_the_one_varying_axis()
    {
        // Listed widest first; the thresholds fall with width, so the claim holds once ordered by size.
        SweepConfig config = Config("\"poison.fraction\": [0, 0.1, 0.2, 0.3, 0.4, 0.5], \"model.hidden_widths\": [[64, 64], [32], [16]], \"seed\": [1]");
        double X0(RunSpec r) => r.Model.HiddenWidths.Sum() switch { 16 => 0.35, 32 => 0.3, _ => 0.2 };
        SweepSummary summary = SweepAnalysis.Analyze(config, Records(config, (r, _) => Sigmoid(r.Poison.Fraction, X0(r))));
        Assert.Equal("model.hidden_widths", summary.ComparedAxis);
        Assert.Equal(["widths 64×64", "width 32", "width 16"], summary.Curves.Select(c => c.Label));
        Finding falls = summary.Findings.Single(f => f.Key == "threshold_falls");
        Assert.Equal(Verdict.Yes, falls.Verdict);
        Assert.StartsWith("thresholds by width: width 16", falls.Evidence);
        Assert.Equal(Verdict.Yes, summary.Findings.Single(f => f.Key == "sharp_transition").Verdict);
    }

    [Fact]
    public void Findings_along_another_axis_say_which_and_several_axes_are_not_compared()
    {
        SweepConfig lr = Config("\"poison.fraction\": [0, 0.1, 0.2, 0.3, 0.4, 0.5], \"training.learning_rate\": [0.1, 0.01], \"seed\": [1]");
        SweepSummary byRate = SweepAnalysis.Analyze(lr, Records(lr, (r, _) => Sigmoid(r.Poison.Fraction, r.Training.LearningRate > 0.05 ? 0.25 : 0.3)));
        Assert.Equal("training.learning_rate", byRate.ComparedAxis);
        Finding falls = byRate.Findings.Single(f => f.Key == "threshold_falls");
        Assert.Equal("Threshold falls as training.learning_rate grows", falls.Claim);
        Assert.Equal(Verdict.Yes, falls.Verdict);
        Assert.Equal(["learning_rate 0.1", "learning_rate 0.01"], byRate.Curves.Select(c => c.Label));

        SweepConfig two = Config("\"poison.fraction\": [0, 0.1, 0.2, 0.3, 0.4, 0.5], \"training.learning_rate\": [0.1, 0.01], \"model.hidden_widths\": [[8], [16]], \"data.seed\": [1, 2]");
        SweepSummary both = SweepAnalysis.Analyze(two, Records(two, (r, _) => Sigmoid(r.Poison.Fraction, 0.3)));
        Assert.Null(both.ComparedAxis);
        Assert.Equal(4, both.Curves.Length);
        Assert.Equal(2, both.Curves[0].Points[0].RunCount); // data draws are replicates
        Finding none = both.Findings.Single(f => f.Key == "threshold_falls");
        Assert.Equal(Verdict.NotApplicable, none.Verdict);
        Assert.Contains("curves differ in 2 axes (training.learning_rate, model.hidden_widths)", none.Evidence);
    }

    [Fact]
    public void On_the_committed_study_output_sharpness_is_decided_per_curve_from_k_and_its_error()
    {
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "samples", "LabelFlip.Sweep", "example-output", "results.json")));
        SweepConfig study = SweepConfig.Study;
        RunRecord[] records = [.. results.RootElement.GetProperty("runs").EnumerateArray().Select(r => new RunRecord(
            r.GetProperty("run").GetInt64(), study.CoordinatesAt(r.GetProperty("run").GetInt64()),
            // A metric added after the example was written is missing there, as in an old run log: null.
            [.. RunMetrics.All.Select(m => r.TryGetProperty(m.Name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v.GetDouble() : (double?)null)]))];
        SweepSummary summary = SweepAnalysis.Analyze(study, records);
        // k = 4.84 ± 3.07, 8.33 ± 3.72, 7.00 ± 1.92: each known better than its own size, so each decides.
        Assert.Equal([Verdict.No, Verdict.Yes, Verdict.Yes], summary.Curves.Select(c => c.Fit.Sharp));
        Assert.Equal("4.84 ± 3.07", SweepAnalysis.KText(summary.Curves[0].Fit));
        Assert.Equal("43.4%", SweepAnalysis.ThresholdText(summary.Curves[0].Fit));
        Assert.Equal(0.9066666666666667, summary.Curves[0].Fit.CleanAccuracy, 15);
        Assert.Equal(0.2, summary.Curves[0].Fit.ChanceAccuracy);
    }

    [Fact]
    public void Records_must_be_the_whole_plan_in_order()
    {
        SweepConfig config = Config("\"seed\": [1, 2]");
        RunRecord[] records = Records(config, (_, _) => 0.5);
        Assert.Equal("records", Assert.Throws<ArgumentException>(() => SweepAnalysis.Analyze(config, records[..1])).ParamName);
        Assert.Equal("records", Assert.Throws<ArgumentException>(() => SweepAnalysis.Analyze(config, [records[1], records[0]])).ParamName);
    }
}
