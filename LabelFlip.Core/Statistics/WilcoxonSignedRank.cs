using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Statistics;

/// <summary>
/// The two-sided Wilcoxon signed-rank test of paired samples (is the median difference zero?), with exact
/// p-values for small samples, ties and zeros included.
/// </summary>
/// <remarks>
/// <para><b>Statistic.</b> The absolute differences are ranked (1 = smallest; equal values share their mean
/// rank, a mid-rank); V is the sum of the ranks of the positive differences (R's <c>V</c>). Zeros are dropped
/// before ranking or ranked and then dropped, as <see cref="WilcoxonZeroHandling"/> says. ±∞ differences are
/// allowed and rank above every finite one (a censored "not reached" against a finite value is a clear sign);
/// NaN is refused.</para>
/// <para><b>Exact p-value.</b> Under the null hypothesis each of the n ranked differences is positive or
/// negative with probability ½, independently, given the observed ranks. Mid-ranks are multiples of ½, so
/// the doubled ranks are integers and the distribution of 2V over all 2ⁿ sign assignments is counted exactly
/// by dynamic programming over rank sums (count[s] += count[s − 2r] per rank), in O(n · Σ2r) integer
/// operations. Without ties this is the classical exact null distribution (R's <c>psignrank</c>); with ties
/// it is the exact conditional (permutation) distribution, which R only approximates. The two-sided p-value
/// is min(1, 2·min(P(V′ ≤ V), P(V′ ≥ V))); the distribution is symmetric, so this equals P(|V′ − E| ≥ |V − E|).
/// It is a count divided by 2ⁿ, exact in double for n ≤ 52.</para>
/// <para><b>Normal approximation</b> (R's <c>wilcox.test(exact = FALSE, correct = TRUE)</c>):
/// z = (V − E − ½·sign(V − E)) / σ with E = Σr/2 and σ² = Σr²/4 over the ranks used; without ties σ² =
/// n(n+1)(2n+1)/24, and with ties Σr²/4 equals the usual tie-corrected n(n+1)(2n+1)/24 − Σ(t³ − t)/48.
/// p = 2·Φ(−|z|), capped at 1.</para>
/// </remarks>
public static class WilcoxonSignedRank
{
    /// <summary>With <see cref="WilcoxonMethod.Automatic"/>, the largest n that gets the exact p-value (as in R).</summary>
    public const int DefaultExactLimit = 49;

    /// <summary>The largest n <see cref="WilcoxonMethod.Exact"/> accepts: the 2ⁿ counts must fit in 64 bits.</summary>
    public const int MaxExactCount = 60;

    /// <summary>Tests whether the paired samples <paramref name="first"/> and <paramref name="second"/> differ in location.</summary>
    /// <param name="first">The first value of each pair; no NaN, ±∞ allowed.</param>
    /// <param name="second">The second value of each pair, as many as <paramref name="first"/>; equal values (∞ and ∞ too) make a zero difference.</param>
    /// <param name="zeroHandling">What to do with zero differences.</param>
    /// <param name="method">How to compute the p-value.</param>
    /// <remarks>V counts the pairs where <paramref name="first"/> is the larger.</remarks>
    public static WilcoxonResult Test(
        ReadOnlySpan<double> first, ReadOnlySpan<double> second,
        WilcoxonZeroHandling zeroHandling = WilcoxonZeroHandling.Discard, WilcoxonMethod method = WilcoxonMethod.Automatic)
    {
        if (first.Length != second.Length)
            ThrowHelper.ThrowArgument(nameof(second), $"Must be as long as first ({first.Length}); it holds {second.Length}.");
        CheckNoNaN(first, nameof(first));
        CheckNoNaN(second, nameof(second));
        double[] differences = new double[first.Length];
        for (int i = 0; i < differences.Length; i++)
            differences[i] = first[i] == second[i] ? 0.0 : first[i] - second[i];
        return Test(differences, zeroHandling, method);
    }

    /// <summary>Tests whether the paired <paramref name="differences"/> are centred on zero.</summary>
    /// <param name="differences">One difference per pair; no NaN, ±∞ allowed.</param>
    /// <param name="zeroHandling">What to do with zero differences.</param>
    /// <param name="method">How to compute the p-value.</param>
    public static WilcoxonResult Test(
        ReadOnlySpan<double> differences,
        WilcoxonZeroHandling zeroHandling = WilcoxonZeroHandling.Discard, WilcoxonMethod method = WilcoxonMethod.Automatic)
    {
        CheckNoNaN(differences, nameof(differences));
        if (zeroHandling is not (WilcoxonZeroHandling.Discard or WilcoxonZeroHandling.Pratt))
            ThrowHelper.ThrowOutOfRange(nameof(zeroHandling), zeroHandling, "Must be Discard or Pratt.");
        if (method is not (WilcoxonMethod.Automatic or WilcoxonMethod.Exact or WilcoxonMethod.NormalApproximation))
            ThrowHelper.ThrowOutOfRange(nameof(method), method, "Must be Automatic, Exact or NormalApproximation.");

        int zeroCount = 0;
        foreach (double d in differences)
        {
            if (d == 0)
                zeroCount++;
        }

        // The population that is ranked: the non-zero differences, or (Pratt) all of them.
        int rankedPopulation = zeroHandling == WilcoxonZeroHandling.Pratt ? differences.Length : differences.Length - zeroCount;
        double[] magnitudes = new double[rankedPopulation];
        double[] signed = new double[rankedPopulation];
        int m = 0;
        foreach (double d in differences)
        {
            if (d != 0 || zeroHandling == WilcoxonZeroHandling.Pratt)
            {
                magnitudes[m] = Math.Abs(d);
                signed[m] = d;
                m++;
            }
        }
        Array.Sort(magnitudes, signed);

        // Doubled mid-ranks: the tie group at sorted positions i..j (0-based) shares rank (i + 1 + j + 1)/2.
        int n = differences.Length - zeroCount;
        int[] doubledRanks = new int[n];
        long doubledPositive = 0, rankTotal = 0, rankSquares = 0;
        bool hasTies = false;
        int used = 0;
        for (int i = 0; i < m;)
        {
            int j = i;
            while (j + 1 < m && magnitudes[j + 1] == magnitudes[i])
                j++;
            int r2 = i + j + 2;
            if (j > i && magnitudes[i] != 0)
                hasTies = true;
            for (int k = i; k <= j; k++)
            {
                if (signed[k] == 0)
                    continue; // a zero's rank (Pratt) is dropped after ranking
                doubledRanks[used++] = r2;
                rankTotal += r2;
                rankSquares += (long)r2 * r2;
                if (signed[k] > 0)
                    doubledPositive += r2;
            }
            i = j + 1;
        }

        WilcoxonMethod resolved = method == WilcoxonMethod.Automatic
            ? (n <= DefaultExactLimit ? WilcoxonMethod.Exact : WilcoxonMethod.NormalApproximation)
            : method;
        if (resolved == WilcoxonMethod.Exact && n > MaxExactCount)
            ThrowHelper.ThrowArgument(nameof(method), $"Exact needs at most {MaxExactCount} non-zero differences; there are {n}.");

        double statistic = doubledPositive / 2.0;
        double expected = rankTotal / 4.0;
        double variance = rankSquares / 16.0;
        double p = n == 0 ? 1.0
            : resolved == WilcoxonMethod.Exact ? ExactPValue(doubledRanks, doubledPositive, rankTotal)
            : NormalPValue(statistic, expected, variance);
        return new WilcoxonResult(differences.Length, zeroCount, n, statistic, expected, variance, hasTies, resolved, p);
    }

    // Counts the sign assignments by their doubled positive-rank sum, then the two tails at the observed one.
    private static double ExactPValue(ReadOnlySpan<int> doubledRanks, long observed, long total)
    {
        long[] counts = new long[total + 1];
        counts[0] = 1;
        long reach = 0;
        foreach (int r2 in doubledRanks)
        {
            for (long s = reach; s >= 0; s--)
                counts[s + r2] += counts[s];
            reach += r2;
        }
        long lower = 0, upper = 0;
        for (long s = 0; s <= total; s++)
        {
            if (s <= observed)
                lower += counts[s];
            if (s >= observed)
                upper += counts[s];
        }
        // 2·tail / 2ⁿ: a power-of-two scaling, exact.
        return Math.Min(1.0, Math.ScaleB((double)Math.Min(lower, upper), 1 - doubledRanks.Length));
    }

    private static double NormalPValue(double statistic, double expected, double variance)
    {
        double centred = statistic - expected;
        double z = (centred - 0.5 * Math.Sign(centred)) / Math.Sqrt(variance);
        return Math.Min(1.0, 2 * StandardNormal.Cdf(-Math.Abs(z)));
    }

    private static void CheckNoNaN(ReadOnlySpan<double> values, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
                ThrowHelper.ThrowArgument(paramName, $"Must not hold NaN (±∞ is allowed); item {i} is NaN.");
        }
    }
}
