namespace LabelFlip.Core.Statistics;

/// <summary>
/// A statistic of a flat sample, such as <see cref="Descriptive.Median"/>: used by
/// <see cref="ClusterBootstrap.Run(IReadOnlyList{double[]}, SampleStatistic, Random.RandomSource, int, double)"/>
/// on each resample's pooled values. Return a number or ±∞, never NaN.
/// </summary>
/// <param name="values">The resample's values; a reused buffer, valid only during the call.</param>
public delegate double SampleStatistic(ReadOnlySpan<double> values);
