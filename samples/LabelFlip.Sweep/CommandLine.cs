using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Experiments;

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
    bool Help)
{
    public const string Usage = """
        Usage: labelflip-sweep [options]

        Reproduces the label-flip poisoning study: trains a two-layer MLP for every (poison fraction,
        hidden width, seed), fits a sigmoid per width and writes results.json, performance.json, three SVG
        charts and the checkpoint runs.jsonl. A rerun with the same config resumes where it stopped.

        Options (they override the config file):
          --out DIR            output folder (default ./results)
          --config FILE.json   sweep config; missing fields take the study's defaults
          --threads N          worker threads (default: all cores); results do not depend on it
          --widths 32,64,128   hidden widths
          --fractions 0,0.1,0.5
                               fractions of training labels flipped, each in [0, 1]
          --seeds 42,123       training seeds
          --epochs N           training epochs per run
          --no-resume          discard an existing checkpoint and start fresh
          --quiet              print the findings only, no progress
          --help               show this help
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        SweepConfig? config = null;
        string? configPath = null, output = null;
        int? threads = null, epochs = null;
        ImmutableArray<int>? widths = null;
        ImmutableArray<double>? fractions = null;
        ImmutableArray<ulong>? seeds = null;
        bool resume = true, quiet = false, help = false;

        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new UsageException($"{option} needs a value");
            switch (option)
            {
                case "--help" or "-h":
                    help = true;
                    break;
                case "--out":
                    output = Value();
                    break;
                case "--config":
                    configPath = Value();
                    break;
                case "--threads":
                    threads = ParseInt(option, Value());
                    if (threads < 1)
                        throw new UsageException($"--threads must be at least 1, got {threads}");
                    break;
                case "--widths":
                    widths = ParseList(option, Value(), s => ParseInt(option, s));
                    break;
                case "--fractions":
                    fractions = ParseList(option, Value(), s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                        ? d : throw new UsageException($"{option}: '{s}' is not a number"));
                    break;
                case "--seeds":
                    seeds = ParseList(option, Value(), s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u)
                        ? u : throw new UsageException($"{option}: '{s}' is not a seed (an integer ≥ 0)"));
                    break;
                case "--epochs":
                    epochs = ParseInt(option, Value());
                    break;
                case "--no-resume":
                    resume = false;
                    break;
                case "--quiet":
                    quiet = true;
                    break;
                default:
                    throw new UsageException($"unknown option '{option}'");
            }
        }
        if (help)
            return new CommandLine(new SweepConfig(), "", 1, resume, quiet, Help: true);

        if (configPath is not null)
        {
            if (!File.Exists(configPath))
                throw new UsageException($"--config: cannot read '{configPath}': no such file");
            try
            {
                config = SweepConfig.Load(configPath);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--config {configPath}: {FirstLine(e.Message)}");
            }
            catch (IOException e)
            {
                throw new UsageException($"--config: cannot read '{configPath}': {FirstLine(e.Message)}");
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UsageException($"--config: cannot read '{configPath}': {FirstLine(e.Message)}");
            }
        }
        config ??= new SweepConfig();
        config = config with
        {
            HiddenWidths = widths ?? config.HiddenWidths,
            PoisonFractions = fractions ?? config.PoisonFractions,
            Seeds = seeds ?? config.Seeds,
            Epochs = epochs ?? config.Epochs,
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(FirstLine(e.Message));
        }
        return new CommandLine(config, output ?? "results", threads ?? Environment.ProcessorCount, resume, quiet, Help: false);
    }

    private static int ParseInt(string option, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException($"{option}: '{text}' is not an integer");

    private static ImmutableArray<T> ParseList<T>(string option, string text, Func<string, T> parse)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
            throw new UsageException($"{option}: '{text}' is not a comma-separated list");
        return [.. parts.Select(parse)];
    }

    // ArgumentException appends " (Parameter 'x')" and, out of range, the value on a new line; our messages
    // already name the field and the value, so keep the sentence alone, without its full stop.
    private static string FirstLine(string message)
    {
        string line = message.Split('\n')[0].Trim();
        int parameter = line.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return (parameter >= 0 ? line[..parameter] : line).TrimEnd('.');
    }
}
