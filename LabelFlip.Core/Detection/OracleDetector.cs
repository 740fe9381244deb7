using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace LabelFlip.Core.Detection;

/// <summary>
/// The ceiling: flags exactly the rows that were flipped (the poisoner's ground truth), scoring them 1 and every other
/// row 0. Training on its kept rows is training on the clean rows alone.
/// </summary>
public static class OracleDetector
{
    /// <summary>Flags <paramref name="flippedRows"/>.</summary>
    /// <param name="rowCount">n ≥ 0.</param>
    /// <param name="flippedRows">The rows whose label was changed: ascending, distinct, each in [0, n).</param>
    /// <exception cref="ArgumentException"><paramref name="flippedRows"/> is not ascending and in range.</exception>
    public static DetectionResult Detect(int rowCount, ImmutableArray<int> flippedRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        double[] scores = new double[rowCount];
        foreach (int row in flippedRows)
        {
            if ((uint)row < (uint)rowCount)
                scores[row] = 1;
        }
        // The result's constructor checks that the rows are ascending, distinct and in range.
        return new DetectionResult(ImmutableCollectionsMarshal.AsImmutableArray(scores), flippedRows);
    }
}
