using LabelFlip.Core.Tests.Detection;
using System.Globalization;
using System.Collections.Immutable;
using System.Text.Json;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The findings the main job prints and writes claim only what the data supports. Curves with a chosen shape come
/// from a run log written beforehand: the program resumes every run and analyses exactly those numbers.
/// </summary>
public class FindingsProgramTests
{
    private static readonly double[] s_fractions = [0, 0.1, 0.2, 0.3, 0.4];
    private static readonly int[][] s_widths = [[4], [8]];
    private static readonly ulong[] s_seeds = [1];

    [Fact]
    public void Two_poison_fractions_are_not_identifiable_no_k_no_threshold_and_null_fit_fields()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = MainJob.Run(folder.Path, "--fractions", "0,0.5", "--widths", "4,8", "--seeds", "1", "--epochs", "2", "--quiet");
        Assert.True(code == 0, error);
        string[] rows = TableRows(output);
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Contains("none (not identifiable)", r));
        Assert.All(rows, r => Assert.DoesNotMatch(@"\d ± ", r));
        Assert.Contains("2 distinct poison fractions", output);
        foreach (JsonElement fit in Fits(folder.Path))
        {
            foreach (string field in new[] { "L", "k", "x0", "b", "r_squared", "threshold" })
                Assert.Equal(JsonValueKind.Null, fit.GetProperty(field).ValueKind);
            Assert.Equal("not_identifiable", fit.GetProperty("threshold_status").GetString());
        }
    }

    [Fact]
    public void One_fraction_says_fractions_are_missing_not_widths()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = MainJob.Run(folder.Path, "--fractions", "0", "--widths", "4,8", "--seeds", "1", "--epochs", "2", "--quiet");
        Assert.True(code == 0, error);
        string threshold = Finding(output, "Larger models more sensitive");
        Assert.Contains("not applicable", threshold);
        Assert.Contains("1 distinct poison fraction", threshold);
        Assert.DoesNotContain("two widths", output);
        Assert.DoesNotContain("one curve only", output);
        Assert.Contains("1 distinct poison fraction", Finding(output, "Sharp transition"));
    }

    [Fact]
    public void An_untrained_network_claims_no_threshold_and_no_steepness()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("untrained.json"), """{ "base": { "training": { "learning_rate": 1e-300 } } }""");
        (int code, string output, string error) = MainJob.Run(folder.Path, "--config", "untrained.json", "--fractions", "0,0.1,0.2,0.3,0.5", "--widths", "8", "--seeds", "1", "--epochs", "3", "--quiet");
        Assert.True(code == 0, error);
        string row = Assert.Single(TableRows(output));
        Assert.Contains("none (no transition)", row);
        Assert.DoesNotMatch(@"\d ± ", row);
        Assert.Contains("not applicable", Finding(output, "Sharp transition"));
        JsonElement fit = Assert.Single(Fits(folder.Path));
        Assert.Equal("no_transition", fit.GetProperty("threshold_status").GetString());
        Assert.Equal(JsonValueKind.Null, fit.GetProperty("threshold").ValueKind);
        Assert.Equal(JsonValueKind.Null, fit.GetProperty("k").ValueKind);
        Assert.Equal("not applicable", fit.GetProperty("sharp").GetString());
    }

    [Fact]
    public void A_threshold_beyond_the_largest_fraction_is_marked_extrapolated_in_the_table_and_the_json()
    {
        using var folder = new TempFolder();
        // Accuracy 0.2 + 0.7 / (1 + e^{15 (x − 0.5)}): it falls halfway to chance at x = 0.5, past the last fraction 0.4.
        WriteCurves(folder, x => 0.2 + 0.7 / (1 + Math.Exp(15 * (x - 0.5))));
        (int code, string output, string error) = MainJob.Run(folder.Path, "--config", "config.json", "--quiet");
        Assert.True(code == 0, error);
        Assert.Contains("(0 trained, 10 resumed)", output);
        string[] rows = TableRows(output);
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Matches(@"5\d\.\d% \(extrapolated\)", r));
        Assert.Contains("beyond the largest fraction swept", output);
        foreach (JsonElement fit in Fits(folder.Path))
        {
            Assert.Equal("extrapolated", fit.GetProperty("threshold_status").GetString());
            Assert.InRange(fit.GetProperty("threshold").GetDouble(), 0.45, 0.55);
        }
        Assert.DoesNotContain(": yes", Finding(output, "Larger models more sensitive"));
    }

    [Fact]
    public void Sharp_transition_is_inconclusive_when_every_k_is_smaller_than_its_standard_error()
    {
        using var folder = new TempFolder();
        // A wobbly slow decline: a sigmoid fits it with k ≈ 8, known only to about ± 90.
        WriteCurves(folder, x => x switch { 0 => 0.9, 0.1 => 0.85, 0.2 => 0.88, 0.3 => 0.8, _ => 0.84 });
        (int code, string output, string error) = MainJob.Run(folder.Path, "--config", "config.json", "--quiet");
        Assert.True(code == 0, error);
        Assert.StartsWith("Sharp transition (some k > 5): inconclusive", Finding(output, "Sharp transition"));
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "results", "results.json")));
        JsonElement finding = results.RootElement.GetProperty("findings").GetProperty("sharp_transition");
        Assert.Equal("inconclusive", finding.GetProperty("verdict").GetString());
        foreach (JsonElement fit in Fits(folder.Path))
        {
            Assert.Equal("inconclusive", fit.GetProperty("sharp").GetString());
            JsonElement se = fit.GetProperty("standard_errors").GetProperty("k");
            Assert.True(se.ValueKind == JsonValueKind.Null || se.GetDouble() > fit.GetProperty("k").GetDouble(), se.GetRawText());
        }
    }

    // A finished run log for widths 4 and 8 over s_fractions, seed 1, whose test accuracy is `accuracy(fraction)`.
    [Fact]
    public void Recorded_dynamics_are_printed_with_their_intervals_as_results_json_has_them()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("config.json"), """
            { "base": { "training": { "epochs": 6, "record_every": 2 }, "data": { "sample_count": 90 } },
              "axes": { "poison.fraction": [0, 0.2, 0.4], "model.hidden_widths": [[4], [8]], "data.seed": [1, 2], "seed": [1] } }
            """);
        (int code, string output, string error) = MainJob.Run(folder.Path, "--config", "config.json", "--quiet");
        Assert.True(code == 0, error);
        // The chart's fraction: the largest swept one at most 30%.
        Assert.Contains("Learning dynamics at 20% poison (means over 2 runs, 95% cluster-bootstrap intervals over 2 data draws × 1 seed;", output);
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "results", "results.json")));
        JsonElement[] points = [.. results.RootElement.GetProperty("dynamics").GetProperty("points").EnumerateArray()
            .Where(p => p.GetProperty("poison_fraction").GetDouble() == 0.2)];
        Assert.Equal(2, points.Length);
        foreach (JsonElement point in points)
        {
            string label = point.GetProperty("label").GetString()!;
            string line = Assert.Single(output.Split('\n'), l => l.StartsWith($"  {label}: ", StringComparison.Ordinal));
            JsonElement best = point.GetProperty("intervals").GetProperty("best_epoch");
            Assert.Contains(string.Create(CultureInfo.InvariantCulture,
                $"best test accuracy at epoch {point.GetProperty("best_epoch").GetInt32()} [{best.GetProperty("ci_lower").GetDouble():0}, {best.GetProperty("ci_upper").GetDouble():0}]"), line);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{point.GetProperty("accuracy_saved").GetDouble() * 100:0.0} points ["), line);
            Assert.Contains(point.GetProperty("half_memorized_epoch").ValueKind == JsonValueKind.Null ? "not memorised within 6 epochs" : "memorised by epoch", line);
        }
    }

    private static void WriteCurves(TempFolder folder, Func<double, double> accuracy)
    {
        SweepConfig config = new(new RunSpec(),
        [
            SweepAxis.Of("model.hidden_widths", s_widths),
            SweepAxis.Of("poison.fraction", s_fractions),
            SweepAxis.Of("seed", s_seeds),
        ]);
        config.Save(folder.File("config.json"));
        using RunLog log = RunLog.Open(Path.Combine(folder.Path, "results"), config);
        for (long i = 0; i < config.RunCount; i++)
        {
            double fraction = config.RunAt(i).Poison.Fraction;
            double test = accuracy(fraction);
            double train = Math.Min(1, test + 0.05);
            int flipped = (int)Math.Round(350 * fraction);
            log.Append(new RunRecord(i, config.CoordinatesAt(i), [train, test, train, train - test, 0.5, flipped, flipped == 0 ? null : 0.5, 5, null, null, null, .. NoDefence.Metrics]));
        }
    }

    private static string[] TableRows(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("width ", StringComparison.Ordinal))];

    private static string Finding(string output, string claim) =>
        Assert.Single(output.Split('\n'), l => l.StartsWith(claim, StringComparison.Ordinal));

    private static ImmutableArray<JsonElement> Fits(string folder)
    {
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results", "results.json")));
        return [.. results.RootElement.GetProperty("curves").EnumerateArray().Select(c => c.GetProperty("fit").Clone())];
    }
}
