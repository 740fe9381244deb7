using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Poisoning;

/// <summary>The one shape check of <see cref="IClassPosterior.Posteriors"/>, worded alike by every model.</summary>
internal static class PosteriorShape
{
    /// <summary>The number of rows; throws unless <paramref name="rows"/> holds whole rows and <paramref name="destination"/> k values for each.</summary>
    public static int CheckRows(ReadOnlySpan<float> rows, Span<double> destination, int featureCount, int classCount)
    {
        if (rows.Length % featureCount != 0)
            ThrowHelper.ThrowArgument(nameof(rows), $"Must hold whole rows of {featureCount} features; got {rows.Length} values.");
        int count = rows.Length / featureCount;
        if (destination.Length != count * classCount)
            ThrowHelper.ThrowArgument(nameof(destination), $"Must hold rows × classes = {count} × {classCount} values; got {destination.Length}.");
        return count;
    }
}
