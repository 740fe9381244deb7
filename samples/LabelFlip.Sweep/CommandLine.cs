using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Sweep;

/// <summary>A command-line mistake: reported in one line with a hint to --help, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>What the command line asks for.</summary>
internal sealed record CommandLine(
    SweepConfig Config,
    string OutputDirectory,
    int Threads,
    bool Resume,
    bool Quiet,
    SweepShard? Shard,
    ImmutableArray<string> MergeDirectories,
    bool Help,
    bool Version,
    int DataDraws = 0,
    int Resamples = ClusterBootstrap.DefaultResampleCount)
{
    public bool IsMerge => !MergeDirectories.IsDefault;

    /// <summary>Data draws of the study's robustness section: data seeds 1 to 30.</summary>
    public const int DefaultDataDraws = 30;

    /// <summary>The most resamples --resamples accepts.</summary>
    public const int MaxResamples = 1_000_000;

    /// <summary>The most data draws --data-draws accepts.</summary>
    public const int MaxDataDraws = 10_000;

    public static string Usage(ProgramNames names) => $$$"""
        Usage: {{{names.Sweep}}} [options]
               {{{names.Merge}}} SHARD_DIR... --out DIR

        Runs a label-flip poisoning sweep (by default the study: a two-layer MLP for every poison fraction,
        hidden width and seed), fits a sigmoid per curve and writes results.json, runs.csv, curves.csv,
        performance.json, three SVG charts and the run log runs.jsonl. The same command resumes where an
        interrupted one stopped. `merge` puts the run logs of a sweep's shards together and analyses them.

        Options (they override the config file; --opt=value works too):
          --out DIR            output folder (default ./results); one sweep at a time per folder
          --config FILE.json   sweep config: {"base": {...run...}, "axes": {"path": [values]}}; data.source
                               "gaussian-clusters" (the study's), "fashion-mnist" or "csv" (see the README)
          --threads N          worker threads, 1 to 4096 (default: all cores); results do not depend on it
          --widths 32,64,128   hidden widths, one network per entry; 64x64 is two hidden layers
          --fractions 0,0.1,0.5
                               fractions of training labels flipped, each in [0, 1]
          --seeds 42,123       training seeds
          --data-seeds 1,2,3   data seeds (a new data draw each)
          --epochs N           training epochs per run
          --streams study|ours random streams: the study's own NumPy/PyTorch generators (the default
                               study) or LabelFlip's own
          --data-draws N       robustness section: after the sweep, rerun its design over N fresh data draws
                               (data seeds 1..N) into DIR/robustness and print verdicts with 95% intervals;
                               default 30 for the study, 0 otherwise (or when data.seed is an axis already)
          --quick              skip the robustness section
          --resamples N        bootstrap resamples of the intervals over data draws (default 2000)
          --shard I/N          run only the I-th of N balanced slices of the plan (into its own --out)
          --no-resume          discard an existing run log and start fresh
          --quiet              print the findings only, no progress
          --version            print the version and exit
          --help               show this help

        Exit codes: 0 done; 1 a run or the output failed; 2 bad command line, config, data files, run log or
        busy folder; 130 interrupted (Ctrl+C); 143 terminated (SIGTERM). Finished runs are kept in either case.
        """;

    // Shorthand flags and the run fields they set, so that their errors name the flag the user typed.
    private static readonly (string Flag, string Path)[] s_shorthands =
    [
        ("--widths", "model.hidden_widths"), ("--fractions", "poison.fraction"), ("--seeds", "seed"),
        ("--data-seeds", "data.seed"), ("--epochs", "training.epochs"), ("--streams", "streams"),
    ];

    public static CommandLine Parse(IReadOnlyList<string> arguments)
    {
        var reader = new OptionReader(arguments);
        IReadOnlyList<string> args = reader.Arguments;
        string? configPath = null, output = null;
        int? threads = null, epochs = null, dataDraws = null;
        int resamples = ClusterBootstrap.DefaultResampleCount;
        string? streams = null;
        SweepShard? shard = null;
        var axes = new List<(string Flag, SweepAxis Axis)>();
        bool resume = true, quiet = false, help = false, version = false, quick = false;
        ImmutableArray<string> merge = default;
        if (args.Count > 0 && args[0] == "merge")
        {
            merge = [.. args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal))];
            reader.Skip(1 + merge.Length);
        }

        while (reader.TryNext(out string? option))
        {
            string Value() => reader.Value();
            switch (option)
            {
                case "--help" or "-h":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--out":
                    output = Value();
                    if (string.IsNullOrWhiteSpace(output))
                        throw new UsageException("--out needs a folder name, not an empty one");
                    break;
                case "--config":
                    configPath = Value();
                    break;
                case "--threads":
                    threads = ParseInt(option, Value());
                    if (threads is < 1 or > SweepRunOptions.MaxThreads)
                        throw new UsageException($"--threads must be an integer in [1, {SweepRunOptions.MaxThreads}], got {threads}");
                    break;
                case "--widths":
                    axes.Add((option, SweepAxis.Of("model.hidden_widths", ParseList(option, Value(), s => ParseWidths(option, s)))));
                    break;
                case "--fractions":
                    axes.Add((option, SweepAxis.Of("poison.fraction", ParseList(option, Value(), s => ParseFraction(option, s)))));
                    break;
                case "--seeds":
                    axes.Add((option, SweepAxis.Of("seed", ParseList(option, Value(), s => ParseSeed(option, s)))));
                    break;
                case "--data-seeds":
                    axes.Add((option, SweepAxis.Of("data.seed", ParseList(option, Value(), s => ParseSeed(option, s)))));
                    break;
                case "--epochs":
                    epochs = ParseInt(option, Value());
                    break;
                case "--streams":
                    streams = Value();
                    if (streams is not (RunSpec.StudyStreams or RunSpec.OurStreams))
                        throw new UsageException($"--streams must be {RunSpec.StudyStreams} or {RunSpec.OurStreams}, got '{streams}'");
                    break;
                case "--shard":
                    try
                    {
                        shard = SweepShard.Parse(Value());
                    }
                    catch (ArgumentException e)
                    {
                        throw new UsageException($"--shard: {FirstLine(e.Message)}");
                    }
                    break;
                case "--no-resume":
                    resume = false;
                    break;
                case "--quiet":
                    quiet = true;
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--resamples":
                    resamples = ParseInt(option, Value());
                    if (resamples is < 1 or > MaxResamples)
                        throw new UsageException($"--resamples must be an integer in [1, {MaxResamples}], got {resamples}");
                    break;
                case "--data-draws":
                    dataDraws = ParseInt(option, Value());
                    if (dataDraws is < 0 or > MaxDataDraws)
                        throw new UsageException($"--data-draws must be an integer in [0, {MaxDataDraws}], got {dataDraws}");
                    break;
                default:
                    throw reader.Unexpected();
            }
        }
        if (help || version)
            return new CommandLine(SweepConfig.Study, "", 1, resume, quiet, null, merge, help, version);

        if (!merge.IsDefault)
        {
            if (merge.Length == 0)
                throw new UsageException("merge needs the shard folders to merge");
            if (output is null)
                throw new UsageException("merge needs --out DIR for the merged results");
            if (configPath is not null || axes.Count > 0 || epochs is not null || streams is not null || shard is not null)
                throw new UsageException("merge takes the config from the shards' run logs; give no --config, axis flags, --epochs, --streams or --shard");
            return new CommandLine(SweepConfig.Study, output, 1, resume, quiet, null, merge, false, false);
        }

        SweepConfig config = configPath is null ? SweepConfig.Study : LoadConfig(configPath);
        try
        {
            if (epochs is int e)
                config = config.WithBase(config.Base with { Training = config.Base.Training with { Epochs = e } });
            if (streams is not null)
                config = config.WithBase(config.Base with { Streams = streams });
            foreach ((_, SweepAxis axis) in axes)
                config = config.WithAxis(axis);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(InFlagTerms(e));
        }
        // The study gets its robustness section unless asked not to; another design only when asked for one. A sweep
        // over several data draws already has its intervals, and a shard is only part of a sweep.
        bool isStudy = configPath is null && axes.Count == 0 && epochs is null;
        bool hasDraws = config.Axis("data.seed") is { Values.Length: >= 2 };
        int draws = quick || hasDraws || shard is not null ? 0 : dataDraws ?? (isStudy ? DefaultDataDraws : 0);
        if (draws == 1)
            throw new UsageException("--data-draws needs at least 2 draws to compare them (or 0 for none)");
        return new CommandLine(config, output ?? "results", threads ?? Environment.ProcessorCount, resume, quiet, shard, merge, false, false, draws, resamples);
    }

    internal static SweepConfig LoadConfig(string path)
    {
        try
        {
            return SweepConfig.Load(path);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--config {FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--config: cannot read '{path}': {FirstLine(e.Message)}");
        }
    }

    // "axes: model.hidden_widths value 1 must be …" after --widths becomes "--widths: value 1 must be …".
    private static string InFlagTerms(ArgumentException e)
    {
        string message = FirstLine(e.Message);
        foreach ((string flag, string path) in s_shorthands)
        {
            if (e.ParamName != path)
                continue;
            foreach (string prefix in (string[])[$"axes: {path} ", $"base: {path} ", $"{path} "])
            {
                if (message.StartsWith(prefix, StringComparison.Ordinal))
                    return $"{flag}: {message[prefix.Length..]}";
            }
            return $"{flag}: {message}";
        }
        return message;
    }

    // --opt=value is --opt value.
    internal static IEnumerable<string> SplitEquals(string arg)
    {
        int equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2 ? [arg[..equals], arg[(equals + 1)..]] : [arg];
    }

    internal static int ParseInt(string option, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException($"{option}: '{text}' is not an integer");

    private static ulong ParseSeed(string option, string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u)
            ? u
            : throw new UsageException($"{option}: '{text}' is not a seed (an integer in [0, 2^64))");

    private static int[] ParseWidths(string option, string text) =>
        [.. text.Split('x').Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new UsageException($"{option}: '{text}' is not a width (an integer, or layers joined by x as in 64x64)"))];

    internal static double ParseFraction(string option, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
            throw new UsageException($"{option}: '{text}' is not a number");
        if (d == 0 && text.TakeWhile(c => c is not ('e' or 'E')).Any(c => c is >= '1' and <= '9'))
            throw new UsageException($"{option}: '{text}' is too small to be represented (it would become 0)");
        return d == 0 ? 0.0 : d; // -0 is 0
    }

    private static ImmutableArray<T> ParseList<T>(string option, string text, Func<string, T> parse)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
            throw new UsageException($"{option}: '{text}' is not a comma-separated list");
        return [.. parts.Select(parse)];
    }

    // ArgumentException appends " (Parameter 'x')" and, out of range, the value on a new line; our messages
    // already name the field and the value, so keep the sentence alone, without its full stop.
    internal static string FirstLine(string message)
    {
        string line = message.Split('\n')[0].Trim();
        // A wrapped exception may carry its inner one's suffix too: cut at the first.
        int parameter = line.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return (parameter >= 0 ? line[..parameter] : line).TrimEnd('.');
    }
}
