using System.Text;
using System.Text.Json;

namespace LabelFlip.Core.Experiments;

/// <summary>A checkpoint that belongs to another sweep config, so its runs cannot be reused.</summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointMismatchException(string path, string reason)
        : base($"The checkpoint {path} belongs to a different sweep ({reason}); " +
               "use another output folder, or start fresh (discarding the checkpoint).")
    {
        Path = path;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }
}

/// <summary>
/// The append-only record of finished runs, <c>runs.jsonl</c>: a header line with the sweep config, then
/// one JSON line per finished run, appended and flushed as each run ends. A crash (even <c>kill -9</c>)
/// loses at most the line being written; reopening drops such a torn last line so the run is redone.
/// </summary>
internal sealed class SweepCheckpoint : IDisposable
{
    public const string FileName = "runs.jsonl";
    private const int FormatVersion = 1;

    private readonly FileStream _stream;
    private readonly Lock _lock = new();

    private SweepCheckpoint(FileStream stream, IReadOnlyList<RunResult> finished)
    {
        _stream = stream;
        Finished = finished;
    }

    /// <summary>Runs already recorded when the checkpoint was opened, in file order.</summary>
    public IReadOnlyList<RunResult> Finished { get; }

    /// <summary>
    /// Opens (or creates) the checkpoint in <paramref name="directory"/> for <paramref name="config"/>.
    /// With <paramref name="resume"/> false an existing checkpoint is discarded.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">The file was written for another config.</exception>
    public static SweepCheckpoint Open(string directory, SweepConfig config, bool resume)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        string header = JsonSerializer.Serialize(new CheckpointHeader(FormatVersion, config), CheckpointJsonContext.Default.CheckpointHeader);
        var finished = new List<RunResult>();

        var stream = new FileStream(path, resume ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            long keep = resume ? ReadExisting(stream, path, header, config, finished) : 0;
            if (keep == 0)
            {
                stream.SetLength(0);
                byte[] line = Encoding.UTF8.GetBytes(header + "\n");
                stream.Write(line);
                stream.Flush();
            }
            else
            {
                stream.SetLength(keep); // drops a torn last line
                stream.Position = keep;
            }
            return new SweepCheckpoint(stream, finished);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends a finished run and flushes it to the operating system. Thread-safe.</summary>
    public void Append(RunResult run)
    {
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(run, CheckpointJsonContext.Default.RunResult) + "\n");
        lock (_lock)
        {
            _stream.Write(line);
            // To the OS, not to the disk: it survives the process being killed, which is what resume is
            // for, without paying a disk sync per run.
            _stream.Flush();
        }
    }

    public void Dispose() => _stream.Dispose();

    // Returns the length of the valid prefix (0: nothing usable, write a new header).
    private static long ReadExisting(FileStream stream, string path, string expectedHeader, SweepConfig config, List<RunResult> finished)
    {
        if (stream.Length == 0)
            return 0;
        byte[] bytes = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(bytes);

        int lineStart = 0;
        long validLength = 0;
        bool headerSeen = false;
        var grid = new HashSet<RunKey>(SweepPlan.Runs(config));
        var seen = new HashSet<RunKey>();
        while (lineStart < bytes.Length)
        {
            int newline = Array.IndexOf(bytes, (byte)'\n', lineStart);
            if (newline < 0)
                break; // torn last line: no newline was written, so the run is redone
            string line = Encoding.UTF8.GetString(bytes, lineStart, newline - lineStart);
            bool isLast = newline == bytes.Length - 1;
            if (!headerSeen)
            {
                if (line != expectedHeader)
                    throw new CheckpointMismatchException(path, DescribeHeaderMismatch(line, config));
                headerSeen = true;
            }
            else
            {
                RunResult? run = TryParseRun(line);
                if (run is null)
                {
                    if (isLast)
                        break; // a last line cut inside its text: redo it
                    throw new CheckpointMismatchException(path, $"line {finished.Count + 2} is not a run record");
                }
                if (!grid.Contains(run.Key))
                    throw new CheckpointMismatchException(path, $"it holds run {run.Key}, which this config does not have");
                if (seen.Add(run.Key))
                    finished.Add(run);
            }
            validLength = newline + 1;
            lineStart = newline + 1;
        }
        return headerSeen ? validLength : 0;
    }

    private static RunResult? TryParseRun(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, CheckpointJsonContext.Default.RunResult);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DescribeHeaderMismatch(string line, SweepConfig config)
    {
        try
        {
            CheckpointHeader? other = JsonSerializer.Deserialize(line, CheckpointJsonContext.Default.CheckpointHeader);
            if (other is null || other.Format != FormatVersion)
                return "it has another checkpoint format";
            return DescribeConfigDifference(other.Config, config);
        }
        catch (JsonException)
        {
            return "its first line is not a LabelFlip checkpoint header";
        }
    }

    private static string DescribeConfigDifference(SweepConfig? stored, SweepConfig config)
    {
        if (stored is null)
            return "it has no config";
        using JsonDocument a = JsonDocument.Parse(stored.ToJson());
        using JsonDocument b = JsonDocument.Parse(config.ToJson());
        foreach (JsonProperty property in b.RootElement.EnumerateObject())
        {
            if (!a.RootElement.TryGetProperty(property.Name, out JsonElement old) || old.GetRawText() != property.Value.GetRawText())
                return $"{property.Name} was {(old.ValueKind == JsonValueKind.Undefined ? "missing" : Compact(old))}, now {Compact(property.Value)}";
        }
        return "its config differs";
    }

    private static string Compact(JsonElement element) =>
        JsonSerializer.Serialize(element, CheckpointJsonContext.Default.JsonElement);
}

/// <summary>The first line of a checkpoint: what sweep it belongs to.</summary>
internal sealed record CheckpointHeader(int Format, SweepConfig Config);
