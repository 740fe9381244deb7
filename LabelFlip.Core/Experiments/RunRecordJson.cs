using System.Collections.Immutable;
using System.Text.Json;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Experiments;

/// <summary>The one JSON form of a run record: <c>run</c>, then each axis by its path, then each metric by its name.</summary>
internal static class RunRecordJson
{
    public static void Write(Utf8JsonWriter writer, SweepConfig config, RunRecord record, string? fingerprint = null)
    {
        writer.WriteStartObject();
        if (fingerprint is not null)
            writer.WriteString("fingerprint", fingerprint);
        writer.WriteNumber("run", record.Index);
        for (int a = 0; a < config.Axes.Length; a++)
        {
            writer.WritePropertyName(config.Axes[a].Path);
            writer.WriteRawValue(record.Coordinates[a], skipInputValidation: true);
        }
        for (int m = 0; m < RunMetrics.All.Length; m++)
        {
            if (record.Metrics[m] is double v)
                writer.WriteNumber(RunMetrics.All[m].Name, v);
            else
                writer.WriteNull(RunMetrics.All[m].Name);
        }
        writer.WriteEndObject();
    }

    /// <summary>Reads one record line; throws <see cref="FormatException"/> (corrupt) or
    /// <see cref="InvalidDataException"/> (another sweep's fingerprint) with a one-line reason.</summary>
    public static RunRecord Read(string line, SweepConfig config)
    {
        using JsonDocument document = JsonText.Parse(line);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException($"a run record must be a JSON object; got {JsonText.KindOf(root)}");
        var coordinates = new string?[config.Axes.Length];
        var metrics = new double?[RunMetrics.All.Length];
        var metricSeen = new bool[RunMetrics.All.Length];
        long? index = null;
        bool fingerprintSeen = false;
        foreach (JsonProperty p in root.EnumerateObject())
        {
            if (p.Name == "fingerprint")
            {
                string? fingerprint = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                if (fingerprint != config.Fingerprint)
                    throw new InvalidDataException($"the run was recorded by another sweep config (fingerprint {JsonText.Show(p.Value)}, this config's is \"{config.Fingerprint}\")");
                fingerprintSeen = true;
                continue;
            }
            if (p.Name == "run")
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out long i) || i < 0 || i >= config.RunCount)
                    throw new FormatException(JsonValues.Invariant($"run must be an integer in [0, {config.RunCount}); got {JsonText.Show(p.Value)}"));
                index = i;
                continue;
            }
            int axis = IndexOfAxis(config, p.Name);
            if (axis >= 0)
            {
                coordinates[axis] = JsonValues.Canonical(w => p.Value.WriteTo(w));
                continue;
            }
            int metric = IndexOfMetric(p.Name);
            if (metric < 0)
                throw new FormatException($"unknown field '{JsonText.Name(p.Name)}'");
            RunMetric m = RunMetrics.All[metric];
            double? value = p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Number when p.Value.TryGetDouble(out double d) => d,
                _ => throw new FormatException($"{m.Name} must be a number; got {JsonText.Show(p.Value)}"),
            };
            if (!m.Accepts(value))
                throw new FormatException(JsonValues.Invariant($"{m.Name} {JsonText.Show(p.Value)} is outside its range ({(m.IsInteger ? "an integer " : "")}in [{m.Min}, {m.Max}]{(m.IsOptional ? ", or null" : "")})"));
            metrics[metric] = value;
            metricSeen[metric] = true;
        }
        if (!fingerprintSeen)
            throw new FormatException("the record has no fingerprint");
        if (index is not long run)
            throw new FormatException("the record has no run index");
        for (int a = 0; a < coordinates.Length; a++)
        {
            if (coordinates[a] is null)
                throw new FormatException($"the record has no value for the axis {config.Axes[a].Path}");
        }
        for (int m = 0; m < metricSeen.Length; m++)
        {
            // A log written before source_class_recall existed lacks it; it was null for every model then. The same for
            // the early-stopping epochs: no run stopped early before they existed.
            if (!metricSeen[m] && (RunMetrics.All[m] == RunMetrics.SourceClassRecall
                || RunMetrics.All[m] == RunMetrics.StoppedEpoch || RunMetrics.All[m] == RunMetrics.BestEpoch))
                continue;
            if (!metricSeen[m])
                throw new FormatException($"the record has no {RunMetrics.All[m].Name}");
        }
        ImmutableArray<string> expected = config.CoordinatesAt(run);
        for (int a = 0; a < coordinates.Length; a++)
        {
            if (coordinates[a] != expected[a])
                throw new FormatException($"run {run} has {config.Axes[a].Path} = {expected[a]} in this sweep, but the record says {coordinates[a]}");
        }
        return new RunRecord(run, expected, [.. metrics]);
    }

    private static int IndexOfAxis(SweepConfig config, string path)
    {
        for (int a = 0; a < config.Axes.Length; a++)
        {
            if (config.Axes[a].Path == path)
                return a;
        }
        return -1;
    }

    private static int IndexOfMetric(string name)
    {
        for (int m = 0; m < RunMetrics.All.Length; m++)
        {
            if (RunMetrics.All[m].Name == name)
                return m;
        }
        return -1;
    }
}
