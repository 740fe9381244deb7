namespace LabelFlip.Core.Statistics;

/// <summary>
/// How consistently one paired sample lies above another: "the ordering holds in <see cref="Holds"/> of
/// <see cref="Total"/> draws".
/// </summary>
/// <param name="Holds">Pairs where the first value is greater than the second.</param>
/// <param name="Reversed">Pairs where the first value is less than the second.</param>
/// <param name="Tied">Pairs where the two are equal (+∞ and +∞ included).</param>
public readonly record struct OrderingConsistency(int Holds, int Reversed, int Tied)
{
    /// <summary>All pairs compared.</summary>
    public int Total => Holds + Reversed + Tied;

    /// <summary>
    /// Counts, pair by pair, whether <paramref name="first"/>[i] &gt; <paramref name="second"/>[i]. ±∞ compare as
    /// numbers (a censored +∞ is above every finite value); NaN is refused.
    /// </summary>
    /// <param name="first">No NaN.</param>
    /// <param name="second">As long as <paramref name="first"/>; no NaN.</param>
    public static OrderingConsistency Of(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        if (first.Length != second.Length)
            throw new ArgumentException($"Must be as long as first ({first.Length}); it holds {second.Length}.", nameof(second));
        int holds = 0, reversed = 0, tied = 0;
        for (int i = 0; i < first.Length; i++)
        {
            double a = first[i], b = second[i];
            if (double.IsNaN(a))
                throw new ArgumentException($"Must not hold NaN; item {i} is NaN.", nameof(first));
            if (double.IsNaN(b))
                throw new ArgumentException($"Must not hold NaN; item {i} is NaN.", nameof(second));
            if (a > b)
                holds++;
            else if (a < b)
                reversed++;
            else
                tied++;
        }
        return new OrderingConsistency(holds, reversed, tied);
    }

    /// <summary>For example "holds in 27 of 30 (2 reversed, 1 tied)".</summary>
    public override string ToString() => $"holds in {Holds} of {Total} ({Reversed} reversed, {Tied} tied)";
}
