using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The analysis of a sweep over several data draws: per-curve intervals, paired comparisons between curves and
/// findings with verdicts that rest on them (see <see cref="DrawAnalysis"/>).
/// </summary>
/// <param name="DataSeeds">The data seeds, one draw each, in axis order.</param>
/// <param name="SeedsPerDraw">Training seeds per draw (and per curve and fraction).</param>
/// <param name="PoisonFractions">The swept fractions, ascending.</param>
/// <param name="ResampleCount">Bootstrap resamples.</param>
/// <param name="ConfidenceLevel">The intervals' nominal coverage.</param>
/// <param name="BootstrapSeed">The seed of the bootstrap's stream (see <see cref="DrawAnalysis.BootstrapSeed"/>).</param>
/// <param name="ComparedAxis">The axis curves are compared along; null when there is none.</param>
/// <param name="Curves">Per-curve intervals, in the order of <see cref="SweepSummary.Curves"/>.</param>
/// <param name="Comparisons">Paired comparisons: thresholds, then generalization gaps, each for every pair of curves
/// in ascending order along the compared axis.</param>
/// <param name="Findings">The findings, with the same keys as <see cref="SweepSummary.Findings"/>.</param>
public sealed record DrawSummary(
    ImmutableArray<ulong> DataSeeds,
    int SeedsPerDraw,
    ImmutableArray<double> PoisonFractions,
    int ResampleCount,
    double ConfidenceLevel,
    ulong BootstrapSeed,
    string? ComparedAxis,
    ImmutableArray<CurveIntervals> Curves,
    ImmutableArray<PairedComparison> Comparisons,
    ImmutableArray<Finding> Findings);
