using System.Diagnostics;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// The sum of a batch's row losses in the one order that every softmax path shares, so they agree to the bit: the
/// rows' terms added in row order from +0, and for a loss that leaves ln s out of its rows (the cross-entropy's way)
/// ln Π_r s added as a running product of the denominators, logged into the sum after any row where it passes
/// <see cref="ProductLimit"/>, and once more at the end.
/// </summary>
internal static class BatchLoss
{
    /// <summary>2⁹⁰⁰: each s lies in [1, k] with k ≤ 2¹², so the product stays finite after one more row.</summary>
    public const double ProductLimit = 8.452712498170644e270;

    /// <summary>Σ_r <paramref name="rowLosses"/>[r] in order from +0.</summary>
    public static double Sum(ReadOnlySpan<double> rowLosses)
    {
        double sum = 0;
        foreach (double loss in rowLosses)
            sum += loss;
        return sum;
    }

    /// <summary>
    /// Σ_r <paramref name="rowLosses"/>[r] with ln Π_r <paramref name="denominators"/>[r] added as described on the
    /// class. May overwrite <paramref name="denominators"/>.
    /// </summary>
    public static double SumWithLogProduct(ReadOnlySpan<double> rowLosses, Span<double> denominators)
    {
        Debug.Assert(rowLosses.Length == denominators.Length);
        // Most batches never pass the limit (64 rows of 5 classes: the product is at most 5⁶⁴ ≈ 2¹⁴⁹): then the sum is
        // the rows' terms alone, and both chains run in one loop, side by side, instead of one after the other.
        double sum = 0, product = 1;
        for (int r = 0; r < denominators.Length; r++)
        {
            product *= denominators[r];
            sum += rowLosses[r];
            if (product > ProductLimit)
                return SumLoggingProducts(rowLosses, denominators);
        }
        return sum + DeterministicMath.Log(product);
    }

    // SumWithLogProduct for a batch whose product passes the limit somewhere: the rows after which it is logged are
    // found first, and their logarithms taken apart, so neither long chain (the products, the sum) has a call in its
    // loop. With one there, the JIT kept both running values in memory, and each row waited for the store of the row
    // before (a third of the rows-in-lanes cross-entropy's time, measured).
    private static double SumLoggingProducts(ReadOnlySpan<double> rowLosses, Span<double> denominators)
    {
        double product = 1;
        for (int r = 0; r < denominators.Length; r++)
        {
            product *= denominators[r];
            denominators[r] = 0; // 0: nothing logged after this row (a product logged is above the limit, never 0)
            if (product > ProductLimit)
            {
                denominators[r] = product;
                product = 1;
            }
        }
        foreach (ref double value in denominators)
        {
            if (value != 0)
                value = DeterministicMath.Log(value);
        }
        double sum = 0;
        for (int r = 0; r < rowLosses.Length; r++)
        {
            sum += rowLosses[r];
            if (denominators[r] != 0)
                sum += denominators[r];
        }
        return sum + DeterministicMath.Log(product);
    }
}
