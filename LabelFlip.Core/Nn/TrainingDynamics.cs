using System.Collections.Immutable;

namespace LabelFlip.Core.Nn;

/// <summary>
/// A run's learning dynamics, as <see cref="DynamicsRecorder"/> records them: at each recorded epoch, how the network
/// does on the test rows, on the training rows whose labels were left clean, and on the flipped training rows (against
/// the noisy label they were trained on, and against their true label). Every array holds one value per entry of
/// <see cref="Epochs"/>, except that a group with no rows has none: the clean arrays are empty when every row was
/// flipped, the flipped arrays when none was.
/// </summary>
/// <param name="Epochs">The recorded epochs (1-based), ascending: m, 2m, … and the last.</param>
/// <param name="TestAccuracy">The share of test rows predicted as their label.</param>
/// <param name="CleanAccuracy">The share of clean training rows predicted as their (clean) label.</param>
/// <param name="MemorizationRate">The share of flipped training rows predicted as their noisy label: memorised.</param>
/// <param name="FlippedTrueAccuracy">The share of flipped training rows predicted as their true label.</param>
/// <param name="CleanLoss">The mean cross-entropy of the clean training rows against their label.</param>
/// <param name="FlippedLoss">The mean cross-entropy of the flipped training rows against their noisy label.</param>
public sealed record TrainingDynamics(
    ImmutableArray<int> Epochs,
    ImmutableArray<double> TestAccuracy,
    ImmutableArray<double> CleanAccuracy,
    ImmutableArray<double> MemorizationRate,
    ImmutableArray<double> FlippedTrueAccuracy,
    ImmutableArray<double> CleanLoss,
    ImmutableArray<double> FlippedLoss)
{
    /// <summary>Whether some training row was flipped: the flipped arrays then hold one value per epoch.</summary>
    public bool HasFlippedRows => !MemorizationRate.IsDefaultOrEmpty;

    /// <summary>Whether some training row kept its clean label: the clean arrays then hold one value per epoch.</summary>
    public bool HasCleanRows => !CleanAccuracy.IsDefaultOrEmpty;

    /// <summary>Equal when every array holds the same values (bit for bit; NaN never occurs).</summary>
    public bool Equals(TrainingDynamics? other) =>
        other is not null
        && Epochs.SequenceEqual(other.Epochs)
        && Same(TestAccuracy, other.TestAccuracy) && Same(CleanAccuracy, other.CleanAccuracy)
        && Same(MemorizationRate, other.MemorizationRate) && Same(FlippedTrueAccuracy, other.FlippedTrueAccuracy)
        && Same(CleanLoss, other.CleanLoss) && Same(FlippedLoss, other.FlippedLoss);

    /// <summary>A hash of the epochs and the test accuracy.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int epoch in Epochs.AsSpan())
            hash.Add(epoch);
        foreach (double value in TestAccuracy.AsSpan())
            hash.Add(value);
        return hash.ToHashCode();
    }

    private static bool Same(ImmutableArray<double> a, ImmutableArray<double> b) =>
        a.IsDefaultOrEmpty ? b.IsDefaultOrEmpty : !b.IsDefault && a.AsSpan().SequenceEqual(b.AsSpan());
}
