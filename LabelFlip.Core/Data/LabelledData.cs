using System.Collections.Immutable;

namespace LabelFlip.Core.Data;

/// <summary>
/// Data loaded from files: the training pool, the clean test set when the source has one, and the names
/// of the classes and features.
/// </summary>
/// <param name="Train">The training pool.</param>
/// <param name="Test">The clean test set, or null when the source has none (then split <paramref name="Train"/>).</param>
/// <param name="ClassNames">The name of class c at index c; as many as <see cref="Dataset.ClassCount"/>.</param>
public sealed record LabelledData(Dataset Train, Dataset? Test, ImmutableArray<string> ClassNames)
{
    /// <summary>The name of each feature column when the source names them (a CSV header); otherwise empty.</summary>
    public ImmutableArray<string> FeatureNames { get; init; } = [];

    /// <summary>The standardisation applied to <see cref="Train"/> and <see cref="Test"/>, or null when none was.</summary>
    public FeatureStandardization? Standardization { get; init; }
}
