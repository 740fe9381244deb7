using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Data;

/// <summary>
/// The study's train/test split exactly as its NumPy code drew it: order = a fresh
/// <c>numpy.random.RandomState(seed).permutation(n)</c>; the first round(n·trainFraction) rows of that order
/// train, the rest test, both kept in that order (not sorted), which is the order the study's training rows
/// are indexed by (see <see cref="Nn.TorchRandomSampler"/>). LabelFlip's own split is <see cref="TrainTestSplit"/>.
/// </summary>
public sealed class StudySplit
{
    private StudySplit(int[] trainRows, int[] testRows)
    {
        TrainRows = ImmutableCollectionsMarshal.AsImmutableArray(trainRows);
        TestRows = ImmutableCollectionsMarshal.AsImmutableArray(testRows);
    }

    /// <summary>Rows of the whole data set that train, in the study's order.</summary>
    public ImmutableArray<int> TrainRows { get; }

    /// <summary>Rows of the whole data set that test, in the study's order.</summary>
    public ImmutableArray<int> TestRows { get; }

    /// <summary>How many of <paramref name="rowCount"/> rows train: round(n·trainFraction), halves to even as Python's <c>round</c>.</summary>
    /// <param name="rowCount">n ≥ 0.</param>
    /// <param name="trainFraction">In [0, 1].</param>
    public static int TrainCount(int rowCount, double trainFraction)
    {
        ThrowHelper.ThrowIfLess(rowCount, 0);
        ThrowHelper.ThrowIfOutside(trainFraction, 0.0, 1.0);
        return (int)Math.Round(rowCount * trainFraction, MidpointRounding.ToEven);
    }

    /// <summary>Draws the split; the defaults are the study's (its data seed, 70 % training).</summary>
    /// <param name="rowCount">n, at least 2.</param>
    /// <param name="seed">The seed of the split's own <c>RandomState</c>, in [0, 2³² − 1]; the study used its data seed.</param>
    /// <param name="trainFraction">In (0, 1); both parts must get at least one row.</param>
    public static StudySplit Create(
        int rowCount = GaussianClusters.DefaultSampleCount,
        long seed = (long)GaussianClusters.DefaultSeed,
        double trainFraction = TrainTestSplit.DefaultTrainFraction)
    {
        ThrowHelper.ThrowIfLess(rowCount, 2);
        int trainCount = TrainCount(rowCount, trainFraction);
        if (trainCount < 1 || trainCount > rowCount - 1)
            ThrowHelper.ThrowOutOfRange(nameof(trainFraction), trainFraction,
                $"Must leave at least one row on each side: {rowCount} rows give {trainCount} for training.");
        int[] order = new NumPyRandomState(seed).Permutation(rowCount);
        return new StudySplit(order[..trainCount], order[trainCount..]);
    }

    /// <summary>The training rows of <paramref name="data"/>, in the study's order.</summary>
    /// <param name="data">The whole data set the split was drawn for (clean or poisoned labels).</param>
    public Dataset SelectTrain(Dataset data) => Select(data, TrainRows);

    /// <summary>The test rows of <paramref name="data"/>, in the study's order.</summary>
    /// <param name="data">The whole data set the split was drawn for; pass clean labels, as the study did.</param>
    public Dataset SelectTest(Dataset data) => Select(data, TestRows);

    private Dataset Select(Dataset data, ImmutableArray<int> rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        int expected = TrainRows.Length + TestRows.Length;
        if (data.RowCount != expected)
            ThrowHelper.ThrowArgument(nameof(data), $"Must have the {expected} rows the split was drawn for; has {data.RowCount}.");
        return data.SelectRows(rows.AsSpan());
    }
}
