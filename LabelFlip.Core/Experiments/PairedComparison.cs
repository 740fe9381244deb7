using System.Collections.Immutable;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// Two curves compared draw by draw: in each data draw both curves share the data, split, poison and seeds
/// (common random numbers), so the per-draw difference cancels what the draw did to both.
/// </summary>
/// <param name="Metric">What is compared: <c>threshold</c> or <c>generalization_gap</c> (at the largest fraction).</param>
/// <param name="Lower">The curve lower along the compared axis.</param>
/// <param name="Upper">The curve higher along the compared axis.</param>
/// <param name="Differences">value(<paramref name="Upper"/>) − value(<paramref name="Lower"/>) per draw, in data-seed
/// order: ±∞ where one threshold is censored, 0 where both are.</param>
/// <param name="Mean">The mean difference with a bootstrap interval over draws; null when a difference is infinite.</param>
/// <param name="Median">The median difference with a bootstrap interval over draws (rank-based, censoring allowed).</param>
/// <param name="Ordering">Draws where value(<paramref name="Upper"/>) &gt; value(<paramref name="Lower"/>), below, or tied.</param>
/// <param name="Test">The two-sided Wilcoxon signed-rank test of the differences (zeros discarded).</param>
/// <param name="AdjustedPValue">The test's p-value after Holm's correction over this metric's pairs.</param>
public sealed record PairedComparison(
    string Metric,
    string Lower,
    string Upper,
    ImmutableArray<double> Differences,
    ConfidenceInterval? Mean,
    ConfidenceInterval Median,
    OrderingConsistency Ordering,
    WilcoxonResult Test,
    double AdjustedPValue)
{
    /// <summary>Draws in which both thresholds are censored: their difference is counted as 0 (a tie), but nothing was
    /// measured there. When it is every draw, the pair says nothing at all.</summary>
    public int BothCensored { get; init; }

    /// <summary>The interval a verdict rests on: the mean's when every difference is finite, else the median's.</summary>
    public ConfidenceInterval Decisive => Mean ?? Median;
}
