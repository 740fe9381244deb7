using System.Collections.Immutable;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// One curve's fitted quantities over several data draws: each an estimate (the fit of the mean curve over every
/// draw and seed) with a 95% cluster-bootstrap interval (whole draws resampled, then the seeds within each, and
/// the curve refitted per resample; see <see cref="DrawAnalysis"/>).
/// </summary>
/// <param name="Coordinates">The curve axes' values, as in <see cref="Curve.Coordinates"/>.</param>
/// <param name="Label">The curve's label, as in <see cref="Curve.Label"/>.</param>
/// <param name="CleanAccuracy">Mean test accuracy at the smallest fraction.</param>
/// <param name="L">The fitted drop.</param>
/// <param name="K">The fitted steepness.</param>
/// <param name="X0">The fitted midpoint.</param>
/// <param name="B">The fitted floor.</param>
/// <param name="Threshold">The threshold, +∞ where it is censored (not within the swept fractions): its interval is
/// rank-based, so an upper bound of +∞ says more than 2.5% of resamples did not reach it within the data.</param>
/// <param name="DropWidth">The poison-fraction span over which the fitted curve falls from 90% to 10% of its drop,
/// 2·ln 9 / k: sharpness in the units of the x axis.</param>
/// <param name="GapAtLargestFraction">Mean generalization gap at the largest fraction (no refit; the mean of the
/// resample's runs).</param>
/// <param name="MemorizationAtLargestFraction">Mean memorization rate at the largest fraction; null where some run
/// there flipped no label.</param>
/// <param name="ResampleThresholds">Censoring of the threshold over the bootstrap resamples.</param>
/// <param name="DrawThresholds">Each data draw's own threshold (its mean curve over seeds, fitted), one per draw,
/// in data-seed order; +∞ where censored.</param>
/// <param name="DrawCensoring">Censoring of <paramref name="DrawThresholds"/>.</param>
/// <param name="DrawSteepnessMedian">The median over draws of each draw's own fitted k (0 where a draw's curve has
/// no transition), with a percentile bootstrap interval over draws. The k of the mean curve (<paramref name="K"/>)
/// is flatter than a typical draw's when draws cross at different fractions, so sharpness is judged on this.</param>
/// <param name="MeanAccuracy">Mean test accuracy at each swept fraction (ascending), with its cluster-bootstrap
/// interval: the band around the mean curve.</param>
/// <param name="DrawThresholdMedian">The median of <paramref name="DrawThresholds"/> (censored values above every
/// reached one), with a percentile bootstrap interval over draws.</param>
public sealed record CurveIntervals(
    ImmutableArray<string> Coordinates,
    string Label,
    ConfidenceInterval CleanAccuracy,
    ConfidenceInterval L,
    ConfidenceInterval K,
    ConfidenceInterval X0,
    ConfidenceInterval B,
    ConfidenceInterval Threshold,
    ConfidenceInterval DropWidth,
    ConfidenceInterval GapAtLargestFraction,
    ConfidenceInterval? MemorizationAtLargestFraction,
    ThresholdCensoring ResampleThresholds,
    ImmutableArray<double> DrawThresholds,
    ThresholdCensoring DrawCensoring,
    ConfidenceInterval DrawThresholdMedian,
    ConfidenceInterval DrawSteepnessMedian,
    ImmutableArray<ConfidenceInterval> MeanAccuracy);
