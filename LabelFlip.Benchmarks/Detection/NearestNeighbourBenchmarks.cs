using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Data;
using LabelFlip.Core.Detection;
using LabelFlip.Core.Detection.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Detection;

/// <summary>
/// k-nearest-neighbour sanitisation: the squared distances from one row to n rows of d features (the kernel, a lane per
/// candidate row, against the plain loop it must equal bit for bit), and the whole detector (k = 9) on n rows, O(n²·d).
/// </summary>
[MemoryDiagnoser]
public class NearestNeighbourBenchmarks
{
    private float[] _features = [];
    private float[] _columns = [];
    private float[] _distances = [];
    private Dataset _data = null!;
    private readonly NearestNeighbourDetector _detector = new();

    /// <summary>Rows: the study's 350 training rows, a size not a multiple of any vector width, and Fashion-MNIST-sized subsets.</summary>
    [Params(350, 1001, 4000)]
    public int Rows { get; set; }

    /// <summary>Features: the study's 10 and Fashion-MNIST's 784.</summary>
    [Params(10, 784)]
    public int Features { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(1);
        _features = new float[Rows * Features];
        for (int i = 0; i < _features.Length; i++)
            _features[i] = (float)random.NextGaussian();
        _columns = new float[_features.Length];
        DistanceKernels.Transpose(_features, Rows, Features, _columns);
        _distances = new float[Rows];
        int[] labels = new int[Rows];
        for (int i = 0; i < Rows; i++)
            labels[i] = random.NextInt(5);
        _data = new Dataset(_features, labels, Features, 5);
    }

    [Benchmark(Baseline = true, Description = "distances from one row, plain loop")]
    public float PlainDistances()
    {
        for (int j = 0; j < Rows; j++)
        {
            float sum = 0f;
            for (int f = 0; f < Features; f++)
            {
                float difference = _features[f] - _features[j * Features + f];
                sum += difference * difference;
            }
            _distances[j] = sum;
        }
        return _distances[^1];
    }

    [Benchmark(Description = "distances from one row, kernel")]
    public float KernelDistances()
    {
        DistanceKernels.SquaredDistances(_features.AsSpan(0, Features), _columns, Rows, _distances);
        return _distances[^1];
    }

    [Benchmark(Description = "kNN detector, k = 9, all rows")]
    public DetectionResult Detector() => _detector.Detect(_data);
}
