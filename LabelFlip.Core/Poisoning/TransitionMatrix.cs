using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// A class-conditional noise model: T[i, j] is the probability that a row of clean class i is reported as class j.
/// Every row is a probability distribution (entries in [0, 1], summing to 1 within <see cref="RowSumTolerance"/>).
/// </summary>
/// <remarks>
/// <para>The families are paths from the identity (no noise) at p = 0: T(p) = (1 − p)·I + p·M, where M is the
/// family's full-strength matrix with a zero diagonal, so a class's nominal share of flipped labels is exactly p
/// (<see cref="FlipShare"/> keeps it exact rather than recomputing 1 − (1 − p)). <see cref="Towards"/> builds the
/// same path to a matrix of the user's, and <see cref="BreakdownFraction"/> says where a path stops leaving each
/// class's true label its most likely reported label.</para>
/// </remarks>
public sealed class TransitionMatrix
{
    /// <summary>How far a row's sum may stray from 1: a matrix written with a few decimals (1/3 as 0.3333333333) is
    /// refused, one whose rows are sums of doubles is accepted.</summary>
    public const double RowSumTolerance = 1e-9;

    private readonly double[] _entries;
    private readonly double[] _flipShares;

    /// <summary>Creates a matrix from its rows, checking that each is a probability distribution.</summary>
    /// <param name="rows">k rows of k entries each, k ≥ 2; entries finite and in [0, 1]; each row summing to 1 within
    /// <see cref="RowSumTolerance"/>.</param>
    /// <exception cref="ArgumentException">The matrix is not square, has fewer than 2 classes, an entry outside
    /// [0, 1] or a row whose sum is not 1; the message names the row and column.</exception>
    public TransitionMatrix(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (Problem(rows) is string problem)
            ThrowHelper.ThrowArgument(nameof(rows), problem);
        int k = rows.Count;
        _entries = new double[k * k];
        _flipShares = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
                _entries[i * k + j] = rows[i][j];
            _flipShares[i] = 1.0 - rows[i][i];
        }
        ClassCount = k;
    }

    private TransitionMatrix(int classCount, double[] entries, double[] flipShares)
    {
        ClassCount = classCount;
        _entries = entries;
        _flipShares = flipShares;
    }

    /// <summary>k, the number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>T[<paramref name="from"/>, <paramref name="to"/>]: the probability that clean class <paramref name="from"/>
    /// is reported as <paramref name="to"/>.</summary>
    /// <param name="from">The clean class, in [0, k).</param>
    /// <param name="to">The reported class, in [0, k).</param>
    public double this[int from, int to]
    {
        get
        {
            ThrowHelper.ThrowIfOutside(from, 0, ClassCount - 1);
            ThrowHelper.ThrowIfOutside(to, 0, ClassCount - 1);
            return _entries[from * ClassCount + to];
        }
    }

    /// <summary>The nominal share of class <paramref name="from"/>'s labels that are flipped, 1 − T[i, i]; for a family
    /// or a <see cref="Towards"/> path it is p·(1 − M[i, i]) computed without the round trip through 1 − p.</summary>
    /// <param name="from">The clean class, in [0, k).</param>
    public double FlipShare(int from)
    {
        ThrowHelper.ThrowIfOutside(from, 0, ClassCount - 1);
        return _flipShares[from];
    }

    /// <summary>
    /// The classes whose true label is not strictly the most likely reported label (some T[i, j] ≥ T[i, i], j ≠ i),
    /// ascending: for them a majority of reported labels no longer identifies the class. Not an error: it is what a
    /// strong enough noise does, and results say so.
    /// </summary>
    public ImmutableArray<int> ClassesNotMostLikelyReported()
    {
        var classes = ImmutableArray.CreateBuilder<int>();
        for (int i = 0; i < ClassCount; i++)
        {
            for (int j = 0; j < ClassCount; j++)
            {
                if (j != i && _entries[i * ClassCount + j] >= _entries[i * ClassCount + i])
                {
                    classes.Add(i);
                    break;
                }
            }
        }
        return classes.ToImmutable();
    }

    /// <summary>The rows as nested arrays, T[i][j].</summary>
    public double[][] ToRows()
    {
        double[][] rows = new double[ClassCount][];
        for (int i = 0; i < ClassCount; i++)
            rows[i] = _entries.AsSpan(i * ClassCount, ClassCount).ToArray();
        return rows;
    }

    /// <summary>
    /// What is wrong with <paramref name="rows"/> as a transition matrix, in one sentence naming the row and column
    /// (0-based), or null when it is valid.
    /// </summary>
    /// <param name="rows">The candidate rows.</param>
    public static string? Problem(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int k = rows.Count;
        if (k < 2)
            return Invariant($"a transition matrix needs at least 2 classes; got {k} rows");
        for (int i = 0; i < k; i++)
        {
            IReadOnlyList<double> row = rows[i] ?? [];
            if (row.Count != k)
                return Invariant($"row {i} has {row.Count} entries; a matrix of {k} rows needs {k} in each");
            double sum = 0;
            for (int j = 0; j < k; j++)
            {
                double t = row[j];
                if (!(double.IsFinite(t) && t >= 0 && t <= 1))
                    return Invariant($"entry [{i}, {j}] is {t}; a probability must be in [0, 1]");
                sum += t;
            }
            if (!(Math.Abs(sum - 1.0) <= RowSumTolerance))
                return Invariant($"row {i} sums to {sum:R}, not 1 (within {RowSumTolerance:R})");
        }
        return null;
    }

    /// <summary>Symmetric noise, LabelFlip's uniform flips as a matrix: T[i, i] = 1 − p, every other entry p/(k − 1).</summary>
    /// <param name="classCount">k ≥ 2.</param>
    /// <param name="fraction">p in [0, 1].</param>
    public static TransitionMatrix Symmetric(int classCount, double fraction)
    {
        ThrowHelper.ThrowIfOutside(classCount, 2, int.MaxValue);
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        double off = 1.0 / (classCount - 1);
        return Path(classCount, fraction, (i, j) => j == i ? 0.0 : off);
    }

    /// <summary>Pair noise: class i is reported as i + 1 mod k with probability p, else as itself.</summary>
    /// <param name="classCount">k ≥ 2.</param>
    /// <param name="fraction">p in [0, 1].</param>
    public static TransitionMatrix Pair(int classCount, double fraction)
    {
        ThrowHelper.ThrowIfOutside(classCount, 2, int.MaxValue);
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        return Path(classCount, fraction, (i, j) => j == (i + 1) % classCount ? 1.0 : 0.0);
    }

    /// <summary>
    /// Targeted noise: a share p of class <paramref name="sourceClass"/> is reported as <paramref name="targetClass"/>;
    /// with no source class, a share p of every class other than the target is. Other rows are the identity.
    /// </summary>
    /// <param name="classCount">k ≥ 2.</param>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="targetClass">The class the flipped labels become, in [0, k).</param>
    /// <param name="sourceClass">The class whose labels are flipped, in [0, k) and not the target; null for every other class.</param>
    public static TransitionMatrix Targeted(int classCount, double fraction, int targetClass, int? sourceClass = null)
    {
        ThrowHelper.ThrowIfOutside(classCount, 2, int.MaxValue);
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        ThrowHelper.ThrowIfOutside(targetClass, 0, classCount - 1);
        if (sourceClass is int s)
        {
            ThrowHelper.ThrowIfOutside(s, 0, classCount - 1, nameof(sourceClass));
            if (s == targetClass)
                ThrowHelper.ThrowArgument(nameof(sourceClass), $"Must differ from targetClass ({targetClass}).");
        }
        bool IsFlipped(int i) => i != targetClass && (sourceClass is null || sourceClass == i);
        // M: a flipped class goes wholly to the target, every other class stays itself.
        return Path(classCount, fraction, (i, j) => IsFlipped(i) ? (j == targetClass ? 1.0 : 0.0) : (j == i ? 1.0 : 0.0));
    }

    /// <summary>
    /// The full-strength matrix of random asymmetric noise: a zero diagonal and, in each row, off-diagonal entries
    /// uniform on the simplex (Dirichlet(1, …, 1): independent exponentials −ln(1 − u), normalised). Pass it to
    /// <see cref="Towards"/> for the diagonal 1 − p.
    /// </summary>
    /// <remarks>Draw order: rows i ascending, then columns j ascending skipping j = i, one
    /// <see cref="RandomSource.NextDouble()"/> each. The logarithm is <c>DeterministicMath.Log</c>, the same bits on every
    /// platform.</remarks>
    /// <param name="classCount">k ≥ 2.</param>
    /// <param name="random">The stream the entries are drawn from.</param>
    public static TransitionMatrix RandomOffDiagonal(int classCount, RandomSource random)
    {
        ThrowHelper.ThrowIfOutside(classCount, 2, int.MaxValue);
        ArgumentNullException.ThrowIfNull(random);
        double[] m = new double[classCount * classCount];
        for (int i = 0; i < classCount; i++)
        {
            double sum = 0;
            for (int j = 0; j < classCount; j++)
            {
                if (j == i)
                    continue;
                double w = -DeterministicMath.Log(1.0 - random.NextDouble()); // 1 − u is in (0, 1]: w is finite, ≥ 0
                m[i * classCount + j] = w;
                sum += w;
            }
            for (int j = 0; j < classCount; j++)
            {
                if (j != i)
                    m[i * classCount + j] = sum > 0 ? m[i * classCount + j] / sum : 1.0 / (classCount - 1);
            }
        }
        double[] shares = new double[classCount];
        Array.Fill(shares, 1.0);
        return new TransitionMatrix(classCount, m, shares);
    }

    /// <summary>Random asymmetric noise: T[i, i] = 1 − p and the share p spread over the other classes as
    /// <see cref="RandomOffDiagonal"/> draws it from <paramref name="random"/>.</summary>
    /// <param name="classCount">k ≥ 2.</param>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="random">The stream the off-diagonal entries are drawn from.</param>
    public static TransitionMatrix RandomAsymmetric(int classCount, double fraction, RandomSource random)
    {
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        return Towards(RandomOffDiagonal(classCount, random), fraction);
    }

    /// <summary>The point a share p of the way from no noise to <paramref name="full"/>: (1 − p)·I + p·M.</summary>
    /// <param name="full">M, the noise at p = 1.</param>
    /// <param name="fraction">p in [0, 1].</param>
    public static TransitionMatrix Towards(TransitionMatrix full, double fraction)
    {
        ArgumentNullException.ThrowIfNull(full);
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        int k = full.ClassCount;
        double[] m = full._entries;
        return Path(k, fraction, (i, j) => m[i * k + j]);
    }

    /// <summary>
    /// Where the path (1 − p)·I + p·M stops leaving every class's true label strictly its most likely reported label:
    /// the smallest p with (1 − p) + p·M[i, i] ≤ p·M[i, j] for some j ≠ i, which is 1 / (1 − M[i, i] + M[i, j]) over the
    /// pairs with M[i, j] &gt; M[i, i]; null when no class ever loses its majority. (k − 1)/k for symmetric noise
    /// (<see cref="SymmetricBreakdownFraction"/>), 1/2 for pair and targeted noise.
    /// </summary>
    /// <param name="full">M, the noise at p = 1.</param>
    public static double? BreakdownFraction(TransitionMatrix full)
    {
        ArgumentNullException.ThrowIfNull(full);
        int k = full.ClassCount;
        double? best = null;
        for (int i = 0; i < k; i++)
        {
            double diagonal = full._entries[i * k + i];
            for (int j = 0; j < k; j++)
            {
                double t = full._entries[i * k + j];
                if (j != i && t > diagonal)
                {
                    double p = 1.0 / (1.0 - diagonal + t);
                    best = best is double b ? Math.Min(b, p) : p;
                }
            }
        }
        return best;
    }

    /// <summary>Symmetric noise's breakdown fraction, (k − 1)/k: there p/(k − 1) = 1 − p.</summary>
    /// <param name="classCount">k ≥ 2.</param>
    public static double SymmetricBreakdownFraction(int classCount)
    {
        ThrowHelper.ThrowIfOutside(classCount, 2, int.MaxValue);
        return (classCount - 1) / (double)classCount;
    }

    /// <summary>Pair and targeted noise's breakdown fraction: at p = 1/2 the flipped class ties with the true one.</summary>
    public const double PairBreakdownFraction = 0.5;

    // (1 − p)·I + p·M for an M with rows summing to 1; the flip share p·(1 − M[i, i]) is kept exact.
    private static TransitionMatrix Path(int k, double p, Func<int, int, double> full)
    {
        double[] entries = new double[k * k];
        double[] shares = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
                entries[i * k + j] = p * full(i, j) + (j == i ? 1.0 - p : 0.0);
            double keep = full(i, i);
            shares[i] = keep == 0.0 ? p : p * (1.0 - keep);
        }
        return new TransitionMatrix(k, entries, shares);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
