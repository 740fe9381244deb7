using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>Everything a complete sweep produced.</summary>
/// <param name="Config">The sweep.</param>
/// <param name="Runs">One record per run, in plan order.</param>
/// <param name="Summary">Curves, fits and findings.</param>
/// <param name="Timings">Wall-clock figures (not part of the deterministic results).</param>
public sealed record SweepResult(SweepConfig Config, ImmutableArray<RunRecord> Runs, SweepSummary Summary, SweepTimings Timings);
