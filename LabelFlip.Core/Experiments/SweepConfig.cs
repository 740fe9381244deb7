using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// A sweep: a base run plus named axes, each a path into the run and a list of values. The runs are the
/// Cartesian product of the axes in the order they are listed (the last axis varies fastest). Immutable and
/// validated on construction.
/// </summary>
/// <remarks>
/// <para>In JSON (snake_case paths; unknown fields and duplicate keys are errors, and null is only allowed for an
/// optional field such as <c>data.test_count</c>, where it means "unset"):</para>
/// <code>
/// { "base": { "training": { "epochs": 200 } },
///   "axes": { "poison.fraction": [0, 0.1, 0.2], "model.hidden_widths": [[32], [64, 64]], "seed": [42, 123, 7] } }
/// </code>
/// <para>Fields the base leaves out keep <see cref="RunSpec"/>'s defaults (the study's). A field that an axis sets
/// keeps its default in <see cref="Base"/>, so two configs that run the same runs are equal and have the same
/// <see cref="Fingerprint"/>.</para>
/// </remarks>
public sealed class SweepConfig : IEquatable<SweepConfig>
{
    /// <summary>The most runs a sweep may have.</summary>
    public const long MaxRunCount = 1_000_000;

    /// <summary>The most values one axis may have.</summary>
    public const int MaxAxisValues = 100_000;

    /// <summary>The largest config file read, in bytes.</summary>
    public const int MaxFileBytes = 1 << 20;

    // One setter per (axis, value): building a run is the base plus one call per axis.
    private readonly Func<RunSpec, RunSpec>[][] _setters;
    private readonly string _canonical;

    /// <summary>Creates and validates a sweep.</summary>
    /// <param name="baseRun">The run every axis starts from.</param>
    /// <param name="axes">The axes, in the order of the product; paths must be distinct.</param>
    /// <exception cref="ArgumentException">A field or an axis value is invalid, a path is unknown or repeated, the
    /// sweep has more than <see cref="MaxRunCount"/> runs, or a run's fields do not fit together; the parameter
    /// name is the field's path.</exception>
    public SweepConfig(RunSpec baseRun, IEnumerable<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(baseRun);
        ArgumentNullException.ThrowIfNull(axes);
        SweepAxis[] list = [.. axes];
        var paths = new HashSet<string>(StringComparer.Ordinal);
        _setters = new Func<RunSpec, RunSpec>[list.Length][];
        long runs = 1;
        for (int a = 0; a < list.Length; a++)
        {
            SweepAxis axis = list[a] ?? throw new ArgumentNullException(nameof(axes));
            if (!RunFields.ByPath.TryGetValue(axis.Path, out RunField? field))
                throw new ArgumentException($"axes: '{JsonText.Name(axis.Path)}' is not a field of a run; fields are {string.Join(", ", RunFields.All.Select(f => f.Path))}.", JsonText.Name(axis.Path));
            if (!paths.Add(axis.Path))
                throw new ArgumentException($"axes: {axis.Path} is listed twice.", axis.Path);
            if (axis.Values.IsDefaultOrEmpty || axis.Values.Length > MaxAxisValues)
                throw new ArgumentException($"axes: {axis.Path} must have 1 to {MaxAxisValues} values; got {(axis.Values.IsDefault ? 0 : axis.Values.Length)}.", axis.Path);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            _setters[a] = new Func<RunSpec, RunSpec>[axis.Values.Length];
            for (int v = 0; v < axis.Values.Length; v++)
            {
                using JsonDocument value = JsonText.Parse(axis.Values[v]);
                _setters[a][v] = field.TryRead(value.RootElement, out string canonical)
                    ?? throw new ArgumentException($"axes: {axis.Path} value {v + 1} must be {field.Rule}; got {JsonText.Show(value.RootElement)}.", axis.Path);
                if (!seen.Add(canonical))
                    throw new ArgumentException($"axes: {axis.Path} lists {canonical} twice.", axis.Path);
            }
            runs = runs > MaxRunCount ? runs : runs * axis.Values.Length;
        }
        if (runs > MaxRunCount)
            throw new ArgumentException(JsonValues.Invariant(
                $"axes: the sweep has {DescribeCount(list)} runs; at most {MaxRunCount} are allowed."), nameof(axes));

        Axes = [.. list.Select(a => new SweepAxis(a.Path, [.. a.Values.Select(Recanonicalise)]))];
        Base = Normalise(baseRun, paths);
        RunCount = runs;
        CheckBase(Base);
        CheckCombinations();
        _canonical = Write(indented: false);
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_canonical)))[..16];
    }

    /// <summary>
    /// The study's design on the study's own random streams (<see cref="RunSpec.StudyStreams"/>): fractions 0–50 %,
    /// widths 32, 64, 128, seeds 42, 123, 7, 200 epochs, data seed 42. It lands on the study's published table;
    /// <c>Study.WithBase(Study.Base with { Streams = RunSpec.OurStreams })</c> is the same design on our own streams.
    /// </summary>
    public static SweepConfig Study { get; } = new(new RunSpec { Streams = RunSpec.StudyStreams },
    [
        SweepAxis.Of("poison.fraction", [0.0, 0.01, 0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50]),
        SweepAxis.Of("model.hidden_widths", new[] { new[] { 32 }, [64], [128] }),
        SweepAxis.Of("seed", new ulong[] { 42, 123, 7 }),
    ]);

    /// <summary>The run each axis starts from.</summary>
    public RunSpec Base { get; }

    /// <summary>The axes, in product order.</summary>
    public ImmutableArray<SweepAxis> Axes { get; }

    /// <summary>The number of runs: the product of the axes' lengths.</summary>
    public long RunCount { get; }

    /// <summary>The first 16 hex digits of the SHA-256 of the config's compact canonical JSON.</summary>
    public string Fingerprint { get; }

    /// <summary>The axis with this path, or null.</summary>
    public SweepAxis? Axis(string path) => Axes.FirstOrDefault(a => a.Path == path);

    /// <summary>This sweep with <paramref name="axis"/> in place of the axis of the same path (or appended).</summary>
    public SweepConfig WithAxis(SweepAxis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        int at = Axes.IndexOf(Axes.FirstOrDefault(a => a.Path == axis.Path)!);
        return new SweepConfig(Base, at >= 0 ? Axes.SetItem(at, axis) : Axes.Add(axis));
    }

    /// <summary>This sweep with another base run (axes unchanged).</summary>
    public SweepConfig WithBase(RunSpec baseRun) => new(baseRun, Axes);

    /// <summary>The run at <paramref name="index"/> of the product (0 ≤ index &lt; <see cref="RunCount"/>).</summary>
    public RunSpec RunAt(long index)
    {
        ThrowIfOutsidePlan(index);
        RunSpec run = Base;
        for (int a = Axes.Length - 1; a >= 0; a--)
        {
            int length = Axes[a].Values.Length;
            run = _setters[a][(int)(index % length)](run);
            index /= length;
        }
        return run;
    }

    /// <summary>The axis values of the run at <paramref name="index"/>, in axis order, as canonical JSON.</summary>
    public ImmutableArray<string> CoordinatesAt(long index)
    {
        ThrowIfOutsidePlan(index);
        var values = new string[Axes.Length];
        for (int a = Axes.Length - 1; a >= 0; a--)
        {
            int length = Axes[a].Values.Length;
            values[a] = Axes[a].Values[(int)(index % length)];
            index /= length;
        }
        return [.. values];
    }

    /// <summary>The config as JSON: every base field written out, then the axes.</summary>
    public string ToJson(bool indented = true) => indented ? Write(indented: true) : _canonical;

    /// <summary>Reads and validates a config from JSON.</summary>
    /// <exception cref="ArgumentException">Malformed JSON, a duplicate key, a null, an unknown field, or a value out of
    /// range; the message names the field, what it must be and the 1-based line.</exception>
    public static SweepConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SweepConfigReader.Read(json);
    }

    /// <summary>Reads and validates a config file: a regular file of at most <see cref="MaxFileBytes"/> bytes.</summary>
    /// <exception cref="ArgumentException">The path is not a readable regular file, or its config is invalid.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static SweepConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new ArgumentException($"{path} is a folder, not a config file.", nameof(path));
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new ArgumentException($"{path}: no such file.", nameof(path));
        // FIFOs, devices and /proc files report no length; reading them could block or never end.
        if (file.Length == 0)
            throw new ArgumentException($"{path} is empty or not a regular file.", nameof(path));
        if (file.Length > MaxFileBytes)
            throw new ArgumentException($"{path} has {file.Length} bytes; a config file may have at most {MaxFileBytes}.", nameof(path));
        string json = File.ReadAllText(path, Encoding.UTF8);
        try
        {
            return FromJson(json);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {JsonText.Sentence(e)}", e.ParamName, e);
        }
    }

    /// <summary>Writes the config to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <inheritdoc />
    public bool Equals(SweepConfig? other) => other is not null && _canonical == other._canonical;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SweepConfig);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    /// <summary>Writes one run as a JSON object: its parts, then its seed.</summary>
    internal static void WriteRun(Utf8JsonWriter writer, RunSpec run, Func<RunField, bool>? include = null)
    {
        writer.WriteStartObject();
        string? part = null;
        foreach (RunField field in RunFields.All)
        {
            if (!field.IsWritten(run) || (include is not null && !include(field)))
                continue;
            int dot = field.Path.IndexOf('.', StringComparison.Ordinal);
            string? fieldPart = dot < 0 ? null : field.Path[..dot];
            if (fieldPart != part)
            {
                if (part is not null)
                    writer.WriteEndObject();
                if (fieldPart is not null)
                    writer.WriteStartObject(fieldPart);
                part = fieldPart;
            }
            writer.WritePropertyName(dot < 0 ? field.Path : field.Path[(dot + 1)..]);
            field.Write(writer, run);
        }
        if (part is not null)
            writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private string Write(bool indented)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, IndentSize = 2 }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("base");
            WriteRun(writer, Base);
            writer.WriteStartObject("axes");
            foreach (SweepAxis axis in Axes)
            {
                writer.WriteStartArray(axis.Path);
                foreach (string value in axis.Values)
                    writer.WriteRawValue(value, skipInputValidation: true);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Recanonicalise(string value)
    {
        using JsonDocument document = JsonText.Parse(value);
        return JsonValues.Canonical(w => document.RootElement.WriteTo(w));
    }

    private static RunSpec Normalise(RunSpec run, HashSet<string> axisPaths)
    {
        foreach (string path in axisPaths)
            run = RunFields.ByPath[path].Reset(run);
        return run;
    }

    // A base built in code gets the same checks as one read from JSON: each field is written and read back.
    private static void CheckBase(RunSpec run)
    {
        ArgumentNullException.ThrowIfNull(run.Data, "base.data");
        ArgumentNullException.ThrowIfNull(run.Poison, "base.poison");
        ArgumentNullException.ThrowIfNull(run.Model, "base.model");
        ArgumentNullException.ThrowIfNull(run.Training, "base.training");
        ArgumentNullException.ThrowIfNull(run.Defence, "base.defence");
        foreach (RunField field in RunFields.All)
        {
            string text;
            try
            {
                text = JsonValues.Canonical(w => field.Write(w, run));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException)
            {
                throw new ArgumentException($"base: {field.Path} must be {field.Rule}; it is not set.", field.Path, e);
            }
            using JsonDocument value = JsonText.Parse(text);
            if (field.TryRead(value.RootElement, out _) is null)
                throw new ArgumentException($"base: {field.Path} must be {field.Rule}; got {JsonText.Show(value.RootElement)}.", field.Path);
        }
    }

    // Only the axes that touch data, model, defence, seed, stream, poison-model, recording or robust-training fields can
    // make a combination invalid: walk their product.
    private void CheckCombinations()
    {
        int[] relevant = [.. Enumerable.Range(0, Axes.Length).Where(a => Axes[a].Path.StartsWith("data.", StringComparison.Ordinal) ||
            Axes[a].Path.StartsWith("model.", StringComparison.Ordinal) || Axes[a].Path.StartsWith("defence.", StringComparison.Ordinal) ||
            Axes[a].Path is "seed" or "streams" ||
            Axes[a].Path is "training.epochs" or "training.record_every" ||
            (Axes[a].Path.StartsWith("poison.", StringComparison.Ordinal) && Axes[a].Path != "poison.fraction") ||
            RunFields.RobustTrainingPaths.Contains(Axes[a].Path))];
        var digits = new int[relevant.Length];
        while (true)
        {
            RunSpec run = Base;
            for (int i = 0; i < relevant.Length; i++)
                run = _setters[relevant[i]][digits[i]](run);
            if (RunFields.CheckCombination(run) is string problem)
            {
                string where = relevant.Length == 0 ? "base" : "the run with " + string.Join(", ", relevant.Select((a, i) => $"{Axes[a].Path} = {Axes[a].Values[digits[i]]}"));
                throw new ArgumentException($"{where}: {problem}.", relevant.Length == 0 ? "base" : Axes[relevant[0]].Path);
            }
            int d = relevant.Length - 1;
            while (d >= 0 && ++digits[d] == Axes[relevant[d]].Values.Length)
                digits[d--] = 0;
            if (d < 0)
                return;
        }
    }

    private void ThrowIfOutsidePlan(long index)
    {
        if (index < 0 || index >= RunCount)
            ThrowHelper.ThrowOutOfRange(nameof(index), index, JsonValues.Invariant($"Must be in [0, {RunCount})."));
    }

    private static string DescribeCount(SweepAxis[] axes)
    {
        System.Numerics.BigInteger total = 1;
        foreach (SweepAxis axis in axes)
            total *= axis.Values.Length;
        return $"{total} ({string.Join(" × ", axes.Select(a => a.Values.Length))})";
    }
}
