using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>What a run log holds: the sweep it belongs to and its finished runs, in file order.</summary>
/// <param name="Path">The file.</param>
/// <param name="Config">The sweep, from the log's header.</param>
/// <param name="Records">The finished runs, each once, in the order they were appended.</param>
public sealed record RunLogContents(string Path, SweepConfig Config, ImmutableArray<RunRecord> Records);
