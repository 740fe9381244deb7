using System.Diagnostics;
using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// Class-conditional label noise by a <see cref="TransitionMatrix"/> T, with exact counts rather than independent coin
/// flips, so a run's realised noise is its nominal noise up to rounding: of the n_i rows of class i, exactly
/// round(n_i · <see cref="TransitionMatrix.FlipShare"/>(i)) are flipped (halves to even), and their new labels are
/// allotted to the other classes in proportion to T[i, j] by largest-remainder apportionment.
/// </summary>
/// <remarks>
/// <para><b>Apportionment.</b> The m_i flipped rows of class i are shared out over the classes j ≠ i with quotas
/// q_j = m_i · T[i, j] / Σ_{j' ≠ i} T[i, j']: each class gets ⌊q_j⌋, and the units left over go one each to the largest
/// remainders q_j − ⌊q_j⌋, ties to the smaller class.</para>
/// <para><b>Draw order.</b> For each class i in ascending order, the rows of class i are listed by ascending index and
/// m_i of them are drawn with <see cref="RandomSource.SampleWithoutReplacement"/>(n_i, m_i). The new labels are laid
/// out in ascending class order (class j repeated its allotted count) and given to the drawn rows in the order drawn:
/// that order is a uniformly random arrangement, so every assignment with these counts is equally likely and no
/// further draw is needed. Nothing else is drawn.</para>
/// </remarks>
public sealed class ClassConditionalLabelFlip : ILabelPoisoner
{
    /// <summary>Creates the noise for a transition matrix.</summary>
    /// <param name="matrix">T; its class count must be the data's.</param>
    public ClassConditionalLabelFlip(TransitionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Matrix = matrix;
    }

    /// <summary>The transition matrix T.</summary>
    public TransitionMatrix Matrix { get; }

    /// <summary>How many of class i's <paramref name="classRowCount"/> rows are flipped: round(n_i · share), halves to even.</summary>
    /// <param name="classRowCount">n_i ≥ 0.</param>
    /// <param name="flipShare">The class's flip share, in [0, 1].</param>
    public static int FlipCount(int classRowCount, double flipShare)
    {
        ThrowHelper.ThrowIfLess(classRowCount, 0);
        ThrowHelper.ThrowIfOutside(flipShare, 0.0, 1.0);
        return (int)Math.Round(classRowCount * flipShare, MidpointRounding.ToEven);
    }

    /// <summary>
    /// Shares <paramref name="count"/> flipped labels of class <paramref name="from"/> over the other classes in
    /// proportion to T[from, j], by largest remainders (ties to the smaller class); the entry of <paramref name="from"/>
    /// itself is 0.
    /// </summary>
    /// <param name="matrix">T.</param>
    /// <param name="from">The clean class, in [0, k).</param>
    /// <param name="count">How many labels of the class are flipped, ≥ 0; with no off-diagonal mass it must be 0.</param>
    public static int[] Apportion(TransitionMatrix matrix, int from, int count)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int k = matrix.ClassCount;
        ThrowHelper.ThrowIfOutside(from, 0, k - 1);
        ThrowHelper.ThrowIfLess(count, 0);
        int[] counts = new int[k];
        if (count == 0)
            return counts;
        double off = 0;
        for (int j = 0; j < k; j++)
            off += j == from ? 0.0 : matrix[from, j];
        if (!(off > 0))
            ThrowHelper.ThrowOutOfRange(nameof(count), count, $"Class {from} has no off-diagonal probability to flip to; the count must be 0.");

        double[] remainders = new double[k];
        int given = 0, likeliest = -1;
        for (int j = 0; j < k; j++)
        {
            remainders[j] = -1; // never given a unit: the class itself and the classes T never reports
            if (j == from || matrix[from, j] == 0)
                continue;
            if (likeliest < 0 || matrix[from, j] > matrix[from, likeliest])
                likeliest = j;
            double quota = count * (matrix[from, j] / off);
            int whole = (int)Math.Floor(quota);
            counts[j] = whole;
            remainders[j] = quota - whole;
            given += whole;
        }
        // The quotas sum to count up to rounding, so the floors never exceed it and fewer than k units are left over.
        Debug.Assert(given <= count);
        for (; given < count; given++)
        {
            int best = -1;
            for (int j = 0; j < k; j++)
            {
                if (remainders[j] >= 0 && (best < 0 || remainders[j] > remainders[best]))
                    best = j;
            }
            best = best < 0 ? likeliest : best; // only if rounding left a unit more than there are remainders
            counts[best]++;
            remainders[best] = -1; // each class takes at most one of the units left over
        }
        return counts;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data's class count is not the matrix's.</exception>
    public PoisonResult Poison(Dataset data, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        if (data.ClassCount != Matrix.ClassCount)
            ThrowHelper.ThrowArgument(nameof(data), $"The data has {data.ClassCount} classes; the transition matrix has {Matrix.ClassCount}.");
        return PoisonValidated(data.LabelSpan, random);
    }

    /// <summary>Poisons bare labels; <paramref name="labels"/> is never changed.</summary>
    /// <param name="labels">Clean labels, each in [0, k) for the matrix's k.</param>
    /// <param name="random">The stream the choices are drawn from.</param>
    public PoisonResult Poison(ReadOnlySpan<int> labels, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Dataset.ValidateLabels(labels, Matrix.ClassCount, nameof(labels));
        return PoisonValidated(labels, random);
    }

    private PoisonResult PoisonValidated(ReadOnlySpan<int> labels, RandomSource random)
    {
        int k = Matrix.ClassCount;
        int[] poisoned = labels.ToArray();
        var byClass = new List<int>[k];
        for (int c = 0; c < k; c++)
            byClass[c] = [];
        for (int row = 0; row < labels.Length; row++)
            byClass[labels[row]].Add(row);

        var flipped = new List<int>();
        for (int c = 0; c < k; c++)
        {
            List<int> rows = byClass[c];
            int count = FlipCount(rows.Count, Matrix.FlipShare(c));
            int[] counts = Apportion(Matrix, c, count);
            int[] drawn = random.SampleWithoutReplacement(rows.Count, count);
            int next = 0;
            for (int target = 0; target < k; target++)
            {
                for (int u = 0; u < counts[target]; u++, next++)
                {
                    int row = rows[drawn[next]];
                    poisoned[row] = target;
                    flipped.Add(row);
                }
            }
        }
        int[] flippedRows = [.. flipped];
        Array.Sort(flippedRows);
        return new PoisonResult(
            ImmutableCollectionsMarshal.AsImmutableArray(poisoned),
            ImmutableCollectionsMarshal.AsImmutableArray(flippedRows));
    }
}
