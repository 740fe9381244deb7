using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Benchmarks.Experiments;

/// <summary>
/// The analysis over data draws of the main job's robustness section: the study's design over 30 data draws
/// (2,430 records: 9 fractions × 3 widths × 3 seeds × 30 draws), 2,000 resamples. Each resample refits all three
/// curves, and the paired comparisons resample draws again. Target on 2 cores: well under 1 s, beside ~45 s of
/// training (measured with --job short on 2 shared cores, AVX-512: 2,000 resamples 0.20–0.23 s and 1.9 MB allocated;
/// 200 resamples 20 ms). The records are synthetic sigmoids with per-draw and per-seed shifts, so the fitter works as on real
/// curves without training any network.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class DrawAnalysisBenchmarks
{
    private SweepConfig _config = null!;
    private RunRecord[] _records = null!;

    [Params(200, 2000)]
    public int Resamples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _config = SweepConfig.Study.WithAxis(SweepAxis.Of("data.seed", [.. Enumerable.Range(1, 30).Select(d => (ulong)d)]));
        _records = [.. Enumerable.Range(0, (int)_config.RunCount).Select(i =>
        {
            RunSpec run = _config.RunAt(i);
            double x0 = 0.45 - 0.02 * Math.Log2(run.Model.HiddenWidths[0] / 32.0) + 0.01 * ((long)(run.Data.Seed % 5) - 2) + 0.003 * ((long)(run.Seed % 3) - 1);
            double test = 0.6 / (1 + Math.Exp(6 * (run.Poison.Fraction - x0))) + 0.22;
            return new RunRecord(i, _config.CoordinatesAt(i), [0.95, test, 0.9, 0.95 - test, 0.3, 10, run.Poison.Fraction > 0 ? 0.5 : null, 5, null]);
        })];
    }

    [Benchmark]
    public DrawSummary? Analyze() => DrawAnalysis.Analyze(_config, _records, Resamples);
}
