using System.Collections.Immutable;

namespace LabelFlip.Core.Data;

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
}
