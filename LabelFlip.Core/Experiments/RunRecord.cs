using System.Collections.Immutable;
using System.Text.Json;
using LabelFlip.Core.Nn;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// What one run produced: its coordinates (the value of each axis of its sweep, as canonical JSON, in axis order)
/// and its metrics (in <see cref="RunMetrics.All"/> order). The same record is a run-log line, an entry of
/// <c>results.json</c> and a row of <c>runs.csv</c>.
/// </summary>
/// <param name="Index">The run's position in its sweep's plan.</param>
/// <param name="Coordinates">The axis values, as canonical JSON.</param>
/// <param name="Metrics">The metric values; null where a metric is optional and undefined.</param>
public sealed record RunRecord(long Index, ImmutableArray<string> Coordinates, ImmutableArray<double?> Metrics)
{
    /// <summary>The run's learning dynamics, when its <c>training.record_every</c> is set; null otherwise.</summary>
    public TrainingDynamics? Dynamics { get; init; }

    /// <summary>The value of <paramref name="metric"/>.</summary>
    public double? Get(RunMetric metric) => Metrics[RunMetrics.IndexOf(metric)];

    /// <summary>
    /// Writes the record as one JSON object: <c>run</c>, each axis of <paramref name="config"/> by its path, then each
    /// metric by its name (null where undefined), then <c>dynamics</c> when recorded (one array per quantity); the form
    /// of a run-log line and of a <c>results.json</c> entry.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer, SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(config);
        RunRecordJson.Write(writer, config, this);
    }
}
