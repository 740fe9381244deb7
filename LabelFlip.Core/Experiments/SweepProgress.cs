namespace LabelFlip.Core.Experiments;

/// <summary>Progress of a running sweep, reported after each finished run.</summary>
/// <param name="CompletedRuns">Runs finished so far, including those taken from the run log.</param>
/// <param name="TotalRuns">Runs to do (the shard's, for a shard).</param>
/// <param name="ResumedRuns">Runs taken from the run log rather than trained.</param>
/// <param name="LastRun">The run that just finished; null for the first report after resuming.</param>
/// <param name="Elapsed">Time since the sweep started.</param>
public sealed record SweepProgress(long CompletedRuns, long TotalRuns, long ResumedRuns, RunRecord? LastRun, TimeSpan Elapsed);
