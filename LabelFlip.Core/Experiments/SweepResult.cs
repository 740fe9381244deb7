namespace LabelFlip.Core.Experiments;

/// <summary>Everything a complete sweep produced.</summary>
/// <param name="Config">The sweep.</param>
/// <param name="Runs">One record per run, in plan order; read back from the run logs when the sweep has an output folder
/// or is a merge of shards, held in memory otherwise (see <see cref="RunRecords"/>).</param>
/// <param name="Summary">Curves, fits and findings.</param>
/// <param name="Timings">Wall-clock figures (not part of the deterministic results).</param>
public sealed record SweepResult(SweepConfig Config, RunRecords Runs, SweepSummary Summary, SweepTimings Timings);
