using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// One study-sized training run (350 rows × 10 features, 5 classes, 200 epochs, batch 64, lr 0.05) at several
/// hidden widths, on the vector path (whatever the machine has: AVX-512 on Zen 4) and, as the baseline, the very
/// same code with DOTNET_EnableHWIntrinsic=0 (its scalar path). The GFLOP/s column counts the useful work:
/// 2·(2dh + 3hk) flops per row per epoch (70·h at d = 10, k = 5), 627 MFLOP per run at h = 128.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MlpTrainingBenchmarks
{
    private Dataset _train = null!;
    private readonly MlpTrainer _trainer = new();
    private readonly TrainingOptions _options = new();

    /// <summary>Hidden width; 100 is not a multiple of the 16-lane block.</summary>
    [Params(32, 64, 100, 128)]
    public int HiddenWidth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _train = TrainTestSplit.Create(GaussianClusters.Generate(), new RandomSource(42)).Train;
        _trainer.Train(_train, HiddenWidth, _options, new RandomSource(0)); // grow the trainer's buffers once
    }

    [Benchmark(Description = "Train one study run")]
    public TrainingResult Train() =>
        _trainer.Train(_train, HiddenWidth, _options, new RandomSource(1, StreamKey.Of("training")));

    /// <summary>Useful floating-point operations of one run at width <paramref name="hiddenWidth"/>.</summary>
    public static double FlopsPerRun(int hiddenWidth)
    {
        const int Rows = 350, Epochs = 200, Features = 10, Classes = 5;
        return 2.0 * (2.0 * Features * hiddenWidth + 3.0 * hiddenWidth * Classes) * Rows * Epochs;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithId("Vector"));
            AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(8).WithId("Scalar")
                .WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0").AsBaseline());
            AddColumn(new GflopsColumn());
            HideColumns(Column.Job); // the job id already shows which path
        }
    }

    /// <summary>GFLOP/s = useful flops of one run / mean time of one run.</summary>
    private sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);
        public string ColumnName => "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Useful GFLOP/s: 2·(2dh + 3hk)·rows·epochs / mean time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (nanoseconds is not > 0)
                return "-";
            int width = (int)benchmarkCase.Parameters[nameof(HiddenWidth)];
            return (FlopsPerRun(width) / nanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
