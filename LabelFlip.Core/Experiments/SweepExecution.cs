namespace LabelFlip.Core.Experiments;

/// <summary>What executing (a slice of) a sweep produced: its records, before any analysis.</summary>
/// <param name="Config">The sweep.</param>
/// <param name="Shard">The slice run; null for the whole plan.</param>
/// <param name="Records">The slice's records, in plan order; read back from the run log when the sweep has an output
/// folder (see <see cref="RunRecords"/>).</param>
/// <param name="Timings">Wall-clock figures.</param>
public sealed record SweepExecution(SweepConfig Config, SweepShard? Shard, RunRecords Records, SweepTimings Timings);
