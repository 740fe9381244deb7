using LabelFlip.Cli.Fitting;
using LabelFlip.Cli.Slurm;
using LabelFlip.Sweep;

namespace LabelFlip.Cli;

/// <summary>
/// Dispatches <c>labelflip COMMAND ...</c> to its command. Exit codes are the main job's: 0 done; 1 a run or the
/// output failed; 2 bad command line, config, data, run log or busy folder; 130/143 interrupted by SIGINT/SIGTERM.
/// </summary>
internal static class Subcommands
{
    public const string Usage = """
        Usage: labelflip COMMAND [options]

        Commands:
          sweep    run a label-flip poisoning sweep, or one shard of it (--shard I/N); resumes where it stopped
          merge    merge the shards' folders into one result: labelflip merge SHARD_DIR... --out DIR
          slurm    write Slurm batch scripts: a job array of shards, then a merge job that waits for it
          fit      fit the study's sigmoid to a CSV of (poison fraction, accuracy) points

        `labelflip COMMAND --help` describes a command. `labelflip --version` prints the version.

        Exit codes: 0 done; 1 a run or the output failed; 2 bad command line, config, data files, run log or
        busy folder; 130 interrupted (Ctrl+C); 143 terminated (SIGTERM).
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.Write(Usage);
            Console.Error.WriteLine();
            return 2;
        }
        string[] rest = args[1..];
        switch (args[0])
        {
            case "--help" or "-h" or "help":
                Console.WriteLine(Usage);
                return 0;
            case "--version":
                Console.WriteLine($"labelflip {SweepCommand.VersionText()}");
                return 0;
            case "sweep" when rest.Length > 0 && rest[0] == "merge":
                return SweepCommand.Fail(ProgramNames.Tool, 2, "sweep: unexpected argument 'merge'; shards are merged by `labelflip merge`. Try --help.");
            case "sweep":
                return SweepCommand.Run(rest, ProgramNames.Tool);
            case "merge":
                return SweepCommand.Run(["merge", .. rest], ProgramNames.Tool);
            case "slurm":
                return SlurmCommand.Run(rest);
            case "fit":
                return FitCommand.Run(rest);
            default:
                return SweepCommand.Fail(ProgramNames.Tool, 2,
                    $"{(args[0].StartsWith('-') ? "unknown option" : "unknown command")} '{args[0]}'; the commands are sweep, merge, slurm and fit. Try --help.");
        }
    }
}
