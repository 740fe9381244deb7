using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Reporting;

public class BreakdownPointTests
{
    // The chart's plot area: 640 px wide from x = 80, over [0, 0.6] unless a sweep goes further.
    private static double PlotX(double fraction, double xMax = 0.6) => 80 + fraction / xMax * 640;

    private static SweepResult Run(string axes, int classes = 3) => SweepRunner.Run(SweepConfig.FromJson($$"""
        { "base": { "data": { "sample_count": 60, "class_count": {{classes}}, "feature_count": 3 }, "training": { "epochs": 2 }, "model": { "hidden_widths": [4] } },
          "axes": { {{axes}} } }
        """));

    private static string[] MarkerXs(string svg) =>
        [.. Regex.Matches(svg, "<line x1=\"([^\"]*)\"[^>]*class=\"breakdown-marker\"").Select(m => m.Groups[1].Value)];

    [Fact]
    public void Each_curve_of_a_sweep_of_noise_models_has_its_breakdown_point_in_results_json()
    {
        SweepResult result = Run("""
            "poison.model": ["uniform", "symmetric", "pair", "random-asymmetric", "boundary", "boundary-soft", "adversarial"],
            "poison.fraction": [0, 0.2, 0.4]
            """);
        using JsonDocument json = JsonDocument.Parse(ResultsJson.Results(result));
        Dictionary<string, JsonElement> byModel = json.RootElement.GetProperty("curves").EnumerateArray()
            .ToDictionary(c => c.GetProperty("coordinates").GetProperty("poison.model").GetString()!, c => c.GetProperty("breakdown_point"));
        Assert.Equal(2.0 / 3.0, byModel["uniform"].GetDouble());
        Assert.Equal(2.0 / 3.0, byModel["symmetric"].GetDouble());
        Assert.Equal(0.5, byModel["pair"].GetDouble());
        foreach (string none in new[] { "random-asymmetric", "boundary", "boundary-soft", "adversarial" })
            Assert.Equal(JsonValueKind.Null, byModel[none].ValueKind);
    }

    [Fact]
    public void A_matrix_and_targeted_noise_have_the_breakdown_point_of_their_path()
    {
        SweepResult matrix = SweepRunner.Run(SweepConfig.FromJson("""
            { "base": { "data": { "sample_count": 40, "class_count": 2, "feature_count": 2 }, "training": { "epochs": 1 }, "model": { "hidden_widths": [3] },
                        "poison": { "model": "matrix", "matrix": [[0.2, 0.8], [0, 1]] } },
              "axes": { "poison.fraction": [0, 0.5] } }
            """));
        // Class 0 loses its majority where (1 − p) + 0.2p = 0.8p: p = 1 / (1 − 0.2 + 0.8) = 0.625.
        Assert.Contains("\"breakdown_point\": 0.625", ResultsJson.Results(matrix), StringComparison.Ordinal);
        SweepResult targeted = SweepRunner.Run(SweepConfig.FromJson("""
            { "base": { "data": { "sample_count": 40, "class_count": 3, "feature_count": 2 }, "training": { "epochs": 1 }, "model": { "hidden_widths": [3] },
                        "poison": { "model": "targeted", "target_class": 1 } },
              "axes": { "poison.fraction": [0, 0.3] } }
            """));
        Assert.Contains("\"breakdown_point\": 0.5", ResultsJson.Results(targeted), StringComparison.Ordinal);
    }

    [Fact]
    public void A_uniform_sweep_writes_results_json_as_before_but_its_chart_marks_a_breakdown_point_in_range()
    {
        SweepResult uniform = Run("\"poison.fraction\": [0, 0.2, 0.4]", classes: 2);
        Assert.DoesNotContain("breakdown_point", ResultsJson.Results(uniform), StringComparison.Ordinal);
        string svg = SweepPlots.AccuracyVsPoison(uniform);
        // k = 2: (k − 1)/k = 1/2, inside [0, 0.6]; one model, so its label names no model.
        Assert.Equal([PlotX(0.5).ToString("0.##", CultureInfo.InvariantCulture)], MarkerXs(svg));
        Assert.Contains(">breakdown (k−1)/k = 0.5</text>", svg, StringComparison.Ordinal);
        Assert.Contains("stroke-dasharray=\"3 3\" class=\"breakdown-marker\"", svg, StringComparison.Ordinal);

        // k = 5: 0.8 lies beyond the plotted range, so nothing is marked (the study's chart is unchanged).
        Assert.Empty(MarkerXs(SweepPlots.AccuracyVsPoison(Run("\"poison.fraction\": [0, 0.2, 0.4]", classes: 5))));
    }

    [Fact]
    public void A_chart_of_several_models_marks_each_breakdown_point_in_range_once_naming_its_models()
    {
        SweepResult result = Run("""
            "poison.model": ["uniform", "pair", "adversarial"], "poison.fraction": [0, 0.3, 0.7]
            """);
        string svg = SweepPlots.AccuracyVsPoison(result);
        // Fractions to 0.7 plot to 0.7: pair's 1/2 and uniform's 2/3 are both in range; adversarial has none.
        Assert.Equal([PlotX(0.5, 0.7), PlotX(2.0 / 3.0, 0.7)], MarkerXs(svg).Select(x => double.Parse(x, CultureInfo.InvariantCulture)), new Tolerance(0.01));
        Assert.Contains(">breakdown 1/2 (pair)</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">breakdown (k−1)/k = 0.667 (uniform)</text>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_across_data_draws_marks_the_breakdown_points_too()
    {
        SweepResult result = Run("""
            "poison.model": ["pair", "boundary"], "poison.fraction": [0, 0.1, 0.2, 0.3, 0.4], "data.seed": [1, 2]
            """);
        string svg = DrawPlots.AccuracyWithBands(result);
        Assert.Equal([PlotX(0.5).ToString("0.##", CultureInfo.InvariantCulture)], MarkerXs(svg));
        Assert.Contains(">breakdown 1/2 (pair)</text>", svg, StringComparison.Ordinal);
    }

    private sealed class Tolerance(double within) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= within;

        public int GetHashCode(double obj) => 0;
    }
}
