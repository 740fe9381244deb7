using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Benchmarks.Experiments;

/// <summary>
/// The study's whole default sweep: 81 runs (9 fractions × 3 widths × 3 seeds), data, poisoning, training,
/// evaluation, aggregation and the three sigmoid fits, in memory. Target on 2 cores: ≤ 1 s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SweepBenchmarks
{
    private readonly SweepConfig _config = SweepConfig.Study;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark]
    public SweepResult DefaultSweep() =>
        SweepRunner.Run(_config, new SweepRunOptions { MaxDegreeOfParallelism = Threads });
}
