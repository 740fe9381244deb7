using System.Collections.Immutable;

using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// A train/test split whose training labels were poisoned: what a model is trained and scored on.
/// </summary>
/// <param name="Train">The training rows with their poisoned labels.</param>
/// <param name="CleanTrainLabels">The training rows' true labels, to measure how much poison a model memorised.</param>
/// <param name="Test">The test rows, always with clean labels.</param>
/// <param name="FlippedRows">Indices into <paramref name="Train"/> of the rows whose label was flipped, ascending.</param>
public sealed record PoisonedSplit(
    Dataset Train,
    ImmutableArray<int> CleanTrainLabels,
    Dataset Test,
    ImmutableArray<int> FlippedRows)
{
    /// <summary>The training rows with their clean labels.</summary>
    public Dataset CleanTrain => Train.WithLabels(CleanTrainLabels.AsSpan());

    /// <summary>Poisons the training labels of <paramref name="split"/>; the test labels stay clean.</summary>
    /// <param name="split">The clean split.</param>
    /// <param name="poisoner">The attack.</param>
    /// <param name="random">The stream the attack draws from.</param>
    public static PoisonedSplit Create(TrainTestSplit split, ILabelPoisoner poisoner, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(poisoner);
        ArgumentNullException.ThrowIfNull(random);
        PoisonResult result = poisoner.Poison(split.Train, random);
        return new PoisonedSplit(split.Train.WithLabels(result.Labels.AsSpan()), split.Train.Labels, split.Test, result.FlippedRows);
    }
}
