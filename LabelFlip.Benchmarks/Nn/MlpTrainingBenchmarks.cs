using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// One study-sized training run (350 rows × 10 features, 5 classes, 200 epochs, batch 64, lr 0.05) at several
/// hidden widths and depths, on the vector path (whatever the machine has: AVX-512 on Zen 4) and, as the baseline,
/// the very same code with DOTNET_EnableHWIntrinsic=0 (its scalar path). The GFLOP/s column counts the useful work
/// per row per epoch: 2·(2·d·h₁ + 3·Σ hₗ·hₗ₊₁ + 3·h_L·k) (forward, weight gradients, and the backward pass into every
/// hidden layer; biases not counted): 627 MFLOP per run at [128], 7.5 GFLOP at [128, 128], 3.8 GFLOP at [64, 64, 64].
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MlpTrainingBenchmarks
{
    private Dataset _train = null!;
    private readonly MlpTrainer _trainer = new();
    private readonly TrainingOptions _options = new();

    private int[] _widths = [];

    /// <summary>Hidden widths from the input side, '-' between layers; 100 is not a multiple of the 16-lane block.</summary>
    [Params("32", "64", "100", "128", "128-128", "64-64-64")]
    public string HiddenWidths { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _widths = ParseWidths(HiddenWidths);
        _train = TrainTestSplit.Create(GaussianClusters.Generate(), new RandomSource(42)).Train;
        _trainer.Train(_train, _widths, _options, new RandomSource(0)); // grow the trainer's buffers once
    }

    [Benchmark(Description = "Train one study run")]
    public TrainingResult Train() =>
        _trainer.Train(_train, _widths, _options, new RandomSource(1, StreamKey.Of("training")));

    /// <summary>The widths in a parameter value such as "128-128".</summary>
    public static int[] ParseWidths(string widths) =>
        [.. widths.Split('-').Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Useful floating-point operations of one run with hidden layers of <paramref name="widths"/>.</summary>
    public static double FlopsPerRun(IReadOnlyList<int> widths) => UsefulFlops(350, 10, widths, 5, 200);

    /// <summary>
    /// Useful floating-point operations of training: 2·(2·d·h₁ + 3·Σ hₗ·hₗ₊₁ + 3·h_L·k)·rows·epochs (forward, weight
    /// gradients and the backward pass into every hidden layer; biases not counted).
    /// </summary>
    public static double UsefulFlops(int rows, int features, IReadOnlyList<int> widths, int classes, int epochs)
    {
        double perRow = 2.0 * features * widths[0] + 3.0 * widths[^1] * classes;
        for (int l = 1; l < widths.Count; l++)
            perRow += 3.0 * widths[l - 1] * widths[l];
        return 2.0 * perRow * rows * epochs;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithId("Vector"));
            AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(8).WithId("Scalar")
                .WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0").AsBaseline());
            AddColumn(new GflopsColumn("Useful GFLOP/s: 2·(2·d·h₁ + 3·Σ hₗ·hₗ₊₁ + 3·h_L·k)·rows·epochs / mean time",
                c => FlopsPerRun(ParseWidths((string)c.Parameters[nameof(HiddenWidths)]))));
            HideColumns(Column.Job); // the job id already shows which path
        }
    }
}
