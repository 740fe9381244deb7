using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The append-only record of a sweep's finished runs, <c>runs.jsonl</c>: a header line with the sweep config and its
/// fingerprint, then one JSON line per finished run (<see cref="RunRecord"/>), each carrying the fingerprint,
/// appended and flushed as the run ends.
/// </summary>
/// <remarks>
/// A crash, even <c>kill -9</c>, loses at most the line being written: opening drops a last line without its
/// newline, so that run is redone. Every other line must be a valid record of this sweep: a corrupt line, a value out
/// of range, or a record with another fingerprint is an error naming the line, never silently mixed in.
/// Open it to write (one writer per folder; see <see cref="SweepRunner"/>), or <see cref="Read"/> it from anywhere.
/// </remarks>
public sealed class RunLog : IDisposable
{
    /// <summary>The file name in a sweep's folder.</summary>
    public const string FileName = "runs.jsonl";

    private const int FormatVersion = 2;

    private readonly FileStream _stream;
    private readonly Lock _lock = new();

    private RunLog(FileStream stream, string path, SweepConfig config, ImmutableArray<RunRecord> records)
    {
        _stream = stream;
        Path = path;
        Config = config;
        Records = records;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The sweep the log belongs to.</summary>
    public SweepConfig Config { get; }

    /// <summary>The runs already in the file when it was opened, in file order.</summary>
    public ImmutableArray<RunRecord> Records { get; }

    /// <summary>
    /// Opens the log in <paramref name="directory"/> for <paramref name="config"/>, creating it if needed. With
    /// <paramref name="resume"/> false an existing log is replaced by an empty one.
    /// </summary>
    /// <exception cref="RunLogException">The existing log is corrupt or belongs to another sweep.</exception>
    public static RunLog Open(string directory, SweepConfig config, bool resume = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(directory);
        string path = System.IO.Path.Combine(directory, FileName);
        var stream = new FileStream(path, resume ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            ImmutableArray<RunRecord> records = [];
            long keep = 0;
            if (stream.Length > 0)
            {
                byte[] bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                (_, records, keep) = Parse(bytes, path, config);
            }
            if (keep == 0)
            {
                stream.SetLength(0);
                stream.Write(Encoding.UTF8.GetBytes(Header(config) + "\n"));
                stream.Flush();
            }
            else
            {
                stream.SetLength(keep); // drops a torn last line
                stream.Position = keep;
            }
            return new RunLog(stream, path, config, records);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a run log: its sweep (from the header) and its records.</summary>
    /// <exception cref="RunLogException">The file is not a run log, or a line is corrupt.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RunLogContents Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = File.ReadAllBytes(path);
        (SweepConfig config, ImmutableArray<RunRecord> records, _) = Parse(bytes, path, expected: null);
        return new RunLogContents(path, config, records);
    }

    /// <summary>
    /// Puts the records of several logs of one sweep (its shards) together in plan order, checking that they cover
    /// every run of <paramref name="config"/> exactly once.
    /// </summary>
    /// <exception cref="RunLogException">A log belongs to another sweep, a run is missing, or a run is in two logs.</exception>
    public static ImmutableArray<RunRecord> Merge(SweepConfig config, IEnumerable<RunLogContents> logs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logs);
        var byIndex = new RunRecord?[config.RunCount];
        var source = new string?[config.RunCount];
        foreach (RunLogContents log in logs)
        {
            if (!log.Config.Equals(config))
                throw new RunLogException($"{log.Path} belongs to another sweep (fingerprint {log.Config.Fingerprint}, expected {config.Fingerprint}: {DescribeDifference(log.Config, config)}).");
            foreach (RunRecord record in log.Records)
            {
                if (source[record.Index] is string first)
                    throw new RunLogException($"run {record.Index} ({Describe(config, record.Index)}) is in both {first} and {log.Path}.");
                byIndex[record.Index] = record;
                source[record.Index] = log.Path;
            }
        }
        long[] missing = [.. Enumerable.Range(0, byIndex.Length).Where(i => byIndex[i] is null).Select(i => (long)i)];
        if (missing.Length > 0)
            throw new RunLogException($"{missing.Length} of {config.RunCount} runs are missing, e.g. run {missing[0]} ({Describe(config, missing[0])}){(missing.Length > 1 ? $" and run {missing[^1]} ({Describe(config, missing[^1])})" : "")}.");
        return [.. byIndex.Select(r => r!)];
    }

    /// <summary>Appends a finished run and flushes it to the operating system. Thread-safe.</summary>
    public void Append(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            RunRecordJson.Write(writer, Config, record, Config.Fingerprint);
        byte[] line = [.. buffer.WrittenSpan, (byte)'\n'];
        lock (_lock)
        {
            _stream.Write(line);
            // To the OS, not to the disk: that survives the process being killed, which is what resuming is for,
            // without a disk sync per run.
            _stream.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    /// <summary>Where the two configs first differ, as "field was A, now B".</summary>
    internal static string DescribeDifference(SweepConfig stored, SweepConfig current)
    {
        using JsonDocument a = JsonDocument.Parse(stored.ToJson(indented: false));
        using JsonDocument b = JsonDocument.Parse(current.ToJson(indented: false));
        return FirstDifference(a.RootElement, b.RootElement, "") ?? "the configs differ";
    }

    private static string? FirstDifference(JsonElement was, JsonElement now, string path)
    {
        if (was.ValueKind == JsonValueKind.Object && now.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in now.EnumerateObject())
            {
                string at = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                if (!was.TryGetProperty(p.Name, out JsonElement old))
                    return $"{at} was not set, now {JsonText.Show(p.Value)}";
                if (FirstDifference(old, p.Value, at) is string difference)
                    return difference;
            }
            foreach (JsonProperty p in was.EnumerateObject())
            {
                if (!now.TryGetProperty(p.Name, out _))
                    return $"{(path.Length == 0 ? p.Name : $"{path}.{p.Name}")} was {JsonText.Show(p.Value)}, now not set";
            }
            return null;
        }
        return was.GetRawText() == now.GetRawText() ? null : $"{path} was {JsonText.Show(was)}, now {JsonText.Show(now)}";
    }

    private static string Header(SweepConfig config) =>
        $"{{\"format\":{FormatVersion},\"fingerprint\":\"{config.Fingerprint}\",\"config\":{config.ToJson(indented: false)}}}";

    // Reads the whole file; returns the config, the records and the length of the valid prefix (0: no header yet).
    private static (SweepConfig Config, ImmutableArray<RunRecord> Records, long ValidLength) Parse(byte[] bytes, string path, SweepConfig? expected)
    {
        var records = ImmutableArray.CreateBuilder<RunRecord>();
        var seen = new Dictionary<long, RunRecord>();
        SweepConfig? config = null;
        long validLength = 0;
        int lineNumber = 0;
        for (int start = 0; start < bytes.Length;)
        {
            int newline = Array.IndexOf(bytes, (byte)'\n', start);
            if (newline < 0)
                break; // torn last line: no newline was written, so the run is redone
            lineNumber++;
            string line;
            try
            {
                line = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, newline - start);
            }
            catch (DecoderFallbackException)
            {
                throw new RunLogException(path, lineNumber, false, "is not UTF-8 text; the file is corrupt");
            }
            if (line.EndsWith('\r'))
                throw new RunLogException(path, lineNumber, false, "is corrupt: it ends with CR (Windows line ends), so the file was edited or converted; a run log has LF line ends only");

            if (config is null)
            {
                config = ReadHeader(line, path, expected);
            }
            else
            {
                RunRecord record;
                try
                {
                    record = RunRecordJson.Read(line, config);
                }
                catch (FormatException e)
                {
                    throw new RunLogException(path, lineNumber, false, $"is corrupt: {WithoutLinePrefix(e.Message).TrimEnd('.')}");
                }
                catch (InvalidDataException e)
                {
                    throw new RunLogException(path, lineNumber, true, $"belongs to another sweep: {e.Message}");
                }
                if (seen.TryGetValue(record.Index, out RunRecord? earlier))
                {
                    if (!earlier.Metrics.SequenceEqual(record.Metrics))
                        throw new RunLogException(path, lineNumber, false, $"is corrupt: run {record.Index} is recorded twice with different results");
                }
                else
                {
                    seen.Add(record.Index, record);
                    records.Add(record);
                }
            }
            validLength = newline + 1;
            start = newline + 1;
        }
        if (config is null)
        {
            if (expected is null)
                throw new RunLogException(path, 1, false, "has no header line: it is empty or not a run log");
            return (expected, [], 0);
        }
        return (config, records.ToImmutable(), validLength);
    }

    private static SweepConfig ReadHeader(string line, string path, SweepConfig? expected)
    {
        SweepConfig stored;
        try
        {
            using JsonDocument header = JsonText.Parse(line);
            JsonElement root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) ||
                !root.TryGetProperty("config", out JsonElement configJson) || !root.TryGetProperty("fingerprint", out JsonElement fingerprint))
                throw new FormatException("it is not a run log header (format, fingerprint, config)");
            if (format.ValueKind != JsonValueKind.Number || !format.TryGetInt32(out int version) || version != FormatVersion)
                throw new FormatException($"it has run log format {JsonText.Show(format)}; this version reads format {FormatVersion}");
            stored = SweepConfig.FromJson(configJson.GetRawText());
            if (fingerprint.ValueKind != JsonValueKind.String || fingerprint.GetString() != stored.Fingerprint)
                throw new FormatException("its fingerprint does not match its config");
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            string reason = e is ArgumentException a ? JsonText.Sentence(a) : WithoutLinePrefix(e.Message);
            throw new RunLogException(path, 1, false, $"is corrupt: {reason.TrimEnd('.')}");
        }
        // The header is written in one exact form; any other (re-spaced, re-ordered, re-formatted numbers) means the
        // file was edited, and an edited log is not trusted even when it still parses.
        if (line != Header(stored))
            throw new RunLogException(path, 1, false, "is corrupt: the header is not as written (it was edited or re-formatted)");
        if (expected is not null && !stored.Equals(expected))
            throw new RunLogException(path, 1, true, $"belongs to another sweep config ({DescribeDifference(stored, expected)})");
        return stored;
    }

    // A line of the log is parsed on its own, so the parser's "line 1: " says nothing; the log's own line number is given.
    private static string WithoutLinePrefix(string message) =>
        message.StartsWith("line 1: ", StringComparison.Ordinal) ? message["line 1: ".Length..] : message;

    private static string Describe(SweepConfig config, long index) =>
        string.Join(", ", config.Axes.Select((a, i) => $"{a.Path} = {config.CoordinatesAt(index)[i]}"));
}
