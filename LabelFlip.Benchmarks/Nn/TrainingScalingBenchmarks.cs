using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// How one training run's time scales with each size, one at a time from the study's (350 rows, 10 features, 5 classes,
/// one hidden layer of 128, batch 64): rows, features, width and depth, each case 20 epochs on the machine's vector path.
/// The GFLOP/s column counts the useful work as <see cref="MlpTrainingBenchmarks"/> does; read it against
/// <see cref="CeilingBenchmarks"/>' unfused figure for this machine. A case is written rows×features×widths, for
/// example "350x10x128-128".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TrainingScalingBenchmarks
{
    private const int Epochs = 20, Classes = 5;

    private readonly MlpTrainer _trainer = new();
    private readonly TrainingOptions _options = new() { Epochs = Epochs };
    private Dataset _train = null!;
    private int[] _widths = [];

    /// <summary>Rows × features × hidden widths ('-' between layers).</summary>
    [Params("350x10x128", "1400x10x128", "5600x10x128", "350x100x128", "350x784x128",
        "350x10x32", "350x10x512", "350x10x2048", "350x10x128-128", "350x10x128-128-128")]
    public string Case { get; set; } = "350x10x128";

    [GlobalSetup]
    public void Setup()
    {
        (int rows, int features, int[] widths) = Parse(Case);
        _widths = widths;
        _train = GaussianClusters.Generate(sampleCount: rows, featureCount: features, classCount: Classes);
        _trainer.Train(_train, _widths, _options, new RandomSource(0)); // grow the trainer's buffers once
    }

    [Benchmark(Description = "Train 20 epochs")]
    public TrainingResult Train() =>
        _trainer.Train(_train, _widths, _options, new RandomSource(1, StreamKey.Of("training")));

    private static (int Rows, int Features, int[] Widths) Parse(string value)
    {
        string[] parts = value.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            MlpTrainingBenchmarks.ParseWidths(parts[2]));
    }

    /// <summary>Useful floating-point operations of one case (<see cref="MlpTrainingBenchmarks.UsefulFlops"/>).</summary>
    public static double Flops(string value)
    {
        (int rows, int features, int[] widths) = Parse(value);
        return MlpTrainingBenchmarks.UsefulFlops(rows, features, widths, Classes, Epochs);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("Vector"));
            AddColumn(new GflopsColumn("Useful GFLOP/s: 2·(2·d·h₁ + 3·Σ hₗ·hₗ₊₁ + 3·h_L·k)·rows·epochs / mean time",
                c => Flops((string)c.Parameters[nameof(Case)])));
        }
    }
}
