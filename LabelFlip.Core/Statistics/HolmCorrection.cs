using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Statistics;

/// <summary>
/// Holm's step-down correction of m p-values for multiple comparisons (Holm, "A simple sequentially rejective
/// multiple test procedure", Scand. J. Statistics 6, 1979), controlling the family-wise error rate.
/// </summary>
/// <remarks>
/// With the p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎ (equal values in input order), the adjusted value of
/// the i-th is max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎), written back in input order; this is R's
/// <c>p.adjust(method = "holm")</c>. Rejecting every hypothesis whose adjusted p-value is at most α is Holm's
/// procedure at level α.
/// </remarks>
public static class HolmCorrection
{
    /// <summary>Returns the Holm-adjusted p-values, in the order of <paramref name="pValues"/>.</summary>
    /// <param name="pValues">Each in [0, 1].</param>
    public static double[] Adjust(ReadOnlySpan<double> pValues)
    {
        double[] adjusted = new double[pValues.Length];
        Adjust(pValues, adjusted);
        return adjusted;
    }

    /// <summary>Writes the Holm-adjusted p-values into <paramref name="destination"/>, in input order.</summary>
    /// <param name="pValues">Each in [0, 1].</param>
    /// <param name="destination">As long as <paramref name="pValues"/>; may not overlap it.</param>
    public static void Adjust(ReadOnlySpan<double> pValues, Span<double> destination)
    {
        for (int i = 0; i < pValues.Length; i++)
        {
            if (!(pValues[i] >= 0 && pValues[i] <= 1))
                ThrowHelper.ThrowArgument(nameof(pValues), $"Every p-value must be in [0, 1]; item {i} is {pValues[i]}.");
        }
        if (destination.Length != pValues.Length)
            ThrowHelper.ThrowArgument(nameof(destination), $"Must be as long as pValues ({pValues.Length}); it holds {destination.Length}.");

        int m = pValues.Length;
        int[] order = new int[m];
        for (int i = 0; i < m; i++)
            order[i] = i;
        double[] keys = pValues.ToArray();
        // Ties broken by input position, so the order (and therefore the result) never depends on the sort.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));

        double running = 0;
        for (int j = 0; j < m; j++)
        {
            double scaled = Math.Min(1.0, (m - j) * keys[order[j]]);
            running = Math.Max(running, scaled);
            destination[order[j]] = running;
        }
    }
}
