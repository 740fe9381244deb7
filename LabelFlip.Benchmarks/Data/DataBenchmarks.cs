using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Data;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Data;

/// <summary>The study's data pipeline: generate 500 × 10 clusters, split 70/30, poison the training labels.</summary>
[MemoryDiagnoser]
public class DataBenchmarks
{
    private Dataset _data = null!;
    private TrainTestSplit _split = null!;
    private readonly UniformLabelFlip _flip = new(0.3);

    [GlobalSetup]
    public void Setup()
    {
        _data = GaussianClusters.Generate();
        _split = TrainTestSplit.Create(_data, new RandomSource(42));
    }

    [Benchmark]
    public Dataset GenerateClusters() => GaussianClusters.Generate();

    [Benchmark]
    public TrainTestSplit Split() => TrainTestSplit.Create(_data, new RandomSource(42));

    [Benchmark]
    public PoisonedSplit Poison() => PoisonedSplit.Create(_split, _flip, new RandomSource(42, 1));
}
