using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// One curve: metrics against <c>poison.fraction</c> for one combination of the sweep's curve axes (every axis but
/// the fraction and the replicate axes <c>seed</c> and <c>data.seed</c>).
/// </summary>
/// <param name="Coordinates">The curve axes' values, canonical JSON, in <see cref="SweepSummary.CurveAxes"/> order.</param>
/// <param name="Label">A short name for tables and legends, e.g. "width 32" or "learning_rate 0.1, weight_decay 0".</param>
/// <param name="Points">One point per fraction, ascending.</param>
/// <param name="Fit">The sigmoid fit of mean test accuracy.</param>
public sealed record Curve(ImmutableArray<string> Coordinates, string Label, ImmutableArray<CurvePoint> Points, CurveFit Fit);
