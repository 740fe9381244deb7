using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>A sweep's analysis: its curves, their fits, and the findings that compare them.</summary>
/// <param name="CurveAxes">The axes that tell curves apart, in config order.</param>
/// <param name="ComparedAxis">The axis the findings compare curves along; null when there is none to compare.</param>
/// <param name="Curves">The curves, in plan order of their axes.</param>
/// <param name="Findings">The conclusions, each with its evidence.</param>
/// <param name="Draws">With <c>data.seed</c> an axis of two values or more: intervals, paired comparisons and
/// findings over the data draws (<see cref="DrawAnalysis"/>); null otherwise.</param>
public sealed record SweepSummary(
    ImmutableArray<string> CurveAxes,
    string? ComparedAxis,
    ImmutableArray<Curve> Curves,
    ImmutableArray<Finding> Findings,
    DrawSummary? Draws = null)
{
    /// <summary>When the runs record their learning dynamics (<c>training.record_every</c>): the mean curves and the
    /// findings about early stopping and memorization (<see cref="DynamicsAnalysis"/>); null otherwise.</summary>
    public DynamicsSummary? Dynamics { get; init; }
}
