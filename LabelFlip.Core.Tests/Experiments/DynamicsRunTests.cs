using System.Collections.Immutable;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

public class DynamicsRunTests
{
    private const string Axes = """
        "axes": { "poison.fraction": [0, 0.25, 0.5], "model.hidden_widths": [[4], [12]], "data.seed": [1, 2], "seed": [7, 8] }
        """;

    // 3 fractions × 2 widths × 2 data draws × 2 seeds = 24 short runs, recorded at epochs 3, 6 and 7.
    internal static readonly SweepConfig Recorded = SweepConfig.FromJson(
        $$"""{ "base": { "training": { "epochs": 7, "record_every": 3 }, "data": { "sample_count": 120 } }, {{Axes}} }""");

    private static readonly SweepConfig s_plain = SweepConfig.FromJson(
        $$"""{ "base": { "training": { "epochs": 7 }, "data": { "sample_count": 120 } }, {{Axes}} }""");

    private static readonly Lazy<SweepResult> s_recorded = new(() => SweepRunner.Run(Recorded, new SweepRunOptions { MaxDegreeOfParallelism = 2 }));

    [Fact]
    public void Recording_changes_no_metric_of_any_run()
    {
        SweepResult plain = SweepRunner.Run(s_plain, new SweepRunOptions { MaxDegreeOfParallelism = 2 });
        Assert.All(plain.Runs, r => Assert.Null(r.Dynamics));
        Assert.Equal(plain.Runs.Select(r => r.Metrics.ToArray()), s_recorded.Value.Runs.Select(r => r.Metrics.ToArray()));
    }

    [Fact]
    public void The_last_recorded_epoch_equals_the_runs_final_metrics_exactly()
    {
        foreach (RunRecord run in s_recorded.Value.Runs)
        {
            TrainingDynamics d = run.Dynamics!;
            Assert.Equal([3, 6, 7], d.Epochs.ToArray());
            Assert.Equal(run.Get(RunMetrics.TestAccuracy), d.TestAccuracy[^1]);
            double? memorization = run.Get(RunMetrics.MemorizationRate);
            Assert.Equal(memorization is not null, d.HasFlippedRows);
            if (memorization is double m)
                Assert.Equal(m, d.MemorizationRate[^1]);
            Assert.True(d.HasCleanRows);
        }
    }

    [Fact]
    public void The_study_streams_record_too_and_end_on_their_final_metrics()
    {
        SweepConfig study = SweepConfig.FromJson("""
            { "base": { "streams": "study", "training": { "epochs": 5, "record_every": 2 }, "model": { "hidden_widths": [8] } },
              "axes": { "poison.fraction": [0.3] } }
            """);
        RunRecord run = SweepRunner.Run(study, new SweepRunOptions { MaxDegreeOfParallelism = 1 }).Runs[0];
        Assert.Equal([2, 4, 5], run.Dynamics!.Epochs.ToArray());
        Assert.Equal(run.Get(RunMetrics.TestAccuracy), run.Dynamics.TestAccuracy[^1]);
        Assert.Equal(run.Get(RunMetrics.MemorizationRate), run.Dynamics.MemorizationRate[^1]);
        ImmutableArray<double?> alone = SweepRunner.RunOne(study.RunAt(0) with { Training = study.RunAt(0).Training with { RecordEvery = null } });
        Assert.Equal(alone.ToArray(), run.Metrics.ToArray());
    }

    [Fact]
    public void Dynamics_are_the_same_across_thread_counts_shards_and_a_resumed_log()
    {
        SweepResult oneThread = SweepRunner.Run(Recorded, new SweepRunOptions { MaxDegreeOfParallelism = 1 });
        Assert.Equal(s_recorded.Value.Runs.Select(r => r.Dynamics), oneThread.Runs.Select(r => r.Dynamics));

        using var folder = new TempFolder();
        string[] directories = [.. Enumerable.Range(1, 3).Select(i => folder.File($"shard-{i}"))];
        for (int i = 3; i >= 1; i--)
        {
            SweepRunner.Execute(Recorded, new SweepRunOptions
            {
                Shard = new SweepShard(i, 3),
                OutputDirectory = directories[i - 1],
                MaxDegreeOfParallelism = 1 + i % 2,
            });
        }
        // Merging reads every record back from its run log: the curves survive the file, bit for bit.
        SweepResult merged = SweepRunner.Merge(directories);
        Assert.Equal(s_recorded.Value.Runs.Select(r => r.Dynamics), merged.Runs.Select(r => r.Dynamics));
        Assert.Equal(ResultsJson.Results(s_recorded.Value), ResultsJson.Results(merged));
        Assert.Equal(TidyCsv.Dynamics(s_recorded.Value), TidyCsv.Dynamics(merged));
    }

    [Fact]
    public void A_sweep_resumed_from_a_partial_run_log_gives_the_same_dynamics_and_results()
    {
        using var folder = new TempFolder();
        SweepRunner.Execute(Recorded, new SweepRunOptions { Shard = new SweepShard(1, 2), OutputDirectory = folder.Path, MaxDegreeOfParallelism = 1 });
        SweepResult resumed = SweepRunner.Run(Recorded, new SweepRunOptions { OutputDirectory = folder.Path, MaxDegreeOfParallelism = 2 });
        Assert.Equal(new SweepShard(1, 2).Runs(Recorded).Length, resumed.Timings.ResumedRuns);
        Assert.Equal(s_recorded.Value.Runs.Select(r => r.Dynamics), resumed.Runs.Select(r => r.Dynamics));
        Assert.Equal(ResultsJson.Results(s_recorded.Value), ResultsJson.Results(resumed));
    }

    [Fact]
    public void A_record_without_the_dynamics_its_run_asks_for_is_refused()
    {
        using var folder = new TempFolder();
        SweepConfig tiny = SweepConfig.FromJson("""
            { "base": { "training": { "epochs": 3, "record_every": 2 }, "model": { "hidden_widths": [4] }, "data": { "sample_count": 60 } },
              "axes": { "poison.fraction": [0, 0.5] } }
            """);
        SweepRunner.Execute(tiny, new SweepRunOptions { OutputDirectory = folder.Path, MaxDegreeOfParallelism = 1 });
        string path = folder.File(RunLog.FileName);
        string[] lines = File.ReadAllText(path).Split('\n');
        Assert.Contains("\"dynamics\":{\"epoch\":[2,3],\"test_accuracy\":[", lines[1]);
        Assert.Equal([2, 3], RunLog.Read(path).Records[0].Dynamics!.Epochs.ToArray());

        void RefusedWith(string line, string says)
        {
            File.WriteAllText(path, string.Join('\n', [lines[0], line, ""]));
            RunLogException e = Assert.Throws<RunLogException>(() => RunLog.Read(path));
            Assert.Contains(says, e.Message, StringComparison.Ordinal);
        }

        int cut = lines[1].IndexOf(",\"dynamics\"", StringComparison.Ordinal);
        RefusedWith(lines[1][..cut] + "}", "has no dynamics, which training.record_every = 2 asks for");
        RefusedWith(lines[1].Replace("\"epoch\":[2,3]", "\"epoch\":[1,3]", StringComparison.Ordinal), "must be the epochs 2, 4, … and 3");
        RefusedWith(lines[1].Replace("\"test_accuracy\":[", "\"test_accuracy\":[1.5,", StringComparison.Ordinal), "must be a list of 2 numbers");
        RefusedWith(lines[1].Replace("\"clean_loss\":[", "\"clean_loss\":[-1,", StringComparison.Ordinal), "must be a list of 2 numbers");
        string run0 = lines[1];
        int start = run0.IndexOf("\"clean_loss\":[", StringComparison.Ordinal) + "\"clean_loss\":[".Length;
        RefusedWith(run0[..start] + "-1" + run0[run0.IndexOf(',', start)..], "dynamics.clean_loss must hold numbers ≥ 0");
    }

    [Theory]
    [InlineData("""{ "base": { "training": { "record_every": 0 } } }""", "training.record_every", "must be an integer in [1, training.epochs]")]
    [InlineData("""{ "base": { "training": { "record_every": 2.5 } } }""", "training.record_every", "got 2.5")]
    [InlineData("""{ "base": { "training": { "record_every": "10" } } }""", "training.record_every", "(a string)")]
    [InlineData("""{ "base": { "training": { "epochs": 20, "record_every": 21 } } }""", "base", "training.record_every must be an integer in [1, training.epochs] = [1, 20]; got 21")]
    [InlineData("""{ "base": { "training": { "record_every": 10 } }, "axes": { "training.epochs": [50, 5] } }""", "training.epochs", "training.epochs = 5: training.record_every must be an integer in [1, training.epochs] = [1, 5]; got 10")]
    public void A_bad_record_every_is_refused_in_one_line_naming_the_field_and_its_range(string json, string parameter, string fragment)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => SweepConfig.FromJson(json));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message.Split(" (Parameter")[0]);
    }

    [Fact]
    public void Record_every_left_unset_or_null_changes_no_fingerprint()
    {
        Assert.Equal("139baeeb57abcf77", SweepConfig.Study.Fingerprint);
        Assert.Null(SweepConfig.Study.Base.Training.RecordEvery);
        SweepConfig nulled = SweepConfig.FromJson("""{ "base": { "training": { "record_every": null } } }""");
        SweepConfig unset = SweepConfig.FromJson("""{ "base": { "training": { } } }""");
        Assert.Equal(unset.Fingerprint, nulled.Fingerprint);
        SweepConfig set = SweepConfig.FromJson("""{ "base": { "training": { "record_every": 10 } } }""");
        Assert.NotEqual(unset.Fingerprint, set.Fingerprint);
        Assert.Equal(10, set.Base.Training.RecordEvery);
    }
}
