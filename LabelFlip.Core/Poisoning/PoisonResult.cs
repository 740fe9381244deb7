using System.Collections.Immutable;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// What a poisoner did: the labels after poisoning and the rows whose label it changed, the ground truth
/// that defenses are scored against.
/// </summary>
/// <param name="Labels">One label per row, after poisoning.</param>
/// <param name="FlippedRows">Indices of the rows whose label differs from the clean one, ascending.</param>
public sealed record PoisonResult(ImmutableArray<int> Labels, ImmutableArray<int> FlippedRows)
{
    /// <summary>How many labels were flipped.</summary>
    public int FlippedCount => FlippedRows.Length;
}
