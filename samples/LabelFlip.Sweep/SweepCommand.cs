using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Sweep;

/// <summary>
/// The sweep and its merge, behind both the standalone labelflip-sweep program and the labelflip tool's
/// sweep and merge subcommands: one source, so the two cannot drift apart.
/// </summary>
/// <remarks>
/// Exit codes: 0 done, 1 a run or the output failed, 2 bad command line, config, data files, run log or busy folder,
/// 130 interrupted (SIGINT), 143 terminated (SIGTERM). Every error is one line on stderr, never a stack trace.
/// </remarks>
internal static class SweepCommand
{
    /// <summary>Runs the command line (a sweep, or <c>merge DIR... --out DIR</c>) and returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, ProgramNames names)
    {
        try
        {
            return Execute(args, names);
        }
        catch (Exception e)
        {
            return Fail(names, 1, $"internal error: {CommandLine.FirstLine(e.Message)}");
        }
    }

    private static int Execute(IReadOnlyList<string> args, ProgramNames names)
    {
        CommandLine command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            return Fail(names, 2, $"{e.Message.TrimEnd('.')}. Try --help.");
        }
        if (command.Help)
        {
            Console.WriteLine(CommandLine.Usage(names));
            return 0;
        }
        if (command.Version)
        {
            Console.WriteLine($"{names.Program} {VersionText()}");
            return 0;
        }

        using var cancel = new CancellationTokenSource();
        int signalExit = 0;
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop(130));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(143));
        Action<PosixSignalContext> Stop(int code) => context =>
        {
            context.Cancel = true; // let the sweep stop between epochs and keep its run log
            Interlocked.CompareExchange(ref signalExit, code, 0);
            cancel.Cancel();
        };

        // A shard folder without a run log is a command-line mistake, not a failure to write: say which, before anything.
        if (command.IsMerge && command.MergeDirectories.FirstOrDefault(d => !File.Exists(Path.Combine(d, RunLog.FileName))) is string empty)
            return Fail(names, 2, $"merge: '{empty}' holds no run log ({RunLog.FileName}); name the --out folders of the shards. Try --help.");

        OutputFolderLock folder;
        try
        {
            folder = OutputFolderLock.Acquire(command.OutputDirectory);
        }
        catch (ArgumentException e)
        {
            return Fail(names, 2, $"--out: {CommandLine.FirstLine(e.Message)}");
        }
        catch (OutputFolderBusyException e)
        {
            return Fail(names, 2, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(names, 2, $"--out: cannot use '{command.OutputDirectory}' as the output folder: {CommandLine.FirstLine(e.Message)}");
        }

        using (folder)
        {
            var progress = command.Quiet ? null : new ProgressReporter(Console.Out, live: !Console.IsOutputRedirected, command.Config);
            // The run log an interruption leaves the unfinished work in: the study's, then the robustness section's.
            string runLog = Path.Combine(command.OutputDirectory, RunLog.FileName);
            try
            {
                // Results of an earlier sweep must not stand beside a run log they did not come from.
                SweepOutputs.Remove(command.OutputDirectory);
                if (command.IsMerge)
                {
                    SweepResult merged = SweepRunner.Merge(command.MergeDirectories);
                    SweepOutputs.Write(merged, command.OutputDirectory);
                    FindingsTable.Print(Console.Out, merged, command.OutputDirectory, merged: command.MergeDirectories.Length);
                    if (merged.Summary.Draws is not null)
                        Robustness.Print(Console.Out, merged, command.OutputDirectory, heading: "Across data draws");
                    DynamicsFindings.Print(Console.Out, merged);
                    return 0;
                }
                var options = new SweepRunOptions
                {
                    MaxDegreeOfParallelism = command.Threads,
                    OutputDirectory = command.OutputDirectory,
                    Resume = command.Resume,
                    Shard = command.Shard,
                };
                if (command.Shard is SweepShard shard)
                {
                    SweepExecution execution = SweepRunner.Execute(command.Config, options, progress, cancel.Token);
                    progress?.Finish();
                    Console.WriteLine($"Shard {shard}: {execution.Records.Length} runs done in {command.OutputDirectory}. " +
                        $"When every shard is done: {names.Merge} SHARD_DIRS... --out DIR");
                    return 0;
                }
                SweepResult result = WithResamples(SweepRunner.Run(command.Config, options, progress, cancel.Token), command.Resamples, command.Threads);
                progress?.Finish();

                // The same design over fresh data draws, in a folder (and run log) of its own inside --out. Its runs
                // start now, beside the study's analysis and output below (one thread writing them, the other idle
                // otherwise); its progress is shown once the study's output is complete. The results do not depend
                // on when a run trains.
                (SweepConfig Design, Task<SweepResult> Run)? robustness = null;
                string folderPath = Path.Combine(command.OutputDirectory, Robustness.Folder);
                var robustProgress = new DeferredProgress();
                var robustClock = new Stopwatch();
                using var stopRobust = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
                if (command.DataDraws >= 2)
                {
                    SweepConfig design = Robustness.Config(command.Config, command.DataDraws);
                    Directory.CreateDirectory(folderPath);
                    SweepOutputs.Remove(folderPath);
                    runLog = Path.Combine(folderPath, RunLog.FileName);
                    robustClock.Start();
                    robustness = (design, Task.Run(() => WithResamples(
                        SweepRunner.Run(design, options with { OutputDirectory = folderPath }, robustProgress, stopRobust.Token), command.Resamples, command.Threads)));
                }
                try
                {
                    SweepOutputs.Write(result, command.OutputDirectory);
                    FindingsTable.Print(Console.Out, result, command.OutputDirectory, merged: 0);
                    if (result.Summary.Draws is not null)
                        Robustness.Print(Console.Out, result, command.OutputDirectory, heading: "Across data draws");
                    DynamicsFindings.Print(Console.Out, result);
                }
                catch when (robustness is not null)
                {
                    // The study's output failed: stop the draws' runs (their run log keeps what finished) before
                    // the error is reported.
                    stopRobust.Cancel();
                    try
                    {
                        robustness.Value.Run.Wait();
                    }
                    catch (AggregateException)
                    {
                    }
                    throw;
                }
                if (robustness is (SweepConfig robust, Task<SweepResult> robustRun))
                {
                    using var reporter = command.Quiet ? null : new ProgressReporter(Console.Out, live: !Console.IsOutputRedirected, robust, robustClock.Elapsed);
                    if (!command.Quiet)
                        Console.WriteLine($"\nRobustness: {robust.RunCount} runs over {command.DataDraws} data draws (--quick skips this)");
                    if (reporter is not null)
                        robustProgress.Attach(reporter);
                    SweepResult draws;
                    try
                    {
                        draws = robustRun.GetAwaiter().GetResult();
                    }
                    finally
                    {
                        reporter?.Finish();
                    }
                    SweepOutputs.Write(draws, folderPath);
                    Robustness.Print(Console.Out, draws, folderPath);
                }
                return 0;
            }
            catch (OperationCanceledException)
            {
                progress?.Finish();
                return Fail(names, signalExit == 0 ? 130 : signalExit,
                    $"interrupted; finished runs are kept in {runLog}. Run the same command again to resume.");
            }
            catch (RunLogException e)
            {
                progress?.Finish();
                string wayOut = e.IsOtherSweep
                    ? "Use another --out folder, or --no-resume to start fresh (discarding its finished runs)."
                    : e.Line > 0
                        ? $"Repair or delete line {e.Line}, or use --no-resume to start fresh (discarding its finished runs)."
                        : "Check the shard folders given.";
                return Fail(names, 2, $"{e.Message.TrimEnd('.')}. {wayOut}");
            }
            catch (SweepRunException e)
            {
                progress?.Finish();
                return Fail(names, 1, e.Message);
            }
            catch (DataSourceException e)
            {
                progress?.Finish();
                return Fail(names, 2, CommandLine.FirstLine(e.Message));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                progress?.Finish();
                return Fail(names, 1, $"cannot write the results: {CommandLine.FirstLine(e.Message)}");
            }
        }
    }

    // The runner analyses over data draws with the default resamples; another count redoes that part only.
    private static SweepResult WithResamples(SweepResult result, int resamples, int threads) =>
        result.Summary.Draws is null || resamples == result.Summary.Draws.ResampleCount
            ? result
            : result with { Summary = result.Summary with { Draws = DrawAnalysis.Analyze(result.Config, result.Runs, resamples, threads) } };

    internal static int Fail(ProgramNames names, int code, string message)
    {
        Console.Error.WriteLine($"{names.Program}: {message}");
        return code;
    }

    internal static string VersionText() =>
        typeof(SweepRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
