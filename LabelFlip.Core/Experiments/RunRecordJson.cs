using System.Collections.Immutable;
using System.Text.Json;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;

namespace LabelFlip.Core.Experiments;

/// <summary>The one JSON form of a run record: <c>run</c>, then each axis by its path, then each metric by its name, then
/// <c>dynamics</c> when recorded: an object of one array per quantity (<c>epoch</c>, then <see cref="DynamicsColumns"/>),
/// null for a quantity of a group without rows.</summary>
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
        if (record.Dynamics is TrainingDynamics dynamics)
            WriteDynamics(writer, dynamics);
        writer.WriteEndObject();
    }

    private static void WriteDynamics(Utf8JsonWriter writer, TrainingDynamics dynamics)
    {
        writer.WriteStartObject(DynamicsColumns.Property);
        writer.WriteStartArray(DynamicsColumns.Epoch);
        foreach (int epoch in dynamics.Epochs)
            writer.WriteNumberValue(epoch);
        writer.WriteEndArray();
        foreach (DynamicsColumns.Quantity q in DynamicsColumns.Quantities)
        {
            ImmutableArray<double> values = q.Get(dynamics);
            if (values.IsDefaultOrEmpty)
            {
                writer.WriteNull(q.Name);
                continue;
            }
            writer.WriteStartArray(q.Name);
            foreach (double v in values)
                writer.WriteNumberValue(v);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    // The dynamics object of a record: every quantity present, one value per recorded epoch (or null for a group
    // without rows), each in its range.
    private static TrainingDynamics ReadDynamics(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{DynamicsColumns.Property} must be an object of arrays; got {JsonText.KindOf(e)}");
        if (!e.TryGetProperty(DynamicsColumns.Epoch, out JsonElement epochs) || epochs.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{DynamicsColumns.Property}.{DynamicsColumns.Epoch} must be a list of epochs");
        var epochList = ImmutableArray.CreateBuilder<int>(epochs.GetArrayLength());
        foreach (JsonElement x in epochs.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt32(out int epoch) || epoch < 1)
                throw new FormatException($"{DynamicsColumns.Property}.{DynamicsColumns.Epoch} must hold integers ≥ 1; got {JsonText.Show(x)}");
            epochList.Add(epoch);
        }
        var values = new ImmutableArray<double>[DynamicsColumns.Quantities.Length];
        int known = 1;
        for (int q = 0; q < values.Length; q++)
        {
            DynamicsColumns.Quantity quantity = DynamicsColumns.Quantities[q];
            string name = $"{DynamicsColumns.Property}.{quantity.Name}";
            if (!e.TryGetProperty(quantity.Name, out JsonElement array))
                throw new FormatException($"the record has no {name}");
            known++;
            if (array.ValueKind == JsonValueKind.Null && quantity.Rows != DynamicsColumns.Group.Test)
            {
                values[q] = [];
                continue;
            }
            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != epochList.Count)
                throw new FormatException(JsonValues.Invariant($"{name} must be a list of {epochList.Count} numbers, one per recorded epoch{(quantity.Rows == DynamicsColumns.Group.Test ? "" : ", or null")}"));
            var list = ImmutableArray.CreateBuilder<double>(epochList.Count);
            foreach (JsonElement x in array.EnumerateArray())
            {
                if (x.ValueKind != JsonValueKind.Number || !x.TryGetDouble(out double v) || !double.IsFinite(v) || v < 0 || (quantity.IsShare && v > 1))
                    throw new FormatException($"{name} must hold numbers {(quantity.IsShare ? "in [0, 1]" : "≥ 0")}; got {JsonText.Show(x)}");
                list.Add(v);
            }
            values[q] = list.MoveToImmutable();
        }
        int count = 0;
        foreach (JsonProperty p in e.EnumerateObject())
            count++;
        if (count != known)
            throw new FormatException($"{DynamicsColumns.Property} has fields other than {DynamicsColumns.Epoch}, {string.Join(", ", DynamicsColumns.Quantities.Select(q => q.Name))}");
        // The clean quantities are both there or both absent, and so are the flipped ones.
        foreach (DynamicsColumns.Group group in (ReadOnlySpan<DynamicsColumns.Group>)[DynamicsColumns.Group.Clean, DynamicsColumns.Group.Flipped])
        {
            bool[] present = [.. DynamicsColumns.Quantities.Select((q, i) => (q, i)).Where(x => x.q.Rows == group).Select(x => !values[x.i].IsEmpty)];
            if (present.Distinct().Count() > 1)
                throw new FormatException($"{DynamicsColumns.Property}: the {group.ToString().ToLowerInvariant()} rows' quantities must all be lists or all be null");
        }
        return DynamicsColumns.Create(epochList.MoveToImmutable(), values);
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
        TrainingDynamics? dynamics = null;
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
            if (p.Name == DynamicsColumns.Property)
            {
                dynamics = ReadDynamics(p.Value);
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
            // Nor did it have the defence's metrics, null for every run without a detector.
            if (!metricSeen[m] && RunMetrics.Defence.Contains(RunMetrics.All[m]))
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
        CheckDynamics(config.RunAt(run), dynamics, metrics[RunMetrics.IndexOf(RunMetrics.FlippedCount)]);
        return new RunRecord(run, expected, [.. metrics]) { Dynamics = dynamics };
    }

    // Recorded exactly when the run asks for it, at the epochs it asks for, with flipped rows exactly when some were.
    private static void CheckDynamics(RunSpec spec, TrainingDynamics? dynamics, double? flippedCount)
    {
        if (spec.Training.RecordEvery is not int every)
        {
            if (dynamics is not null)
                throw new FormatException($"the record has {DynamicsColumns.Property}, but the run does not set training.record_every");
            return;
        }
        if (dynamics is null)
            throw new FormatException($"the record has no {DynamicsColumns.Property}, which training.record_every = {every} asks for");
        ImmutableArray<int> expected = DynamicsColumns.ExpectedEpochs(spec.Training.Epochs, every);
        if (!dynamics.Epochs.SequenceEqual(expected))
            throw new FormatException(JsonValues.Invariant($"{DynamicsColumns.Property}.{DynamicsColumns.Epoch} must be the epochs {every}, {2 * every}, … and {spec.Training.Epochs} ({expected.Length} of them)"));
        if (dynamics.HasFlippedRows != flippedCount > 0)
            throw new FormatException($"{DynamicsColumns.Property}: the flipped rows' quantities must be lists when flipped_count > 0 and null otherwise");
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
