using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

public class SweepRunnerTests
{
    // 3 fractions × 2 widths × 2 data draws × 2 seeds = 24 short runs.
    private static readonly SweepConfig s_small = SweepConfig.FromJson("""
        { "base": { "training": { "epochs": 4 }, "data": { "sample_count": 120 } },
          "axes": { "poison.fraction": [0, 0.25, 0.5], "model.hidden_widths": [[4], [12]], "data.seed": [1, 2], "seed": [7, 8] } }
        """);

    private static readonly Lazy<string> s_singleProcess = new(() =>
        ResultsJson.Results(SweepRunner.Run(s_small, new SweepRunOptions { MaxDegreeOfParallelism = 2 })));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shards_merge_to_the_bytes_of_one_process_in_any_order_and_thread_count(int shards)
    {
        using var folder = new TempFolder();
        string[] directories = [.. Enumerable.Range(1, shards).Select(i => folder.File($"shard-{i}"))];
        // Run them last to first, with alternating thread counts.
        for (int i = shards; i >= 1; i--)
        {
            SweepRunner.Execute(s_small, new SweepRunOptions
            {
                Shard = new SweepShard(i, shards),
                OutputDirectory = directories[i - 1],
                MaxDegreeOfParallelism = 1 + i % 2,
            });
            Assert.True(File.Exists(Path.Combine(directories[i - 1], SweepRunner.ShardManifestFile)));
        }
        SweepResult merged = SweepRunner.Merge(directories.Reverse());
        Assert.Equal(s_singleProcess.Value, ResultsJson.Results(merged));
    }

    [Fact]
    public void Shards_are_disjoint_cover_the_plan_and_balance_the_cost()
    {
        foreach (int n in new[] { 1, 2, 3, 7, 24, 30 })
        {
            long[][] slices = [.. Enumerable.Range(1, n).Select(i => new SweepShard(i, n).Runs(s_small))];
            Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), slices.SelectMany(s => s).Order());
            Assert.All(slices, s => Assert.Equal(s.Order(), s));
            if (n <= 3)
                Assert.True(slices.Max(s => s.Length) - slices.Min(s => s.Length) <= 2, $"unbalanced at {n}");
        }
        // Wide runs cost more: with 2 shards each gets half the wide runs.
        long[] first = new SweepShard(1, 2).Runs(s_small);
        Assert.Equal(6, first.Count(i => s_small.RunAt(i).Model.HiddenWidths[0] == 12));
    }

    [Fact]
    public void A_run_log_of_another_shard_is_refused()
    {
        using var folder = new TempFolder();
        SweepRunner.Execute(s_small, new SweepRunOptions { Shard = new SweepShard(1, 3), OutputDirectory = folder.Path });
        RunLogException e = Assert.Throws<RunLogException>(() =>
            SweepRunner.Execute(s_small, new SweepRunOptions { Shard = new SweepShard(2, 3), OutputDirectory = folder.Path }));
        Assert.Contains("not in shard 2/3", e.Message);
    }

    [Fact]
    public void Results_do_not_depend_on_threads_or_on_being_resumed()
    {
        using var folder = new TempFolder();
        var cancel = new CancellationTokenSource();
        int seen = 0;
        var progress = new SynchronousProgress(p =>
        {
            if (Interlocked.Increment(ref seen) == 9)
                cancel.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SweepRunner.Run(s_small, new SweepRunOptions { OutputDirectory = folder.Path, MaxDegreeOfParallelism = 1 }, progress, cancel.Token));
        int kept = RunLog.Read(folder.File(RunLog.FileName)).Records.Length;
        Assert.InRange(kept, 9, 23);
        SweepResult resumed = SweepRunner.Run(s_small, new SweepRunOptions { OutputDirectory = folder.Path, MaxDegreeOfParallelism = 2 });
        Assert.Equal(kept, resumed.Timings.ResumedRuns);
        Assert.Equal(s_singleProcess.Value, ResultsJson.Results(resumed));
        Assert.Equal(s_singleProcess.Value, ResultsJson.Results(SweepRunner.Run(s_small, new SweepRunOptions { MaxDegreeOfParallelism = 1 })));
    }

    [Fact]
    public void A_run_depends_only_on_its_own_spec()
    {
        SweepResult sweep = SweepRunner.Run(s_small);
        for (long i = 0; i < s_small.RunCount; i += 5)
            Assert.Equal(sweep.Runs[(int)i].Metrics.ToArray(), SweepRunner.RunOne(s_small.RunAt(i)).ToArray());
    }

    [Fact]
    public void The_output_folder_is_held_for_one_sweep_at_a_time()
    {
        using var folder = new TempFolder();
        using (OutputFolderLock.Acquire(folder.Path))
        {
            Assert.Throws<OutputFolderBusyException>(() => OutputFolderLock.Acquire(folder.Path));
            // The runner sees that this process holds the folder and works inside the hold.
            SweepRunner.Execute(s_small, new SweepRunOptions { Shard = new SweepShard(1, 24), OutputDirectory = folder.Path });
        }
        using (OutputFolderLock.Acquire(folder.Path))
        {
        }
        File.WriteAllText(folder.File("a-file"), "");
        Assert.Contains("is a file", Assert.Throws<ArgumentException>(() => OutputFolderLock.Acquire(folder.File("a-file"))).Message);
        Assert.Throws<ArgumentException>(() => OutputFolderLock.Acquire(" "));
    }

    [Fact]
    public void Bad_options_are_refused_with_their_name()
    {
        Assert.Equal("MaxDegreeOfParallelism", Assert.ThrowsAny<ArgumentException>(() =>
            SweepRunner.Run(s_small, new SweepRunOptions { MaxDegreeOfParallelism = 5000 })).ParamName);
        Assert.Equal("options", Assert.ThrowsAny<ArgumentException>(() =>
            SweepRunner.Run(s_small, new SweepRunOptions { Shard = new SweepShard(1, 2) })).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => SweepShard.Parse("3/2")).ParamName);
    }

    private sealed class SynchronousProgress(Action<SweepProgress> report) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => report(value);
    }
}
