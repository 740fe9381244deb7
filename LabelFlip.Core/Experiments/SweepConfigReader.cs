using System.Text.Json;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// Reads a sweep config written by hand. Every mistake becomes one <see cref="ArgumentException"/> whose message
/// names the 1-based line, the field and what it must be; the parameter name is the field's path.
/// </summary>
internal static class SweepConfigReader
{
    public static SweepConfig Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonText.Parse(json);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"not a valid sweep config: {e.Message}.", nameof(json), e);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Error(json, [], nameof(json), $"a sweep config must be a JSON object with \"base\" and \"axes\"; got {JsonText.KindOf(root)}");

            RunSpec run = new();
            var axes = new List<SweepAxis>();
            foreach (JsonProperty top in root.EnumerateObject())
            {
                switch (top.Name)
                {
                    case "base":
                        run = ReadBase(json, top.Value);
                        break;
                    case "axes":
                        ReadAxes(json, top.Value, axes);
                        break;
                    default:
                        throw Error(json, [top.Name], top.Name, $"unknown field '{JsonText.Name(top.Name)}'; a sweep config has \"base\" and \"axes\"");
                }
            }
            try
            {
                return new SweepConfig(run, axes);
            }
            catch (ArgumentException e)
            {
                // Whole-sweep checks (run count, combinations): point at the axes when they are to blame.
                int line = e.ParamName is string path && axes.Any(a => a.Path == path) ? JsonText.LineOf(json, ["axes", path]) : 0;
                string sentence = JsonText.Sentence(e);
                throw new ArgumentException(line > 0 ? $"line {line}: {sentence}" : sentence, e.ParamName, e);
            }
        }
    }

    private static RunSpec ReadBase(string json, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(json, ["base"], "base", $"base must be an object (a run); got {JsonText.KindOf(element)}");
        RunSpec run = new();
        bool sampleCountGiven = false;
        foreach (JsonProperty entry in element.EnumerateObject())
        {
            sampleCountGiven |= entry.Name == "data" && entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("sample_count", out _);
            if (RunFields.Parts.Contains(entry.Name))
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                    throw Error(json, ["base", entry.Name], $"base.{entry.Name}", $"base.{entry.Name} must be an object; got {JsonText.KindOf(entry.Value)}");
                foreach (JsonProperty leaf in entry.Value.EnumerateObject())
                    run = ReadField(json, run, $"{entry.Name}.{leaf.Name}", leaf.Value, ["base", entry.Name, leaf.Name]);
            }
            else
            {
                run = ReadField(json, run, entry.Name, entry.Value, ["base", entry.Name]);
            }
        }
        // A file's natural size is all of it: 500 rows (the study's count) would be a surprising subset.
        return run.Data.IsFile && !sampleCountGiven ? run with { Data = run.Data with { SampleCount = DataSpec.WholePool } } : run;
    }

    private static RunSpec ReadField(string json, RunSpec run, string path, JsonElement value, object[] where)
    {
        if (!RunFields.ByPath.TryGetValue(path, out RunField? field))
            throw Error(json, where, path, $"unknown field 'base.{JsonText.Name(path)}'; fields are {string.Join(", ", RunFields.All.Select(f => f.Path))}");
        Func<RunSpec, RunSpec> set = field.TryRead(value, out _)
            ?? throw Error(json, where, path, $"base.{path} must be {field.Rule}; got {Describe(value)}");
        return set(run);
    }

    private static void ReadAxes(string json, JsonElement element, List<SweepAxis> axes)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(json, ["axes"], nameof(axes), $"axes must be an object of path → list of values; got {JsonText.KindOf(element)}");
        foreach (JsonProperty axis in element.EnumerateObject())
        {
            if (!RunFields.ByPath.TryGetValue(axis.Name, out RunField? field))
                throw Error(json, ["axes", axis.Name], axis.Name, $"axes: '{JsonText.Name(axis.Name)}' is not a field of a run; fields are {string.Join(", ", RunFields.All.Select(f => f.Path))}");
            if (axis.Value.ValueKind != JsonValueKind.Array || axis.Value.GetArrayLength() == 0)
                throw Error(json, ["axes", axis.Name], axis.Name, $"axes: {axis.Name} must be a non-empty list of values, each {field.Rule}; got {Describe(axis.Value)}");
            var values = new List<string>();
            int index = 0;
            foreach (JsonElement value in axis.Value.EnumerateArray())
            {
                if (field.TryRead(value, out string canonical) is null)
                    throw Error(json, ["axes", axis.Name, index], axis.Name, $"axes: {axis.Name} value {index + 1} must be {field.Rule}; got {Describe(value)}");
                values.Add(canonical);
                index++;
            }
            axes.Add(new SweepAxis(axis.Name, [.. values]));
        }
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind is JsonValueKind.Number or JsonValueKind.Null ? JsonText.Show(value) : $"{JsonText.Show(value)} ({JsonText.KindOf(value)})";

    private static ArgumentException Error(string json, object[] where, string paramName, string message)
    {
        int line = where.Length == 0 ? 1 : JsonText.LineOf(json, where);
        return new ArgumentException(line > 0 ? $"line {line}: {message}." : $"{message}.", JsonText.Name(paramName));
    }
}
