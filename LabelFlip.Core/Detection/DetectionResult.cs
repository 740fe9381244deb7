using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Detection;

/// <summary>
/// What a label-noise detector says about a training set: a suspicion score per row (higher = more likely
/// flipped) and the rows it flags for removal.
/// </summary>
public sealed class DetectionResult
{
    /// <summary>Creates a result, checking that the flagged rows are ascending, distinct and in range.</summary>
    /// <param name="scores">One finite suspicion score per row; only their order matters (for the AUROC).</param>
    /// <param name="flaggedRows">Rows flagged as flipped, ascending, each in [0, scores.Length).</param>
    /// <param name="estimatedNoiseRate">The share of flipped labels the detector estimated, in [0, 1]; null when it estimates none.</param>
    /// <exception cref="ArgumentException">A score is not finite, or the flagged rows are not ascending and in range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="estimatedNoiseRate"/> is outside [0, 1].</exception>
    public DetectionResult(ImmutableArray<double> scores, ImmutableArray<int> flaggedRows, double? estimatedNoiseRate = null)
    {
        if (scores.IsDefault)
            ThrowHelper.ThrowArgument(nameof(scores), "Must not be a default array.");
        if (flaggedRows.IsDefault)
            ThrowHelper.ThrowArgument(nameof(flaggedRows), "Must not be a default array.");
        for (int i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
                ThrowHelper.ThrowArgument(nameof(scores), $"Must be finite; score {i} is {scores[i]}.");
        }
        for (int i = 0; i < flaggedRows.Length; i++)
        {
            if ((uint)flaggedRows[i] >= (uint)scores.Length || (i > 0 && flaggedRows[i] <= flaggedRows[i - 1]))
                ThrowHelper.ThrowArgument(nameof(flaggedRows), $"Must be ascending distinct rows in [0, {scores.Length}); entry {i} is {flaggedRows[i]}.");
        }
        if (estimatedNoiseRate is double rate)
            ThrowHelper.ThrowIfOutside(rate, 0, 1, nameof(estimatedNoiseRate));
        Scores = scores;
        FlaggedRows = flaggedRows;
        EstimatedNoiseRate = estimatedNoiseRate;
    }

    /// <summary>One suspicion score per row: higher means more likely flipped.</summary>
    public ImmutableArray<double> Scores { get; }

    /// <summary>The rows flagged as flipped, ascending.</summary>
    public ImmutableArray<int> FlaggedRows { get; }

    /// <summary>The estimated share of flipped labels, or null when the detector estimates none.</summary>
    public double? EstimatedNoiseRate { get; }

    /// <summary>The rows of the training set: <see cref="Scores"/>.Length.</summary>
    public int RowCount => Scores.Length;

    /// <summary>The rows not flagged, ascending: the rows a defence trains on.</summary>
    public int[] KeptRows()
    {
        int[] kept = new int[RowCount - FlaggedRows.Length];
        int next = 0, flagged = 0;
        for (int row = 0; row < RowCount; row++)
        {
            if (flagged < FlaggedRows.Length && FlaggedRows[flagged] == row)
                flagged++;
            else
                kept[next++] = row;
        }
        return kept;
    }

    /// <summary>
    /// Flags the <paramref name="count"/> rows of highest score, ties to the lower row index: the top of the
    /// ranking by (score descending, row ascending).
    /// </summary>
    internal static ImmutableArray<int> Top(ReadOnlySpan<double> scores, int count)
    {
        int[] order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        double[] keys = scores.ToArray();
        // Stable order by descending score: sort by (−score, row), a total order, so the sort's algorithm cannot matter.
        Array.Sort(order, (a, b) => keys[b].CompareTo(keys[a]) is int c && c != 0 ? c : a.CompareTo(b));
        int[] top = order.AsSpan(0, count).ToArray();
        Array.Sort(top);
        return ImmutableCollectionsMarshal.AsImmutableArray(top);
    }
}
