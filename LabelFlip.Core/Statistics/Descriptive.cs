using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Statistics;

/// <summary>
/// Descriptive statistics of a sample of doubles: mean, sample standard deviation, median and quantiles.
/// Every sum is taken left to right in index order, one addition at a time, so a result depends only on the
/// values and their order, never on the machine or the instruction set.
/// </summary>
/// <remarks>
/// <para><b>Quantiles</b> follow definition 7 of Hyndman and Fan ("Sample quantiles in statistical packages",
/// The American Statistician 50(4), 1996), the default of R, NumPy and Excel's PERCENTILE.INC: with the sample
/// sorted ascending as x₀ ≤ … ≤ xₙ₋₁ (0-based), h = (n − 1)·p, j = ⌊h⌋, g = h − j, the p-quantile is
/// (1 − g)·xⱼ + g·xⱼ₊₁ (R's arithmetic, which cannot overflow), and exactly xⱼ when g = 0 or xⱼ = xⱼ₊₁.</para>
/// <para><b>Censored values.</b> The quantiles accept ±∞ (for example +∞ for "threshold not reached") and
/// order them beyond every finite value, so a quantile is rank-based: it is +∞ when it falls on a +∞ or
/// interpolates towards one (g &gt; 0), and finite otherwise. NaN is rejected everywhere. The mean and the
/// standard deviation need finite values.</para>
/// </remarks>
public static class Descriptive
{
    /// <summary>The arithmetic mean: the left-to-right sum divided by the count.</summary>
    /// <param name="values">At least one finite value.</param>
    public static double Mean(ReadOnlySpan<double> values)
    {
        CheckFinite(values);
        return Sum(values) / values.Length;
    }

    /// <summary>
    /// The sample standard deviation √(Σ(xᵢ − x̄)² / (n − 1)), in two passes (mean first, then the squared
    /// deviations, each summed left to right) so it keeps its accuracy when the mean is large.
    /// </summary>
    /// <param name="values">At least two finite values.</param>
    public static double StandardDeviation(ReadOnlySpan<double> values)
    {
        CheckFinite(values, minimumCount: 2);
        double mean = Sum(values) / values.Length;
        double squares = 0;
        foreach (double x in values)
        {
            double deviation = x - mean;
            squares += deviation * deviation;
        }
        return Math.Sqrt(squares / (values.Length - 1));
    }

    /// <summary>The median: the 0.5-quantile (the mean of the two middle values when the count is even).</summary>
    /// <param name="values">At least one value, none NaN; ±∞ allowed.</param>
    public static double Median(ReadOnlySpan<double> values) => Quantile(values, 0.5);

    /// <summary>
    /// The <paramref name="probability"/>-quantile of <paramref name="values"/> by Hyndman and Fan's
    /// definition 7 (see <see cref="Descriptive"/>). Sorts a copy: the input is left untouched.
    /// </summary>
    /// <param name="values">At least one value, none NaN; ±∞ allowed.</param>
    /// <param name="probability">p in [0, 1].</param>
    public static double Quantile(ReadOnlySpan<double> values, double probability)
    {
        CheckNotNaN(values);
        ThrowHelper.ThrowIfOutside(probability, 0.0, 1.0);
        // Small samples sort on the stack; larger ones pay one array.
        Span<double> sorted = values.Length <= 256 ? stackalloc double[values.Length] : new double[values.Length];
        values.CopyTo(sorted);
        sorted.Sort();
        return QuantileOfSorted(sorted, probability);
    }

    /// <summary>
    /// The <paramref name="probability"/>-quantile of values already sorted ascending, by Hyndman and Fan's
    /// definition 7, without allocating. The order is checked (O(n)).
    /// </summary>
    /// <param name="sortedValues">At least one value, ascending, none NaN; ±∞ allowed.</param>
    /// <param name="probability">p in [0, 1].</param>
    public static double QuantileOfSorted(ReadOnlySpan<double> sortedValues, double probability)
    {
        CheckNotNaN(sortedValues, nameof(sortedValues));
        ThrowHelper.ThrowIfOutside(probability, 0.0, 1.0);
        for (int i = 1; i < sortedValues.Length; i++)
        {
            if (sortedValues[i] < sortedValues[i - 1])
                ThrowHelper.ThrowArgument(nameof(sortedValues), $"Must be sorted ascending; item {i} ({sortedValues[i]}) is below item {i - 1} ({sortedValues[i - 1]}).");
        }
        return Type7(sortedValues, probability);
    }

    /// <summary>Definition 7 on a sorted, NaN-free, non-empty span; the caller has checked p.</summary>
    internal static double Type7(ReadOnlySpan<double> sorted, double probability)
    {
        double h = (sorted.Length - 1) * probability;
        int j = (int)Math.Floor(h);
        double g = h - j;
        double low = sorted[j];
        // g = 0 also covers j = n − 1 (p = 1); equal neighbours cover ∞ − ∞, which would be NaN.
        if (g == 0 || j + 1 >= sorted.Length)
            return low;
        double high = sorted[j + 1];
        if (low == high)
            return low;
        // Interpolating towards an infinity gives that infinity (rank-based censoring); tested first because
        // −∞ below and +∞ above would otherwise make NaN.
        if (double.IsPositiveInfinity(high))
            return high;
        if (double.IsNegativeInfinity(low))
            return low;
        return (1 - g) * low + g * high;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double x in values)
            sum += x;
        return sum;
    }

    private static void CheckFinite(ReadOnlySpan<double> values, int minimumCount = 1)
    {
        if (values.Length < minimumCount)
            ThrowHelper.ThrowArgument(nameof(values), $"Must hold at least {minimumCount} value(s); it holds {values.Length}.");
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                ThrowHelper.ThrowArgument(nameof(values), $"Must be finite; item {i} is {values[i]}.");
        }
    }

    internal static void CheckNotNaN(ReadOnlySpan<double> values, string paramName = "values")
    {
        if (values.IsEmpty)
            ThrowHelper.ThrowArgument(paramName, "Must hold at least one value.");
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
                ThrowHelper.ThrowArgument(paramName, $"Must not be NaN (±∞ is allowed); item {i} is NaN.");
        }
    }
}
