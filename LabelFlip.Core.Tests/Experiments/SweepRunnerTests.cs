using System.Xml.Linq;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

public class SweepRunnerTests
{
    // Small enough to run in a moment, big enough to have a curve: 4 fractions × 2 widths × 2 seeds.
    internal static readonly SweepConfig SmallConfig = new()
    {
        PoisonFractions = [0.0, 0.2, 0.4, 0.6],
        HiddenWidths = [8, 24],
        Seeds = [1, 2],
        Epochs = 15,
        SampleCount = 200,
    };

    private static string ResultsBytes(string directory) => File.ReadAllText(Path.Combine(directory, SweepOutputs.ResultsFile));

    private static SweepResult RunInto(string directory, int threads, bool resume = true) =>
        SweepRunner.Run(SmallConfig, new SweepRunOptions { MaxDegreeOfParallelism = threads, CheckpointDirectory = directory, Resume = resume });

    [Fact]
    public void Results_are_the_same_bytes_with_one_and_two_threads()
    {
        using var one = new TempFolder();
        using var two = new TempFolder();
        SweepOutputs.Write(RunInto(one.Path, 1), one.Path);
        SweepOutputs.Write(RunInto(two.Path, 2), two.Path);
        Assert.Equal(ResultsBytes(one.Path), ResultsBytes(two.Path));
    }

    [Fact]
    public void Every_run_is_reported_with_consistent_metrics()
    {
        var reports = new List<SweepProgress>();
        SweepResult result = SweepRunner.Run(SmallConfig, new SweepRunOptions { MaxDegreeOfParallelism = 2 }, new SyncProgress(reports.Add));
        Assert.Equal(SmallConfig.RunCount, result.Runs.Length);
        Assert.Equal(SmallConfig.RunCount, reports.Count);
        Assert.Equal(SmallConfig.RunCount, reports.Max(r => r.CompletedRuns));
        foreach (RunResult run in result.Runs)
        {
            Assert.Equal(run.TrainAccuracy - run.TestAccuracy, run.GeneralizationGap);
            Assert.Equal((int)Math.Round(140 * run.PoisonFraction, MidpointRounding.ToEven), run.FlippedCount);
            Assert.InRange(run.TestAccuracy, 0, 1);
            Assert.Equal(run.FlippedCount == 0, run.MemorizationRate is null);
        }
        // The same run, alone, gives the same numbers: nothing depends on the rest of the sweep.
        RunResult last = result.Runs[^1];
        Assert.Equal(last, SweepRunner.RunOne(SmallConfig, last.Key));
    }

    [Fact]
    public void Resume_after_an_interruption_gives_identical_bytes()
    {
        using var whole = new TempFolder();
        using var interrupted = new TempFolder();
        SweepOutputs.Write(RunInto(whole.Path, 2), whole.Path);

        // Cancel after a few runs, as Ctrl+C would.
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.CompletedRuns >= 5) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => SweepRunner.Run(SmallConfig,
            new SweepRunOptions { MaxDegreeOfParallelism = 2, CheckpointDirectory = interrupted.Path }, progress, cancel.Token));
        string checkpoint = interrupted.File("runs.jsonl");
        int kept = File.ReadAllLines(checkpoint).Length - 1;
        Assert.InRange(kept, 5, SmallConfig.RunCount - 1);

        SweepResult resumed = RunInto(interrupted.Path, 1);
        Assert.Equal(kept, resumed.Timings.ResumedRuns);
        SweepOutputs.Write(resumed, interrupted.Path);
        Assert.Equal(ResultsBytes(whole.Path), ResultsBytes(interrupted.Path));
    }

    [Fact]
    public void A_torn_last_line_is_dropped_and_redone()
    {
        using var whole = new TempFolder();
        using var torn = new TempFolder();
        SweepOutputs.Write(RunInto(whole.Path, 2), whole.Path);

        // A kill -9 in the middle of a write: keep the header and three runs, then half of the fourth line.
        string[] lines = File.ReadAllLines(whole.File("runs.jsonl"));
        File.WriteAllText(torn.File("runs.jsonl"), string.Join("\n", lines.Take(4)) + "\n" + lines[4][..(lines[4].Length / 2)]);

        SweepResult resumed = RunInto(torn.Path, 2);
        Assert.Equal(3, resumed.Timings.ResumedRuns);
        SweepOutputs.Write(resumed, torn.Path);
        Assert.Equal(ResultsBytes(whole.Path), ResultsBytes(torn.Path));
        Assert.Equal(SmallConfig.RunCount + 1, File.ReadAllLines(torn.File("runs.jsonl")).Length);
    }

    [Fact]
    public void A_checkpoint_from_another_config_is_refused_and_kept()
    {
        using var folder = new TempFolder();
        RunInto(folder.Path, 2);
        string before = File.ReadAllText(folder.File("runs.jsonl"));
        var e = Assert.Throws<CheckpointMismatchException>(() => SweepRunner.Run(SmallConfig with { Epochs = 16 },
            new SweepRunOptions { CheckpointDirectory = folder.Path }));
        Assert.Contains("epochs was 15, now 16", e.Message);
        Assert.Equal(before, File.ReadAllText(folder.File("runs.jsonl")));

        // Starting fresh discards it.
        SweepResult fresh = SweepRunner.Run(SmallConfig with { Epochs = 16 }, new SweepRunOptions { CheckpointDirectory = folder.Path, Resume = false });
        Assert.Equal(0, fresh.Timings.ResumedRuns);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("runs.jsonl"), "hello\n");
        Assert.Throws<CheckpointMismatchException>(() => SweepRunner.Run(SmallConfig, new SweepRunOptions { CheckpointDirectory = folder.Path }));
    }

    [Fact]
    public void Outputs_are_all_written_and_valid()
    {
        using var folder = new TempFolder();
        SweepResult result = RunInto(folder.Path, 2);
        IReadOnlyList<string> paths = SweepOutputs.Write(result, folder.Path);
        Assert.Equal(5, paths.Count);
        Assert.All(paths, p => Assert.True(File.Exists(p)));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));

        using var results = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File(SweepOutputs.ResultsFile)));
        var root = results.RootElement;
        Assert.Equal(["config", "runs", "aggregated", "sigmoid_fits", "findings", "metadata"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(SmallConfig.RunCount, root.GetProperty("runs").GetArrayLength());
        foreach (string name in new[] { "poison_fraction", "hidden_width", "seed", "train_accuracy", "test_accuracy", "train_clean_accuracy", "generalization_gap", "final_loss" })
            Assert.True(root.GetProperty("runs")[0].TryGetProperty(name, out _), name);
        foreach (string name in new[] { "poison_fraction", "hidden_width", "test_acc_mean", "test_acc_std", "train_acc_mean", "train_acc_std", "train_clean_acc_mean", "train_clean_acc_std", "gen_gap_mean", "gen_gap_std", "n_seeds" })
            Assert.True(root.GetProperty("aggregated")[0].TryGetProperty(name, out _), name);
        foreach (string name in new[] { "hidden_width", "L", "k", "x0", "b", "r_squared", "threshold_midpoint" })
            Assert.True(root.GetProperty("sigmoid_fits")[0].TryGetProperty(name, out _), name);
        foreach (string name in new[] { "critical_thresholds", "steepness_k", "larger_models_more_sensitive", "sharp_transition", "r_squared", "gen_gap_at_max_poison", "clean_test_accuracy" })
            Assert.True(root.GetProperty("findings").TryGetProperty(name, out _), name);

        using var performance = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File(SweepOutputs.PerformanceFile)));
        foreach (string name in new[] { "total_time_seconds", "n_runs", "mean_run_time_seconds", "min_run_time_seconds", "max_run_time_seconds", "threads", "dotnet_runtime", "cpu", "vector_path" })
            Assert.True(performance.RootElement.TryGetProperty(name, out _), name);
    }

    [Fact]
    public void Svg_charts_parse_as_xml_and_draw_one_curve_per_width()
    {
        SweepResult result = SweepRunner.Run(SmallConfig);
        XNamespace svg = "http://www.w3.org/2000/svg";
        XDocument accuracy = XDocument.Parse(SweepPlots.AccuracyVsPoison(result));
        XElement[] curves = [.. accuracy.Descendants(svg + "polyline").Where(e => (string?)e.Attribute("class") == "fit-curve")];
        Assert.Equal(["8", "24"], curves.Select(c => (string)c.Attribute("data-width")!).ToArray());
        Assert.All(curves, c => Assert.True(((string)c.Attribute("points")!).Split(' ').Length > 100));
        Assert.Contains(accuracy.Descendants(svg + "text"), t => t.Value.Contains("width 8: k = "));
        Assert.Contains(accuracy.Descendants(svg + "text"), t => t.Value == "Test accuracy");

        XDocument gap = XDocument.Parse(SweepPlots.GeneralizationGap(result));
        Assert.Equal(2, gap.Descendants(svg + "polyline").Count(e => (string?)e.Attribute("class") == "series"));

        XDocument panels = XDocument.Parse(SweepPlots.TrainVsTest(result));
        Assert.Equal(2 * 3, panels.Descendants(svg + "polyline").Count(e => (string?)e.Attribute("class") == "series"));
        Assert.Contains(panels.Descendants(svg + "text"), t => t.Value == "Hidden width 24");
    }

    [Fact]
    public void Bad_options_name_the_parameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("MaxDegreeOfParallelism",
            () => SweepRunner.Run(SmallConfig, new SweepRunOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("epochs", () => SweepRunner.Run(SmallConfig with { Epochs = -1 }));
    }

    // Progress<T> posts to the thread pool; tests want the reports in hand when Run returns.
    private sealed class SyncProgress(Action<SweepProgress> report) : IProgress<SweepProgress>
    {
        private readonly Lock _lock = new();

        public void Report(SweepProgress value)
        {
            lock (_lock)
                report(value);
        }
    }
}
