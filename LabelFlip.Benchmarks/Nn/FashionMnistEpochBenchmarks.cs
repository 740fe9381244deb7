using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using LabelFlip.Core.Data;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// One training epoch of a 784–h–10 network on Fashion-MNIST's 60,000 training images (batch 64, lr 0.05, one
/// thread), the real files (install with .ci/install-datasets.sh). The GFLOP/s column counts the useful work:
/// 2·(2·784·h + 3·h·10) per image; 24.5 GFLOP at h = 128, 98.2 at 512, 392.7 at 2,048. The allocation is the
/// trained network and its loss array, made once per call, not per epoch or batch. Two epochs side by side, one per
/// core, show how it scales on two cores. The last benchmark is a whole run as a sweep executes it (poison 30 % of
/// the 60,000 labels, one epoch, score train and test): its allocation shows that a run owns its labels and
/// predictions only, never a copy of the 188 MB of shared features.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class FashionMnistEpochBenchmarks
{
    private const int Classes = FashionMnist.ClassCount;

    private Dataset _train = null!;
    private RunData _data = null!;
    private readonly RunExecutor _executor = new();
    private readonly MlpTrainer _trainer = new();
    private readonly MlpTrainer _secondTrainer = new();
    private readonly TrainingOptions _options = new() { Epochs = 1 };

    [Params(128, 512, 2048)]
    public int HiddenWidth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new RunData(DataSpec.FashionMnist(), RunSpec.OurStreams);
        _train = _data.Train;
        _trainer.Train(_train, [HiddenWidth], _options with { Epochs = 1 }, new RandomSource(0)); // grow the buffers once
        _secondTrainer.Train(_train, [HiddenWidth], _options with { Epochs = 1 }, new RandomSource(0));
    }

    [Benchmark(Description = "One epoch, 60,000 images")]
    public TrainingResult Epoch() => _trainer.Train(_train, [HiddenWidth], _options, new RandomSource(1, StreamKey.Of("training")));

    // Two networks at once, one per core, as a sweep runs them: twice the work of Epoch, so the same time means the
    // second core adds all of its speed (the 188 MB of features are shared, read by both).
    [Benchmark(Description = "Two epochs side by side, one per core")]
    public void TwoEpochs() => Parallel.Invoke(
        new ParallelOptions { MaxDegreeOfParallelism = 2 },
        () => _trainer.Train(_train, [HiddenWidth], _options, new RandomSource(1, StreamKey.Of("training"))),
        () => _secondTrainer.Train(_train, [HiddenWidth], _options, new RandomSource(2, StreamKey.Of("training"))));

    [Benchmark(Description = "One sweep run, 60,000 images, 1 epoch")]
    public System.Collections.Immutable.ImmutableArray<double?> Run() => _executor.Execute(
        new RunSpec
        {
            Data = DataSpec.FashionMnist(),
            Poison = new PoisonSpec { Fraction = 0.3 },
            Model = new ModelSpec { HiddenWidths = [HiddenWidth] },
            Training = new TrainingSpec { Epochs = 1 },
        },
        _data, CancellationToken.None);

    /// <summary>Useful floating-point operations of one epoch at hidden width <paramref name="width"/>.</summary>
    public static double FlopsPerEpoch(int width) =>
        2.0 * (2.0 * FashionMnist.FeatureCount * width + 3.0 * width * Classes) * FashionMnist.TrainingImageCount;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // An epoch takes seconds: a few single-invocation iterations are enough for a stable mean.
            AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new GflopsColumn("Useful GFLOP/s: 2·(2·784·h + 3·h·10)·60,000 / mean time",
                c => c.Descriptor.WorkloadMethod.Name switch
                {
                    nameof(Epoch) => FlopsPerEpoch((int)c.Parameters[nameof(HiddenWidth)]),
                    nameof(TwoEpochs) => 2 * FlopsPerEpoch((int)c.Parameters[nameof(HiddenWidth)]),
                    _ => double.NaN,
                }));
        }
    }
}
