using System.Text.RegularExpressions;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Cli.Slurm;

/// <summary>A sharded sweep as a Slurm job array plus a merge job: what <see cref="SlurmScripts"/> writes out.</summary>
internal sealed partial class SlurmJob
{
    /// <summary>The most CPUs a task may ask for: the sweep's own thread limit.</summary>
    public const int MaxCpusPerTask = SweepRunOptions.MaxThreads;

    /// <param name="configPath">The sweep config, an absolute path.</param>
    /// <param name="shards">How many shards (array tasks), in [1, <see cref="SweepShard.MaxCount"/>].</param>
    /// <param name="outputDirectory">Absolute folder for the shards (DIR/shard-I), the logs and the merged results;
    /// it appears in #SBATCH lines, which Slurm does not unquote, so no white space, quotes, backslashes or %.</param>
    /// <param name="command">Shell words that run labelflip, inserted as they are (e.g. <c>'/opt/tools/labelflip'</c>).</param>
    /// <param name="partition">Slurm partition, or null for the cluster's default.</param>
    /// <param name="time">Time limit per task in a Slurm format (minutes, [D-]HH:MM[:SS], ...), or null.</param>
    /// <param name="cpusPerTask">CPUs per shard, in [1, <see cref="MaxCpusPerTask"/>], or null for Slurm's default (1).</param>
    /// <param name="maxConcurrent">The most shards running at once (the array's %M), at least 1, or null for no limit.</param>
    public SlurmJob(string configPath, int shards, string outputDirectory, string command,
        string? partition = null, string? time = null, int? cpusPerTask = null, int? maxConcurrent = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (!Path.IsPathFullyQualified(configPath))
            throw new ArgumentException($"Must be an absolute path; got '{configPath}'.", nameof(configPath));
        if (!Path.IsPathFullyQualified(outputDirectory))
            throw new ArgumentException($"Must be an absolute path; got '{outputDirectory}'.", nameof(outputDirectory));
        if (outputDirectory.Any(c => char.IsWhiteSpace(c) || c is '%' or '"' or '\'' or '\\'))
            throw new ArgumentException($"Must hold no white space, quotes, backslashes or % (Slurm's #SBATCH lines take it as it is); got '{outputDirectory}'.", nameof(outputDirectory));
        if (command.Contains('\n', StringComparison.Ordinal) || command.Contains('\r', StringComparison.Ordinal))
            throw new ArgumentException("Must be one line.", nameof(command));
        if (shards is < 1 or > SweepShard.MaxCount)
            throw new ArgumentOutOfRangeException(nameof(shards), shards, $"Must be in [1, {SweepShard.MaxCount}].");
        if (partition is not null && !PartitionPattern().IsMatch(partition))
            throw new ArgumentException($"Must be a partition name (letters, digits, _ . -; several joined by commas); got '{partition}'.", nameof(partition));
        if (time is not null && !TimePattern().IsMatch(time))
            throw new ArgumentException($"Must be a Slurm time: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED; got '{time}'.", nameof(time));
        if (cpusPerTask is < 1 or > MaxCpusPerTask)
            throw new ArgumentOutOfRangeException(nameof(cpusPerTask), cpusPerTask, $"Must be in [1, {MaxCpusPerTask}].");
        if (maxConcurrent is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxConcurrent), maxConcurrent, "Must be at least 1.");
        ConfigPath = configPath;
        Shards = shards;
        OutputDirectory = Path.TrimEndingDirectorySeparator(outputDirectory);
        Command = command;
        Partition = partition;
        Time = time;
        CpusPerTask = cpusPerTask;
        MaxConcurrent = maxConcurrent;
    }

    public string ConfigPath { get; }

    public int Shards { get; }

    public string OutputDirectory { get; }

    public string Command { get; }

    public string? Partition { get; }

    public string? Time { get; }

    public int? CpusPerTask { get; }

    public int? MaxConcurrent { get; }

    /// <summary>Shard I's folder (I from 1).</summary>
    public string ShardDirectory(int number) => Path.Combine(OutputDirectory, $"shard-{number}");

    /// <summary>Where both jobs write their logs; Slurm does not create it, so it must exist before submitting.</summary>
    public string LogDirectory => Path.Combine(OutputDirectory, "logs");

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex PartitionPattern();

    [GeneratedRegex(@"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$")]
    private static partial Regex TimePattern();
}
