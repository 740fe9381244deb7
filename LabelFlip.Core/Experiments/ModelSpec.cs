using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>The model part of a run: a Linear–ReLU–…–Linear network with these hidden layers.</summary>
/// <remarks>JSON path: <c>model.hidden_widths</c>, e.g. <c>[64]</c> or <c>[128, 128]</c>.</remarks>
public sealed record ModelSpec
{
    /// <summary>The width of each hidden layer, input side first; at least one layer.</summary>
    public ImmutableArray<int> HiddenWidths { get; init; } = [64];

    /// <inheritdoc />
    public bool Equals(ModelSpec? other) => other is not null && HiddenWidths.SequenceEqual(other.HiddenWidths);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int width in HiddenWidths)
            hash.Add(width);
        return hash.ToHashCode();
    }
}
