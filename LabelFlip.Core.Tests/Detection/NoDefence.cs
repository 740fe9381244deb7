using System.Collections.Immutable;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Detection;

/// <summary>The defence metrics of a run without a detector: all null. Tests that build records by hand end with these.</summary>
internal static class NoDefence
{
    public static readonly ImmutableArray<double?> Metrics = [.. RunMetrics.Defence.Select(_ => (double?)null)];
}
