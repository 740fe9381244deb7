using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Data;

namespace LabelFlip.Benchmarks.Data;

/// <summary>Loading Fashion-MNIST from Debian's gzip-compressed files (install with .ci/install-datasets.sh).</summary>
[MemoryDiagnoser]
public class FashionMnistBenchmarks
{
    /// <summary>Both sets: 70,000 images decompressed and scaled into 219 MB of floats.</summary>
    [Benchmark]
    public LabelledData LoadTrainAndTest() => FashionMnist.Load();
}
