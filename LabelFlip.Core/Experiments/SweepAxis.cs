using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// One axis of a sweep: a path into the run (<c>poison.fraction</c>, <c>model.hidden_widths</c>, <c>data.seed</c>,
/// <c>seed</c>, …) and the values it takes, in order. Values are kept as their canonical JSON text.
/// </summary>
public sealed class SweepAxis
{
    internal SweepAxis(string path, ImmutableArray<string> values)
    {
        Path = path;
        Values = values;
    }

    /// <summary>The run field this axis sets.</summary>
    public string Path { get; }

    /// <summary>The values, as canonical JSON (e.g. <c>0.1</c>, <c>[64,64]</c>), in the order the sweep visits them.</summary>
    public ImmutableArray<string> Values { get; }

    /// <summary>
    /// An axis over <paramref name="values"/>: numbers, strings, or integer lists (for <c>model.hidden_widths</c>).
    /// Checked against the field's rule when the sweep is built.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not a number, a string or a list of integers.</exception>
    public static SweepAxis Of<T>(string path, IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(values);
        return new SweepAxis(path, [.. values.Select(v => JsonValues.Canonical(w => WriteValue(w, v, nameof(values))))]);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, string paramName)
    {
        switch (value)
        {
            case double d: writer.WriteNumberValue(d == 0 ? 0.0 : d); break;
            case float f: writer.WriteNumberValue(f); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case string s: writer.WriteStringValue(s); break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (object? item in list)
                    WriteValue(writer, item, paramName);
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"An axis value must be a number, a string or a list; got {value?.GetType().Name ?? "null"}.", paramName);
        }
    }
}
