using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Data;

/// <summary>Drawing a stratified subset of the 60,000-image Fashion-MNIST training pool, rows copied out.</summary>
[MemoryDiagnoser]
public class StratifiedSampleBenchmarks
{
    private Dataset _pool = null!;

    [Params(1_000, 10_007)]
    public int SampleCount { get; set; }

    [GlobalSetup]
    public void Setup() => _pool = FashionMnist.Load().Train;

    [Benchmark]
    public int[] Rows() => StratifiedSample.DrawRows(_pool, SampleCount, new RandomSource(42, StreamKey.Of("subset")));

    [Benchmark]
    public Dataset Subset() => StratifiedSample.Draw(_pool, SampleCount, new RandomSource(42, StreamKey.Of("subset")));
}
