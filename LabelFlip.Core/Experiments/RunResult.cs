namespace LabelFlip.Core.Experiments;

/// <summary>Names one run of a sweep: the poison fraction, the hidden width and the training seed.</summary>
/// <param name="PoisonFraction">Fraction of training labels flipped.</param>
/// <param name="HiddenWidth">Hidden units of the network.</param>
/// <param name="Seed">Seed of the run's initialisation, shuffling and poisoning streams.</param>
public readonly record struct RunKey(double PoisonFraction, int HiddenWidth, ulong Seed)
{
    /// <inheritdoc />
    public override string ToString() => $"p={PoisonFraction:R} width={HiddenWidth} seed={Seed}";
}

/// <summary>What one trained network scored.</summary>
/// <param name="PoisonFraction">Fraction of training labels flipped.</param>
/// <param name="HiddenWidth">Hidden units of the network.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="TrainAccuracy">Accuracy on the training rows against their poisoned labels.</param>
/// <param name="TestAccuracy">Accuracy on the clean test rows.</param>
/// <param name="TrainCleanAccuracy">Accuracy on the training rows against their clean labels.</param>
/// <param name="GeneralizationGap">TrainAccuracy − TestAccuracy.</param>
/// <param name="FinalLoss">Mean cross-entropy of the last epoch.</param>
/// <param name="FlippedCount">How many training labels were flipped.</param>
/// <param name="MemorizationRate">Share of flipped training rows predicted with their poisoned label; null when none was flipped.</param>
public sealed record RunResult(
    double PoisonFraction,
    int HiddenWidth,
    ulong Seed,
    double TrainAccuracy,
    double TestAccuracy,
    double TrainCleanAccuracy,
    double GeneralizationGap,
    double FinalLoss,
    int FlippedCount,
    double? MemorizationRate)
{
    /// <summary>The run this result belongs to.</summary>
    public RunKey Key => new(PoisonFraction, HiddenWidth, Seed);
}
