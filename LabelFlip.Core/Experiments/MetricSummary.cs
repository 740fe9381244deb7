namespace LabelFlip.Core.Experiments;

/// <summary>Mean and spread of one metric over the replicate runs of a curve point.</summary>
/// <param name="Count">Runs in which the metric is defined.</param>
/// <param name="Mean">Their mean, summed in plan order; null when <paramref name="Count"/> is 0.</param>
/// <param name="Std">Their sample standard deviation (divisor n − 1); null with fewer than two values.</param>
public sealed record MetricSummary(int Count, double? Mean, double? Std);
