using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// The study's training load: 81 runs (27 each at widths 32, 64, 128; 350 rows, 200 epochs) on two worker threads,
/// one <see cref="MlpTrainer"/> per thread, as the sweep does. The target is well under one second.
/// </summary>
[MemoryDiagnoser]
public class StudySweepBenchmarks
{
    private static readonly int[] s_widths = [32, 64, 128];
    private Dataset _train = null!;

    [GlobalSetup]
    public void Setup() => _train = TrainTestSplit.Create(GaussianClusters.Generate(), new RandomSource(42)).Train;

    [Benchmark]
    public double EightyOneRunsOnTwoThreads()
    {
        double[] finalLosses = new double[81];
        var options = new TrainingOptions();
        Parallel.For(0, 2, worker =>
        {
            var trainer = new MlpTrainer();
            for (int run = worker; run < finalLosses.Length; run += 2)
            {
                var random = new RandomSource((ulong)run, StreamKey.Of("training"));
                finalLosses[run] = trainer.Train(_train, s_widths[run % 3], options, random).FinalLoss;
            }
        });
        return finalLosses.Sum();
    }
}
