using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The learning dynamics of a sweep whose runs record them (<c>training.record_every</c>): one
/// <see cref="DynamicsPoint"/> per curve and poison fraction (<see cref="DynamicsAnalysis"/>).
/// </summary>
/// <param name="Points">Curve by curve in plan order, fractions ascending within a curve.</param>
/// <param name="DrawCount">Data draws per point (1 without a <c>data.seed</c> axis).</param>
/// <param name="SeedCount">Training seeds per draw (1 without a <c>seed</c> axis).</param>
/// <param name="ResampleCount">Bootstrap resamples behind the intervals; 0 when there are none (one draw).</param>
/// <param name="ConfidenceLevel">The intervals' nominal coverage.</param>
/// <param name="ChartFraction">The poison fraction that <c>dynamics.svg</c> shows: the largest swept fraction at most
/// <see cref="DynamicsAnalysis.ChartFractionLimit"/> (the smallest swept one when all are above it).</param>
public sealed record DynamicsSummary(
    ImmutableArray<DynamicsPoint> Points,
    int DrawCount,
    int SeedCount,
    int ResampleCount,
    double ConfidenceLevel,
    double ChartFraction);
