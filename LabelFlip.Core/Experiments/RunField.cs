using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace LabelFlip.Core.Experiments;

/// <summary>One leaf of a run, addressed by its JSON path (<c>training.learning_rate</c>): how it is read, checked,
/// written and set. Base fields and axis values go through the same field, so both get the same checks.</summary>
internal abstract class RunField(string path, string rule, Func<RunSpec, bool>? isWritten)
{
    /// <summary>The dotted JSON path, e.g. <c>poison.fraction</c>.</summary>
    public string Path { get; } = path;

    /// <summary>What a valid value is, in words: "a number in [0, 1]".</summary>
    public string Rule { get; } = rule;

    /// <summary>
    /// Whether the canonical JSON of <paramref name="run"/> holds this field: a field that does not apply to the run's
    /// data source, or an optional field left unset, is left out (so adding such a field changes no fingerprint).
    /// </summary>
    public bool IsWritten(RunSpec run) => isWritten?.Invoke(run) ?? true;

    /// <summary>Sets the field of <paramref name="run"/> to its value in a default <see cref="RunSpec"/>.</summary>
    public abstract RunSpec Reset(RunSpec run);

    /// <summary>Whether the field of <paramref name="run"/> holds its default value.</summary>
    public abstract bool IsDefault(RunSpec run);

    /// <summary>Reads and checks a JSON value; returns a setter for it and its canonical JSON, or null when invalid.</summary>
    public abstract Func<RunSpec, RunSpec>? TryRead(JsonElement value, out string canonical);

    /// <summary>Writes the field's value in <paramref name="run"/>.</summary>
    public abstract void Write(Utf8JsonWriter writer, RunSpec run);
}

/// <summary>A field of type <typeparamref name="T"/>.</summary>
internal sealed class RunField<T>(
    string path,
    string rule,
    Func<RunSpec, T> get,
    Func<RunSpec, T, RunSpec> set,
    RunField<T>.Reader read,
    Action<Utf8JsonWriter, T> write,
    Func<RunSpec, bool>? isWritten = null) : RunField(path, rule, isWritten)
{
    private static readonly RunSpec s_defaults = new();

    public delegate bool Reader(JsonElement value, out T result);

    public T Get(RunSpec run) => get(run);

    public RunSpec Set(RunSpec run, T value) => set(run, value);

    public override RunSpec Reset(RunSpec run) => set(run, get(s_defaults));

    public override bool IsDefault(RunSpec run) => EqualityComparer<T>.Default.Equals(get(run), get(s_defaults));

    public override Func<RunSpec, RunSpec>? TryRead(JsonElement value, out string canonical)
    {
        canonical = "";
        if (!read(value, out T result))
            return null;
        canonical = JsonValues.Canonical(w => write(w, result));
        return run => set(run, result);
    }

    public override void Write(Utf8JsonWriter writer, RunSpec run) => write(writer, get(run));
}

/// <summary>Readers and writers of the value kinds a run has.</summary>
internal static class JsonValues
{
    public static RunField<int>.Reader Integer(int min, int max) => (JsonElement e, out int v) =>
    {
        v = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long l) || l < min || l > max)
            return false;
        v = (int)l;
        return true;
    };

    public static bool UInt64(JsonElement e, out ulong v)
    {
        v = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out v);
    }

    /// <summary>A finite number in the range that its text really denotes (no underflow to 0), −0 read as 0.</summary>
    public static RunField<double>.Reader Number(Func<double, bool> inRange) => (JsonElement e, out double v) =>
    {
        v = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || !double.IsFinite(d))
            return false;
        if (d == 0 && HasNonZeroDigit(e.GetRawText()))
            return false; // 1e-400 is not 0
        v = d == 0 ? 0.0 : d;
        return inRange(v);
    };

    public static RunField<string>.Reader OneOf(params string[] allowed) => (JsonElement e, out string v) =>
    {
        v = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        return allowed.Contains(v, StringComparer.Ordinal);
    };

    public static bool NonEmptyString(JsonElement e, out string v)
    {
        v = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        return v.Length > 0;
    }

    public static bool Boolean(JsonElement e, out bool v)
    {
        v = e.ValueKind == JsonValueKind.True;
        return e.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>An optional value: JSON null, or what <paramref name="read"/> accepts.</summary>
    public static RunField<int?>.Reader Optional(RunField<int>.Reader read) => (JsonElement e, out int? v) =>
    {
        v = null;
        if (e.ValueKind == JsonValueKind.Null)
            return true;
        bool ok = read(e, out int value);
        v = value;
        return ok;
    };

    /// <inheritdoc cref="Optional(RunField{int}.Reader)"/>
    public static RunField<double?>.Reader Optional(RunField<double>.Reader read) => (JsonElement e, out double? v) =>
    {
        v = null;
        if (e.ValueKind == JsonValueKind.Null)
            return true;
        bool ok = read(e, out double value);
        v = value;
        return ok;
    };

    /// <inheritdoc cref="Optional(RunField{int}.Reader)"/>
    public static RunField<string?>.Reader Optional(RunField<string>.Reader read) => (JsonElement e, out string? v) =>
    {
        v = null;
        if (e.ValueKind == JsonValueKind.Null)
            return true;
        bool ok = read(e, out string value);
        v = value;
        return ok;
    };

    public static RunField<ImmutableArray<int>>.Reader IntegerList(int minCount, int maxCount, int min, int max) =>
        (JsonElement e, out ImmutableArray<int> v) =>
        {
            v = [];
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < minCount || e.GetArrayLength() > maxCount)
                return false;
            var items = ImmutableArray.CreateBuilder<int>();
            RunField<int>.Reader item = Integer(min, max);
            foreach (JsonElement x in e.EnumerateArray())
            {
                if (!item(x, out int i))
                    return false;
                items.Add(i);
            }
            v = items.ToImmutable();
            return true;
        };

    /// <summary>A list of <paramref name="minCount"/> to <paramref name="maxCount"/> lists, as many numbers in [0, 1] in each as there are lists;
    /// null or [] for none.</summary>
    public static RunField<ImmutableArray<ImmutableArray<double>>>.Reader SquareMatrix(int minCount, int maxCount) =>
        (JsonElement e, out ImmutableArray<ImmutableArray<double>> v) =>
        {
            v = [];
            if (e.ValueKind == JsonValueKind.Null || (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 0))
                return true; // unset
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < minCount || e.GetArrayLength() > maxCount)
                return false;
            int k = e.GetArrayLength();
            RunField<double>.Reader probability = Number(x => x >= 0 && x <= 1);
            var rows = ImmutableArray.CreateBuilder<ImmutableArray<double>>(k);
            foreach (JsonElement row in e.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != k)
                    return false;
                var entries = ImmutableArray.CreateBuilder<double>(k);
                foreach (JsonElement x in row.EnumerateArray())
                {
                    if (!probability(x, out double t))
                        return false;
                    entries.Add(t);
                }
                rows.Add(entries.MoveToImmutable());
            }
            v = rows.MoveToImmutable();
            return true;
        };

    public static void Write(Utf8JsonWriter w, ImmutableArray<ImmutableArray<double>> v)
    {
        w.WriteStartArray();
        foreach (ImmutableArray<double> row in v)
        {
            w.WriteStartArray();
            foreach (double t in row)
                w.WriteNumberValue(t);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    public static void Write(Utf8JsonWriter w, int v) => w.WriteNumberValue(v);

    public static void Write(Utf8JsonWriter w, ulong v) => w.WriteNumberValue(v);

    public static void Write(Utf8JsonWriter w, double v) => w.WriteNumberValue(v);

    public static void Write(Utf8JsonWriter w, string v) => w.WriteStringValue(v);

    public static void Write(Utf8JsonWriter w, bool v) => w.WriteBooleanValue(v);

    public static void Write(Utf8JsonWriter w, int? v)
    {
        if (v is int value)
            w.WriteNumberValue(value);
        else
            w.WriteNullValue();
    }

    public static void Write(Utf8JsonWriter w, double? v)
    {
        if (v is double value)
            w.WriteNumberValue(value);
        else
            w.WriteNullValue();
    }

    public static void WriteOptional(Utf8JsonWriter w, string? v)
    {
        if (v is null)
            w.WriteNullValue();
        else
            w.WriteStringValue(v);
    }

    public static void Write(Utf8JsonWriter w, ImmutableArray<int> v)
    {
        w.WriteStartArray();
        foreach (int x in v)
            w.WriteNumberValue(x);
        w.WriteEndArray();
    }

    /// <summary>The compact JSON a writer produces: the canonical text of a value.</summary>
    public static string Canonical(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The canonical text of a number, as <see cref="Write(Utf8JsonWriter, double)"/> writes it.</summary>
    public static string Canonical(double value) => Canonical(w => w.WriteNumberValue(value));

    private static bool HasNonZeroDigit(string number)
    {
        foreach (char c in number)
        {
            if (c is 'e' or 'E')
                break;
            if (c is >= '1' and <= '9')
                return true;
        }
        return false;
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
