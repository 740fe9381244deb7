using LabelFlip.Core.Tests.Detection;
using System.Globalization;
using System.Text.RegularExpressions;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Reporting;

public class DrawPlotsTests
{
    private static SweepResult Result(string axes)
    {
        SweepConfig config = SweepConfig.FromJson($$"""{ "axes": { {{axes}} } }""");
        RunRecord[] records = [.. Enumerable.Range(0, (int)config.RunCount).Select(i =>
        {
            RunSpec run = config.RunAt(i);
            double x0 = 0.35 - 0.05 * Math.Log2(run.Model.HiddenWidths[0] / 8.0) + 0.01 * ((long)(run.Data.Seed % 3) - 1);
            double test = 0.7 / (1 + Math.Exp(12 * (run.Poison.Fraction - x0))) + 0.2;
            return new RunRecord(i, config.CoordinatesAt(i), [0.95, test, 0.9, 0.95 - test, 0.3, 10, run.Poison.Fraction > 0 ? 0.5 : null, 5, null, null, null, .. NoDefence.Metrics]);
        })];
        return new SweepResult(config, [.. records], SweepAnalysis.Analyze(config, records), new SweepTimings(TimeSpan.Zero, [], 1, 0));
    }

    private const string Design = "\"poison.fraction\": [0, 0.1, 0.2, 0.3, 0.4], \"model.hidden_widths\": [[8], [16]], \"seed\": [1, 2]";

    [Fact]
    public void Over_data_draws_the_accuracy_chart_has_a_band_per_curve_fits_only_over_the_swept_range_and_a_caption_with_n_epochs_and_seeds()
    {
        SweepResult result = Result($"{Design}, \"data.seed\": [1, 2, 3, 4]");
        string svg = DrawPlots.AccuracyWithBands(result);
        Assert.Equal(2, Regex.Count(svg, "<polygon [^>]*class=\"band\""));
        Assert.Contains("n = 4 data draws × 2 seeds per point, 200 epochs, data seeds 1, 2, 3, 4, 2000 resamples", svg);
        Assert.Contains("95% cluster-bootstrap CI", svg);
        // Plot x runs from 80 (0%) over 640 px to 60%: the swept range ends at 40%, x = 80 + 640·(0.4/0.6).
        double end = 80 + 640 * (0.4 / 0.6);
        foreach (Match fit in Regex.Matches(svg, "<polyline points=\"([^\"]*)\"[^>]*class=\"fit-curve\""))
        {
            double[] xs = [.. fit.Groups[1].Value.Split(' ').Select(p => double.Parse(p.Split(',')[0], CultureInfo.InvariantCulture))];
            Assert.True(xs.Max() <= end + 0.01, $"a fit is drawn to x = {xs.Max()}, past the swept range ({end})");
        }
    }

    [Fact]
    public void Threshold_differences_show_a_dot_per_draw_and_an_interval_per_pair()
    {
        SweepResult result = Result($"{Design}, \"data.seed\": [1, 2, 3, 4, 5]");
        string svg = DrawPlots.ThresholdDifferences(result);
        Assert.Equal(5, Regex.Count(svg, "<title>data seed \\d+: "));
        Assert.Single(Regex.Matches(svg, "class=\"interval\""));
        Assert.Contains("width 16 − width 8", svg);
        Assert.Contains("n = 5 data draws × 2 seeds per point", svg);
    }

    [Fact]
    public void Without_data_draws_there_is_no_threshold_differences_chart()
    {
        SweepResult single = Result(Design);
        Assert.Equal("result", Assert.Throws<ArgumentException>(() => DrawPlots.ThresholdDifferences(single)).ParamName);
        using var folder = new TempFolder();
        SweepOutputs.Write(single, folder.Path);
        Assert.False(File.Exists(folder.File(SweepOutputs.ThresholdDifferencesPlotFile)));
        SweepOutputs.Write(Result($"{Design}, \"data.seed\": [1, 2]"), folder.Path);
        Assert.True(File.Exists(folder.File(SweepOutputs.ThresholdDifferencesPlotFile)));
    }
}
