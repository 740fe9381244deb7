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
    private readonly List<RunLogLocation> _opened;
    private readonly List<RunLogLocation> _appended = [];
    private readonly Lazy<ImmutableArray<RunRecord>> _records;

    private RunLog(FileStream stream, string path, SweepConfig config, List<RunLogLocation> opened, bool anyDynamics)
    {
        _stream = stream;
        Path = path;
        Config = config;
        _opened = opened;
        AnyDynamics = anyDynamics;
        // Read back on first use only: a sweep resuming 100,000 runs needs their places, not their records.
        _records = new Lazy<ImmutableArray<RunRecord>>(() =>
        {
            byte[] buffer = [];
            using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return [.. _opened.Select(at => ReadAt(file, at, Path, Config, ref buffer))];
        });
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The sweep the log belongs to.</summary>
    public SweepConfig Config { get; }

    /// <summary>The runs already in the file when it was opened, in file order.</summary>
    /// <remarks>Read from the file on first use and then held in memory; a sweep does not use it (it keeps only
    /// where each run's line is).</remarks>
    public ImmutableArray<RunRecord> Records => _records.Value;

    /// <summary>Where the runs in the file when it was opened are, in file order.</summary>
    internal IReadOnlyList<RunLogLocation> OpenedLocations => _opened;

    /// <summary>True when some run in the file when it was opened recorded its learning dynamics.</summary>
    internal bool AnyDynamics { get; private set; }

    /// <summary>Where every run of the log is, those there at opening then those appended since, in file order.</summary>
    internal RunLogLocation[] Locations()
    {
        lock (_lock)
            return [.. _opened, .. _appended];
    }

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
            Scanned scanned = stream.Length > 0 ? Scan(stream, 0, path, config) : new Scanned(null, [], 0, false);
            long keep = scanned.ValidLength;
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
            return new RunLog(stream, path, config, scanned.Locations, scanned.AnyDynamics);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a run log: its sweep (from the header) and its records.</summary>
    /// <remarks>Holds every record in memory; a sweep's analysis reads its logs in a streaming pass instead
    /// (<see cref="RunRecords"/>).</remarks>
    /// <exception cref="RunLogException">The file is not a run log, or a line is corrupt.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RunLogContents Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Scanned scanned = Scan(stream, 0, path, expected: null);
        byte[] buffer = [];
        return new RunLogContents(path, scanned.Config!, [.. scanned.Locations.Select(at => ReadAt(stream.SafeFileHandle, at, path, scanned.Config!, ref buffer))]);
    }

    /// <summary>Checks a run log and finds where each of its runs is, holding no record: its sweep (from the header),
    /// the places of its runs (as file <paramref name="file"/> of a set) in file order, and whether some run
    /// recorded its learning dynamics.</summary>
    /// <exception cref="RunLogException">The file is not a run log, or a line is corrupt.</exception>
    internal static (SweepConfig Config, List<RunLogLocation> Locations, bool AnyDynamics) Index(string path, int file)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Scanned scanned = Scan(stream, file, path, expected: null);
        return (scanned.Config!, scanned.Locations, scanned.AnyDynamics);
    }

    /// <summary>Reads the record at <paramref name="at"/> back, checking it is the run expected there.</summary>
    /// <exception cref="RunLogException">The line is no longer that run's: the file changed after it was indexed.</exception>
    internal static RunRecord ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle file, RunLogLocation at, string path, SweepConfig config, ref byte[] buffer)
    {
        if (buffer.Length < at.Length)
            buffer = new byte[Math.Max(at.Length, 2 * buffer.Length)];
        Span<byte> line = buffer.AsSpan(0, at.Length);
        int read = 0;
        while (read < line.Length)
        {
            int n = RandomAccess.Read(file, line[read..], at.Offset + read);
            if (n == 0)
                break;
            read += n;
        }
        try
        {
            if (read < line.Length)
                throw new FormatException("the file is shorter than it was");
            RunRecord record = RunRecordJson.Read(s_strictUtf8.GetString(line), config);
            if (record.Index != at.Index)
                throw new FormatException(JsonValues.Invariant($"the line holds run {record.Index}, not run {at.Index}"));
            return record;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or DecoderFallbackException)
        {
            throw new RunLogException($"{path} changed after it was read (run {at.Index}, byte {at.Offset}): {WithoutLinePrefix(e.Message).TrimEnd('.')}; " +
                "the results are read back from the run log, so it must stay as the sweep left it.");
        }
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
        RunLogContents[] all = [.. logs];
        (int Log, int Position)[] at = Cover(config, [.. all.Select(l => (l.Path, l.Config, (IReadOnlyList<long>)[.. l.Records.Select(r => r.Index)]))]);
        return [.. at.Select(a => all[a.Log].Records[a.Position])];
    }

    /// <summary>
    /// The streaming form of <see cref="Merge"/>: the places of the runs of several indexed logs of one sweep, in plan
    /// order, with the same checks (every run exactly once, every log of this sweep).
    /// </summary>
    internal static RunLogLocation[] MergeLocations(SweepConfig config, IReadOnlyList<(string Path, SweepConfig Config, List<RunLogLocation> Locations)> logs)
    {
        (int Log, int Position)[] at = Cover(config, [.. logs.Select(l => (l.Path, l.Config, (IReadOnlyList<long>)[.. l.Locations.Select(r => r.Index)]))]);
        return [.. at.Select(a => logs[a.Log].Locations[a.Position])];
    }

    // For each run of the plan, which log holds it and where in that log's list; throws unless each is held exactly once.
    private static (int Log, int Position)[] Cover(SweepConfig config, (string Path, SweepConfig Config, IReadOnlyList<long> Indices)[] logs)
    {
        var byIndex = new (int Log, int Position)[config.RunCount];
        Array.Fill(byIndex, (-1, -1));
        for (int l = 0; l < logs.Length; l++)
        {
            (string path, SweepConfig logConfig, IReadOnlyList<long> indices) = logs[l];
            if (!logConfig.Equals(config))
                throw new RunLogException($"{path} belongs to another sweep (fingerprint {logConfig.Fingerprint}, expected {config.Fingerprint}: {DescribeDifference(logConfig, config)}).");
            for (int p = 0; p < indices.Count; p++)
            {
                long index = indices[p];
                if (byIndex[index].Log >= 0)
                    throw new RunLogException($"run {index} ({Describe(config, index)}) is in both {logs[byIndex[index].Log].Path} and {path}.");
                byIndex[index] = (l, p);
            }
        }
        long[] missing = [.. Enumerable.Range(0, byIndex.Length).Where(i => byIndex[i].Log < 0).Select(i => (long)i)];
        if (missing.Length > 0)
            throw new RunLogException($"{missing.Length} of {config.RunCount} runs are missing, e.g. run {missing[0]} ({Describe(config, missing[0])}){(missing.Length > 1 ? $" and run {missing[^1]} ({Describe(config, missing[^1])})" : "")}.");
        return byIndex;
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
            _appended.Add(new RunLogLocation(record.Index, 0, _stream.Position, line.Length - 1));
            AnyDynamics |= record.Dynamics is not null;
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

    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    private sealed record Scanned(SweepConfig? Config, List<RunLogLocation> Locations, long ValidLength, bool AnyDynamics);

    // Reads the file line by line in fixed memory (each record is parsed, checked and dropped); returns the config,
    // where each run is (file order, each run once), and the length of the valid prefix (0: no header yet).
    private static Scanned Scan(FileStream stream, int file, string path, SweepConfig? expected)
    {
        var locations = new List<RunLogLocation>();
        var seen = new Dictionary<long, int>();
        SweepConfig? config = null;
        long validLength = 0;
        int lineNumber = 0;
        bool anyDynamics = false;
        byte[] buffer = [];
        var lines = new RunLogLines(stream);
        while (lines.TryRead(out long offset, out ArraySegment<byte> bytes))
        {
            // A torn last line (no newline was written) is never returned, so its run is redone.
            lineNumber++;
            string line;
            try
            {
                line = s_strictUtf8.GetString(bytes);
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
                if (seen.TryGetValue(record.Index, out int earlierAt))
                {
                    RunRecord earlier = ReadAt(stream.SafeFileHandle, locations[earlierAt], path, config, ref buffer);
                    if (!earlier.Metrics.SequenceEqual(record.Metrics))
                        throw new RunLogException(path, lineNumber, false, $"is corrupt: run {record.Index} is recorded twice with different results");
                }
                else
                {
                    seen.Add(record.Index, locations.Count);
                    locations.Add(new RunLogLocation(record.Index, file, offset, bytes.Count));
                    anyDynamics |= record.Dynamics is not null;
                }
            }
            validLength = offset + bytes.Count + 1;
        }
        if (config is null)
        {
            if (expected is null)
                throw new RunLogException(path, 1, false, "has no header line: it is empty or not a run log");
            return new Scanned(expected, [], 0, false);
        }
        return new Scanned(config, locations, validLength, anyDynamics);
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
