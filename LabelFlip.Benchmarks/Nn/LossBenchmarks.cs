using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// One study-sized training run (350 rows × 10 features, 5 classes, one hidden layer of 128, 200 epochs, batch 64,
/// lr 0.05) per loss, the cross-entropy as the baseline: what a robust loss costs per run. The allocations are the
/// run's result (the network and its epoch losses), the same for every loss: nothing is allocated per epoch.
/// </summary>
[MemoryDiagnoser]
public class LossBenchmarks
{
    private Dataset _train = null!;
    private readonly MlpTrainer _trainer = new();
    private TrainingOptions _options = new();

    /// <summary>The loss, by its run-field name.</summary>
    [Params(LossFunction.CrossEntropyName, LossFunction.LabelSmoothingName, LossFunction.GeneralizedCrossEntropyName,
        LossFunction.SymmetricCrossEntropyName, LossFunction.SoftBootstrappingName, LossFunction.HardBootstrappingName,
        LossFunction.ForwardCorrectedName)]
    public string Loss { get; set; } = LossFunction.CrossEntropyName;

    [GlobalSetup]
    public void Setup()
    {
        _train = TrainTestSplit.Create(GaussianClusters.Generate(), new RandomSource(42)).Train;
        _options = new TrainingOptions { Loss = Create(Loss, _train.ClassCount) };
        _trainer.Train(_train, 128, _options, new RandomSource(0)); // grow the trainer's buffers once
    }

    [Benchmark(Description = "Train one study run")]
    public TrainingResult Train() => _trainer.Train(_train, 128, _options, new RandomSource(1, StreamKey.Of("training")));

    // The papers' parameters; forward correction with symmetric noise at 30 %.
    private static LossFunction Create(string name, int classCount) => name switch
    {
        LossFunction.LabelSmoothingName => LossFunction.LabelSmoothing(0.1),
        LossFunction.GeneralizedCrossEntropyName => LossFunction.GeneralizedCrossEntropy(0.7),
        LossFunction.SymmetricCrossEntropyName => LossFunction.SymmetricCrossEntropy(0.1, 1.0),
        LossFunction.SoftBootstrappingName => LossFunction.SoftBootstrapping(0.95),
        LossFunction.HardBootstrappingName => LossFunction.HardBootstrapping(0.8),
        LossFunction.ForwardCorrectedName => LossFunction.ForwardCorrected(TransitionMatrix.Symmetric(classCount, 0.3)),
        _ => LossFunction.CrossEntropy,
    };
}
