using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Data;

/// <summary>
/// A seeded stratified subset of a training pool: a given number of rows with the classes in the pool's
/// proportions, the same rows on every machine for the same stream.
/// </summary>
/// <remarks>
/// <para><b>Quotas</b> (largest remainder, exact integer arithmetic): class c with N_c of the pool's N rows gets
/// ⌊n·N_c / N⌋ rows; the n − Σ⌊·⌋ rows left go one each to the classes with the largest remainders
/// n·N_c mod N, ties to the lower class index. So each quota is within one row of n·N_c / N.</para>
/// <para><b>Draw order</b>: for c = 0, 1, …, k − 1, the quota of class c is drawn from the stream by
/// <see cref="RandomSource.SampleWithoutReplacement"/>(N_c, quota) as positions in class c's rows listed in
/// pool order; a class with quota 0 draws nothing. The chosen rows are returned in pool order.</para>
/// </remarks>
public static class StratifiedSample
{
    /// <summary>The rows of a stratified sample of <paramref name="sampleCount"/> rows of <paramref name="pool"/>, ascending.</summary>
    /// <param name="pool">The rows to draw from.</param>
    /// <param name="sampleCount">Rows to draw, in [1, pool.RowCount].</param>
    /// <param name="random">The stream the rows are drawn from.</param>
    public static int[] DrawRows(Dataset pool, int sampleCount, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(random);
        if (sampleCount < 1 || sampleCount > pool.RowCount)
            ThrowHelper.ThrowOutOfRange(nameof(sampleCount), sampleCount, $"Must be in [1, {pool.RowCount}], the pool's row count.");

        int[] classCounts = pool.CountPerClass();
        int[] quotas = Quotas(classCounts, sampleCount);

        // Each class's rows in pool order, packed class after class.
        int[] start = new int[classCounts.Length + 1];
        for (int c = 0; c < classCounts.Length; c++)
            start[c + 1] = start[c] + classCounts[c];
        int[] rowsByClass = new int[pool.RowCount];
        int[] next = start[..^1];
        ReadOnlySpan<int> labels = pool.LabelSpan;
        for (int row = 0; row < labels.Length; row++)
            rowsByClass[next[labels[row]]++] = row;

        int[] chosen = new int[sampleCount];
        int filled = 0;
        for (int c = 0; c < quotas.Length; c++)
        {
            if (quotas[c] == 0)
                continue;
            foreach (int position in random.SampleWithoutReplacement(classCounts[c], quotas[c]))
                chosen[filled++] = rowsByClass[start[c] + position];
        }
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>A stratified sample of <paramref name="sampleCount"/> rows of <paramref name="pool"/>, in pool order.</summary>
    /// <param name="pool">The rows to draw from.</param>
    /// <param name="sampleCount">Rows to draw, in [1, pool.RowCount].</param>
    /// <param name="random">The stream the rows are drawn from.</param>
    /// <remarks>The result is a copy of the chosen rows (<see cref="Dataset.SelectRows"/>).</remarks>
    public static Dataset Draw(Dataset pool, int sampleCount, RandomSource random) =>
        pool.SelectRows(DrawRows(pool, sampleCount, random));

    /// <summary>How many rows each class gets in a stratified sample of <paramref name="sampleCount"/> rows (largest remainder).</summary>
    /// <param name="classCounts">Rows per class in the pool, each ≥ 0, at least one class, summing to N ≥ 1.</param>
    /// <param name="sampleCount">Rows to draw, in [0, N].</param>
    public static int[] Quotas(ReadOnlySpan<int> classCounts, int sampleCount)
    {
        if (classCounts.IsEmpty)
            ThrowHelper.ThrowArgument(nameof(classCounts), "Must hold at least one class.");
        long total = 0;
        foreach (int count in classCounts)
        {
            if (count < 0)
                ThrowHelper.ThrowOutOfRange(nameof(classCounts), count, "Class counts must be ≥ 0.");
            total += count;
        }
        if (total == 0)
            ThrowHelper.ThrowArgument(nameof(classCounts), "Must hold at least one row.");
        if (sampleCount < 0 || sampleCount > total)
            ThrowHelper.ThrowOutOfRange(nameof(sampleCount), sampleCount, $"Must be in [0, {total}].");

        int k = classCounts.Length;
        int[] quotas = new int[k];
        long[] remainders = new long[k];
        long assigned = 0;
        for (int c = 0; c < k; c++)
        {
            long share = (long)sampleCount * classCounts[c];
            quotas[c] = (int)(share / total);
            remainders[c] = share % total;
            assigned += quotas[c];
        }
        // Hand out the rest one at a time: largest remainder first, the lower class on a tie.
        for (long left = sampleCount - assigned; left > 0; left--)
        {
            int best = -1;
            for (int c = 0; c < k; c++)
            {
                if (remainders[c] > 0 && (best < 0 || remainders[c] > remainders[best]))
                    best = c;
            }
            quotas[best]++;
            remainders[best] = 0;
        }
        return quotas;
    }
}
