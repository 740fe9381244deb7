using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Detection.Kernels;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Detection;

/// <summary>
/// k-nearest-neighbours sanitisation: a row is suspect when most of its k nearest training neighbours carry
/// another label.
/// </summary>
/// <remarks>
/// <para><b>Neighbours.</b> The k other rows of smallest squared Euclidean distance, computed in float32 as
/// Σ_f (x_f − y_f)² in feature order from +0 (the same bits on every instruction set, see
/// <see cref="DistanceKernels"/>). Ties in distance go to the lower row index, so the neighbours are always the first k
/// of the order (distance ascending, row ascending). A row is never its own neighbour; a duplicate of it is.</para>
/// <para><b>Score and flag.</b> The score is the share of the k neighbours whose label differs from the row's; the
/// row is flagged when that share is above one half (a strict majority disagrees; with an even k, half is not
/// enough).</para>
/// <para>Cost: n² distances of d features, O(n²·d) time and O(n·d) memory; no randomness.</para>
/// </remarks>
public sealed class NearestNeighbourDetector
{
    /// <summary>The default neighbours: odd, so two classes cannot tie.</summary>
    public const int DefaultNeighbourCount = 9;

    /// <summary>Creates a detector that looks at <paramref name="neighbourCount"/> neighbours.</summary>
    /// <param name="neighbourCount">k ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="neighbourCount"/> is below 1.</exception>
    public NearestNeighbourDetector(int neighbourCount = DefaultNeighbourCount)
    {
        ThrowHelper.ThrowIfLess(neighbourCount, 1);
        NeighbourCount = neighbourCount;
    }

    /// <summary>k: the neighbours each row is compared with.</summary>
    public int NeighbourCount { get; }

    /// <summary>Scores and flags every row of <paramref name="data"/> against its labels.</summary>
    /// <param name="data">The (possibly poisoned) training rows; more than <see cref="NeighbourCount"/> of them.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no more rows than <see cref="NeighbourCount"/>.</exception>
    public DetectionResult Detect(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.RowCount, k = NeighbourCount;
        if (n <= k)
            ThrowHelper.ThrowArgument(nameof(data), $"Must have more rows than the {k} neighbours; has {n}.");
        int[][] neighbours = Neighbours(data.FeatureSpan, n, data.FeatureCount, k);
        ReadOnlySpan<int> labels = data.LabelSpan;
        double[] scores = new double[n];
        var flagged = ImmutableArray.CreateBuilder<int>();
        for (int i = 0; i < n; i++)
        {
            int disagreeing = 0;
            foreach (int j in neighbours[i])
                disagreeing += labels[j] != labels[i] ? 1 : 0;
            scores[i] = (double)disagreeing / k;
            if (2 * disagreeing > k)
                flagged.Add(i);
        }
        return new DetectionResult(ImmutableCollectionsMarshal.AsImmutableArray(scores), flagged.ToImmutable());
    }

    /// <summary>
    /// The k nearest other rows of every row, nearest first, by (squared distance, row index).
    /// </summary>
    internal static int[][] Neighbours(ReadOnlySpan<float> features, int rowCount, int featureCount, int k)
    {
        float[] columns = new float[features.Length];
        DistanceKernels.Transpose(features, rowCount, featureCount, columns);
        float[] distances = new float[rowCount];
        float[] bestDistances = new float[k];
        int[][] result = new int[rowCount][];
        for (int i = 0; i < rowCount; i++)
        {
            DistanceKernels.SquaredDistances(features.Slice(i * featureCount, featureCount), columns, rowCount, distances);
            int[] best = new int[k];
            int count = 0;
            for (int j = 0; j < rowCount; j++)
            {
                if (j == i)
                    continue;
                float d = distances[j];
                // j ascends, so among equal distances the earlier row is already in place: insert after them.
                if (count == k && !(d < bestDistances[k - 1]))
                    continue;
                int at = count == k ? k - 1 : count++;
                while (at > 0 && d < bestDistances[at - 1])
                {
                    bestDistances[at] = bestDistances[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                bestDistances[at] = d;
                best[at] = j;
            }
            result[i] = best;
        }
        return result;
    }
}
