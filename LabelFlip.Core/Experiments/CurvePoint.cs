using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>The replicate runs of one curve at one poison fraction, summarised per metric.</summary>
/// <param name="PoisonFraction">The fraction.</param>
/// <param name="RunCount">Replicate runs (seeds × data draws).</param>
/// <param name="Metrics">One summary per metric, in <see cref="RunMetrics.All"/> order.</param>
public sealed record CurvePoint(double PoisonFraction, int RunCount, ImmutableArray<MetricSummary> Metrics)
{
    /// <summary>The summary of <paramref name="metric"/>.</summary>
    public MetricSummary Get(RunMetric metric) => Metrics[RunMetrics.IndexOf(metric)];

    /// <summary>The mean of <paramref name="metric"/>, NaN where it is undefined.</summary>
    public double MeanOf(RunMetric metric) => Get(metric).Mean ?? double.NaN;
}
