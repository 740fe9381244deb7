using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Data;

/// <summary>
/// A seeded split of a dataset into disjoint training and test rows that together cover every row.
/// </summary>
/// <remarks>
/// n_train = round(trainFraction·n), halves to even. The rows are put in a random order by
/// <see cref="RandomSource.Shuffle{T}"/>; the first n_train go to training, the rest to test, and each
/// part keeps the dataset's own row order (so a split is a pair of sets, listed ascending).
/// </remarks>
public sealed class TrainTestSplit
{
    /// <summary>The study's share of rows used for training.</summary>
    public const double DefaultTrainFraction = 0.7;

    private TrainTestSplit(Dataset train, Dataset test, int[] trainRows, int[] testRows)
    {
        Train = train;
        Test = test;
        TrainRows = ImmutableCollectionsMarshal.AsImmutableArray(trainRows);
        TestRows = ImmutableCollectionsMarshal.AsImmutableArray(testRows);
    }

    /// <summary>The training rows, with their clean labels.</summary>
    public Dataset Train { get; }

    /// <summary>The test rows, with their clean labels.</summary>
    public Dataset Test { get; }

    /// <summary>Which rows of the source dataset are in <see cref="Train"/>, ascending.</summary>
    public ImmutableArray<int> TrainRows { get; }

    /// <summary>Which rows of the source dataset are in <see cref="Test"/>, ascending.</summary>
    public ImmutableArray<int> TestRows { get; }

    /// <summary>Splits <paramref name="data"/> at random.</summary>
    /// <param name="data">The dataset to split, at least 2 rows.</param>
    /// <param name="random">The stream the row order is drawn from.</param>
    /// <param name="trainFraction">Share of rows for training, in (0, 1); both parts must get at least one row.</param>
    public static TrainTestSplit Create(Dataset data, RandomSource random, double trainFraction = DefaultTrainFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        ThrowHelper.ThrowIfOutside(trainFraction, 0.0, 1.0);
        int n = data.RowCount;
        int trainCount = (int)Math.Round(n * trainFraction, MidpointRounding.ToEven);
        if (trainCount < 1 || trainCount > n - 1)
            ThrowHelper.ThrowOutOfRange(nameof(trainFraction), trainFraction,
                $"Must leave at least one row on each side: {n} rows give {trainCount} for training.");

        int[] order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        random.Shuffle(order.AsSpan());
        int[] trainRows = order[..trainCount];
        int[] testRows = order[trainCount..];
        Array.Sort(trainRows);
        Array.Sort(testRows);
        return new TrainTestSplit(data.SelectRows(trainRows), data.SelectRows(testRows), trainRows, testRows);
    }
}
