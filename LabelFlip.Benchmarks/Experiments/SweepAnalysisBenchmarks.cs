using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Benchmarks.Experiments;

/// <summary>
/// What a sweep costs besides training, on the default sweep's 81 records (run once in the setup): planning three
/// shards, the analysis (curves, fits, findings), and the analysis with the deterministic outputs a merge writes
/// (results.json, runs.csv, curves.csv).
/// </summary>
[MemoryDiagnoser]
public class SweepAnalysisBenchmarks
{
    private const int ShardCount = 3;

    private readonly SweepConfig _config = SweepConfig.Study;
    private ImmutableArray<RunRecord> _records = [];
    private SweepTimings _timings = new(TimeSpan.Zero, [], 1, 0);

    [GlobalSetup]
    public void Setup()
    {
        SweepResult result = SweepRunner.Run(_config);
        _records = result.Runs.ToImmutableArray();
        _timings = result.Timings;
    }

    /// <summary>Deals the 81 runs to three shards by expected cost, as each shard does before it starts.</summary>
    [Benchmark]
    public int PlanThreeShards()
    {
        int planned = 0;
        for (int s = 1; s <= ShardCount; s++)
            planned += new SweepShard(s, ShardCount).Runs(_config).Length;
        return planned;
    }

    [Benchmark(Baseline = true)]
    public SweepSummary Analyze() => SweepAnalysis.Analyze(_config, _records);

    [Benchmark]
    public int AnalyzeAndWriteOutputs()
    {
        var result = new SweepResult(_config, _records, SweepAnalysis.Analyze(_config, _records), _timings);
        return ResultsJson.Results(result).Length + TidyCsv.Runs(result).Length + TidyCsv.Curves(result).Length;
    }
}
