using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Random;

/// <summary>Throughput of the random source's main draws, 1,024 draws per operation.</summary>
[MemoryDiagnoser]
public class RandomSourceBenchmarks
{
    private const int Draws = 1024;
    private RandomSource _random = null!;
    private readonly int[] _items = new int[Draws];

    [GlobalSetup]
    public void Setup() => _random = new RandomSource(42);

    [Benchmark(OperationsPerInvoke = Draws)]
    public ulong NextUInt64()
    {
        ulong x = 0;
        for (int i = 0; i < Draws; i++)
            x ^= _random.NextUInt64();
        return x;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public float NextSingle()
    {
        float x = 0;
        for (int i = 0; i < Draws; i++)
            x += _random.NextSingle();
        return x;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public int NextInt()
    {
        int x = 0;
        for (int i = 0; i < Draws; i++)
            x ^= _random.NextInt(350);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public double NextGaussian()
    {
        double x = 0;
        for (int i = 0; i < Draws; i++)
            x += _random.NextGaussian();
        return x;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public int Shuffle()
    {
        _random.Shuffle(_items.AsSpan());
        return _items[0];
    }
}
