using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Detection;

/// <summary>
/// The chance baseline: flags as many rows as were flipped, drawn uniformly without replacement, so any detector's
/// gain over removing rows blindly can be read off.
/// </summary>
/// <remarks>The rows are <see cref="RandomSource.SampleWithoutReplacement"/>(n, count) on the caller's stream; a flagged
/// row scores 1, every other row 0 (so its AUROC is 1/2 on average).</remarks>
public static class RandomDetector
{
    /// <summary>Flags <paramref name="count"/> of <paramref name="rowCount"/> rows at random.</summary>
    /// <param name="rowCount">n ≥ 0.</param>
    /// <param name="count">Rows to flag, in [0, n].</param>
    /// <param name="random">The stream the rows are drawn from.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public static DetectionResult Detect(int rowCount, int count, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ThrowHelper.ThrowIfLess(rowCount, 0);
        ThrowHelper.ThrowIfOutside(count, 0, rowCount);
        int[] rows = random.SampleWithoutReplacement(rowCount, count);
        Array.Sort(rows);
        double[] scores = new double[rowCount];
        foreach (int row in rows)
            scores[row] = 1;
        return new DetectionResult(ImmutableCollectionsMarshal.AsImmutableArray(scores), ImmutableCollectionsMarshal.AsImmutableArray(rows));
    }
}
