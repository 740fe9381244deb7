using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>Wall-clock figures of a sweep; kept apart from the results, which must not depend on them.</summary>
/// <param name="TotalTime">The whole sweep, data preparation included.</param>
/// <param name="RunTimes">Each trained run's time (resumed runs excluded), shortest first.</param>
/// <param name="Threads">Worker threads used.</param>
/// <param name="ResumedRuns">Runs taken from the run log.</param>
public sealed record SweepTimings(TimeSpan TotalTime, ImmutableArray<TimeSpan> RunTimes, int Threads, long ResumedRuns);
