using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Benchmarks.Experiments;

/// <summary>
/// The study's whole default sweep: 81 runs (9 fractions × 3 widths × 3 seeds), data, poisoning, training,
/// evaluation, curves, the three sigmoid fits and the findings, in memory. Target on 2 cores: ≤ 1 s.
/// </summary>
/// <remarks>
/// <see cref="ThreeShardsMerged"/> runs the same sweep as three shards, one after another in this process, then
/// merges their records and analyses them, as <c>--shard 1/3</c> … <c>3/3</c> and <c>merge</c> would on three machines
/// (without the run logs' disk I/O). Its excess over <see cref="DefaultSweep"/> is the cost of sharding: planning
/// each slice, building the data set once per shard instead of once, and each shard's last thread finishing alone.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SweepBenchmarks
{
    private const int ShardCount = 3;

    private readonly SweepConfig _config = SweepConfig.Study;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark(Baseline = true)]
    public SweepResult DefaultSweep() =>
        SweepRunner.Run(_config, new SweepRunOptions { MaxDegreeOfParallelism = Threads });

    [Benchmark]
    public SweepSummary ThreeShardsMerged()
    {
        var logs = new RunLogContents[ShardCount];
        for (int s = 0; s < ShardCount; s++)
        {
            var shard = new SweepShard(s + 1, ShardCount);
            SweepExecution part = SweepRunner.Execute(_config, new SweepRunOptions { MaxDegreeOfParallelism = Threads, Shard = shard });
            logs[s] = new RunLogContents($"shard {shard}", _config, part.Records.ToImmutableArray());
        }
        return SweepAnalysis.Analyze(_config, RunLog.Merge(_config, logs));
    }
}
