using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;
using LabelFlip.Core.Tests.Experiments;

namespace LabelFlip.Core.Tests.Reporting;

public class DynamicsOutputsTests
{
    private static readonly Lazy<SweepResult> s_result = new(() => SweepRunner.Run(DynamicsRunTests.Recorded, new SweepRunOptions { MaxDegreeOfParallelism = 2 }));

    [Fact]
    public void Dynamics_csv_has_a_row_per_run_and_recorded_epoch_with_the_runs_axis_values()
    {
        string[] lines = TidyCsv.Dynamics(s_result.Value).TrimEnd('\n').Split('\n');
        Assert.Equal("run,poison.fraction,model.hidden_widths,data.seed,seed,epoch,test_accuracy,clean_accuracy,memorization_rate,flipped_true_accuracy,clean_loss,flipped_loss", lines[0]);
        Assert.Equal(1 + 24 * 3, lines.Length);
        Assert.All(lines, l => Assert.Equal(12, SplitCells(l).Length));
        // Run 0 is the clean run (fraction 0): its flipped cells are empty; epochs 3, 6, 7.
        Assert.Equal(["0", "0", "[4]", "1", "7", "3"], SplitCells(lines[1])[..6]);
        Assert.Equal(["", "", ""], new[] { SplitCells(lines[1])[8], SplitCells(lines[1])[9], SplitCells(lines[1])[11] });
        Assert.Equal(["3", "6", "7"], lines[1..4].Select(l => SplitCells(l)[5]));
        RunRecord last = s_result.Value.Runs[^1];
        string[] final = SplitCells(lines[^1]);
        Assert.Equal(last.Get(RunMetrics.TestAccuracy), double.Parse(final[6], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(last.Get(RunMetrics.MemorizationRate), double.Parse(final[8], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_outputs_gain_dynamics_files_only_when_runs_record_them_and_results_json_names_the_findings()
    {
        using var folder = new TempFolder();
        IReadOnlyList<string> written = SweepOutputs.Write(s_result.Value, folder.Path);
        Assert.Contains(folder.File(SweepOutputs.DynamicsCsvFile), written);
        Assert.Contains(folder.File(SweepOutputs.DynamicsPlotFile), written);
        string results = File.ReadAllText(folder.File(SweepOutputs.ResultsFile));
        foreach (string name in (string[])["\"dynamics\"", "\"best_epoch\"", "\"accuracy_saved\"", "\"half_memorized_epoch\"", "\"bootstrap_stream\": \"bootstrap.dynamics\"", "\"intervals\""])
            Assert.Contains(name, results, StringComparison.Ordinal);
        // The runs' own curves stay in the run log and dynamics.csv.
        Assert.DoesNotContain("\"flipped_true_accuracy\"", results, StringComparison.Ordinal);

        using var plain = new TempFolder();
        SweepResult tiny = SweepRunner.Run(RunLogTests.Tiny, new SweepRunOptions { MaxDegreeOfParallelism = 1 });
        IReadOnlyList<string> none = SweepOutputs.Write(tiny, plain.Path);
        Assert.DoesNotContain(none, p => p.EndsWith(SweepOutputs.DynamicsCsvFile, StringComparison.Ordinal));
        Assert.DoesNotContain("\"dynamics\"", File.ReadAllText(plain.File(SweepOutputs.ResultsFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_draws_each_width_at_the_largest_fraction_up_to_30_percent_with_its_caption()
    {
        string svg = DynamicsPlot.Chart(s_result.Value);
        Assert.Contains("25% of training labels flipped", svg, StringComparison.Ordinal);
        Assert.Equal(2, Count(svg, "class=\"test-accuracy\""));
        Assert.Equal(2, Count(svg, "class=\"memorization\""));
        Assert.Contains("n = 4 runs per point, 7 epochs, data seeds 1, 2", svg, StringComparison.Ordinal);
        Assert.Contains("the largest swept fraction ≤ 30%", svg, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("result", () => DynamicsPlot.Chart(SweepRunner.Run(RunLogTests.Tiny, new SweepRunOptions { MaxDegreeOfParallelism = 1 })));
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    // The cells of a CSV row (a quoted cell holds commas, as [4] does not).
    private static string[] SplitCells(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
                cell.Append(c);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }
}
