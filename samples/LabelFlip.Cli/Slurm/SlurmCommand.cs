using LabelFlip.Core.Experiments;
using LabelFlip.Sweep;

namespace LabelFlip.Cli.Slurm;

/// <summary><c>labelflip slurm</c>: writes the array and merge scripts of a sharded sweep and says how to submit them.</summary>
internal static class SlurmCommand
{
    public const string Usage = """
        Usage: labelflip slurm --config FILE.json --shards N --out DIR [options]

        Writes two Slurm batch scripts into DIR and prints how to submit them:
          DIR/sweep-array.sbatch   a job array, task T (0 to N-1) running
                                   labelflip sweep --config FILE --shard T+1/N --out DIR/shard-(T+1)
          DIR/sweep-merge.sbatch   labelflip merge DIR/shard-1 ... DIR/shard-N --out DIR, to be submitted with
                                   --dependency=afterok:ARRAY_JOB_ID
        Shards resume from their run logs, so the array is requeueable (#SBATCH --requeue): a preempted or
        requeued task continues where it stopped. Logs go to DIR/logs. DIR must be on storage the compute
        nodes share, and its path may not hold spaces, quotes, backslashes or %.

        Options (--opt=value works too):
          --config FILE.json     the sweep config (required); the scripts name it by its absolute path
          --shards N             number of shards and array tasks, 1 to the sweep's run count (required);
                                 Slurm's MaxArraySize (1001 by default) caps N at 1001
          --out DIR              folder for the shards, logs and merged results (required)
          --partition P          #SBATCH --partition
          --time T               #SBATCH --time per task (minutes, HH:MM:SS, D-HH:MM:SS, ...)
          --cpus-per-task C      #SBATCH --cpus-per-task; each shard runs on C threads (default 1)
          --max-concurrent M     at most M shards at once (--array=0-(N-1)%M)
          --command CMD          how the scripts run labelflip, as shell words (default: this labelflip's
                                 absolute path, or `labelflip` from PATH)
          --help                 show this help
        """;

    public static int Run(IReadOnlyList<string> arguments)
    {
        SlurmJob job;
        try
        {
            if (Parse(arguments) is not SlurmJob parsed)
            {
                Console.WriteLine(Usage);
                return 0;
            }
            job = parsed;
        }
        catch (UsageException e)
        {
            return SweepCommand.Fail(ProgramNames.Tool, 2, $"{e.Message.TrimEnd('.')}. Try labelflip slurm --help.");
        }

        try
        {
            Directory.CreateDirectory(job.LogDirectory);
            string array = Path.Combine(job.OutputDirectory, SlurmScripts.ArrayFileName);
            string merge = Path.Combine(job.OutputDirectory, SlurmScripts.MergeFileName);
            File.WriteAllText(array, SlurmScripts.Array(job));
            File.WriteAllText(merge, SlurmScripts.Merge(job));
            Console.WriteLine($"Wrote {array} ({job.Shards} shard{(job.Shards == 1 ? "" : "s")}) and {merge}. Submit both, the merge after the array:");
            Console.WriteLine(SlurmScripts.Submission(job));
            Console.WriteLine($"The merged results will be in {job.OutputDirectory}; the jobs' logs in {job.LogDirectory}.");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SweepCommand.Fail(ProgramNames.Tool, 1, $"slurm: cannot write the scripts into '{job.OutputDirectory}': {CommandLine.FirstLine(e.Message)}");
        }
    }

    /// <summary>The job the command line describes, or null for --help.</summary>
    private static SlurmJob? Parse(IReadOnlyList<string> arguments)
    {
        var reader = new OptionReader(arguments);
        string? config = null, output = null, partition = null, time = null, command = null;
        int? shards = null, cpus = null, maxConcurrent = null;
        while (reader.TryNext(out string? option))
        {
            string Value() => reader.Value();
            switch (option)
            {
                case "--help" or "-h":
                    return null;
                case "--config":
                    config = Value();
                    break;
                case "--shards":
                    shards = reader.IntValue();
                    break;
                case "--out":
                    output = Value();
                    break;
                case "--partition":
                    partition = Value();
                    break;
                case "--time":
                    time = Value();
                    break;
                case "--cpus-per-task":
                    cpus = reader.IntValue();
                    break;
                case "--max-concurrent":
                    maxConcurrent = reader.IntValue();
                    break;
                case "--command":
                    command = Value();
                    break;
                default:
                    throw reader.Unexpected();
            }
        }
        if (config is null)
            throw new UsageException("slurm needs --config FILE.json, the sweep to shard");
        if (shards is not int count)
            throw new UsageException("slurm needs --shards N, the number of array tasks");
        if (string.IsNullOrWhiteSpace(output))
            throw new UsageException("slurm needs --out DIR for the shards and the merged results");

        // The config is read now so that a mistake shows here, not in N failed array tasks.
        SweepConfig sweep = CommandLine.LoadConfig(config);
        if (count > sweep.RunCount)
            throw new UsageException($"--shards must be at most the sweep's {sweep.RunCount} run{(sweep.RunCount == 1 ? "" : "s")}, got {count}");
        try
        {
            return new SlurmJob(Path.GetFullPath(config), count, Path.GetFullPath(output), command ?? DefaultCommand(),
                partition, time, cpus, maxConcurrent);
        }
        catch (ArgumentException e)
        {
            string message = CommandLine.FirstLine(e.Message);
            throw new UsageException($"{OptionOf(e.ParamName)}: {char.ToLowerInvariant(message[0])}{message[1..]}");
        }
    }

    private static string OptionOf(string? parameter) => parameter switch
    {
        "shards" => "--shards",
        "outputDirectory" => "--out",
        "command" => "--command",
        "partition" => "--partition",
        "time" => "--time",
        "cpusPerTask" => "--cpus-per-task",
        "maxConcurrent" => "--max-concurrent",
        _ => "--config",
    };

    // This very program, so that the compute nodes run the version that wrote the scripts: the installed tool's
    // own executable, or `dotnet labelflip.dll` when it runs through the dotnet host; `labelflip` from PATH otherwise.
    private static string DefaultCommand()
    {
        string? process = Environment.ProcessPath;
        if (process is null)
            return "labelflip";
        if (Path.GetFileNameWithoutExtension(process) == "labelflip")
            return SlurmScripts.Quote(process);
        string assembly = Path.Combine(AppContext.BaseDirectory, "labelflip.dll");
        return File.Exists(assembly) ? $"{SlurmScripts.Quote(process)} {SlurmScripts.Quote(assembly)}" : "labelflip";
    }
}
