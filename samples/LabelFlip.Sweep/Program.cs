using System.Diagnostics;
using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;
using LabelFlip.Sweep;

// Exit codes: 0 done, 1 the sweep failed, 2 bad command line or config, 130 interrupted (Ctrl+C).
CommandLine command;
try
{
    command = CommandLine.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"labelflip-sweep: {e.Message.TrimEnd('.')}. Try --help.");
    return 2;
}
if (command.Help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // let the sweep stop between epochs and keep its checkpoint
    cancel.Cancel();
};

var progress = command.Quiet ? null : new ProgressReporter(Console.Out, live: !Console.IsOutputRedirected);
SweepResult result;
try
{
    result = SweepRunner.Run(
        command.Config,
        new SweepRunOptions { MaxDegreeOfParallelism = command.Threads, CheckpointDirectory = command.OutputDirectory, Resume = command.Resume },
        progress,
        cancel.Token);
    progress?.Finish();
    SweepOutputs.Write(result, command.OutputDirectory);
}
catch (OperationCanceledException)
{
    progress?.Finish();
    Console.Error.WriteLine($"labelflip-sweep: interrupted; finished runs are kept in {Path.Combine(command.OutputDirectory, "runs.jsonl")}. Run the same command again to resume.");
    return 130;
}
catch (CheckpointMismatchException e)
{
    progress?.Finish();
    Console.Error.WriteLine($"labelflip-sweep: {e.Message.Replace("start fresh", "start fresh with --no-resume", StringComparison.Ordinal)}");
    return 2;
}
catch (Exception e) when (e is SweepRunException or IOException or UnauthorizedAccessException)
{
    progress?.Finish();
    Console.Error.WriteLine($"labelflip-sweep: {e.Message}");
    return 1;
}

FindingsTable.Print(Console.Out, result, command.OutputDirectory);
return 0;

namespace LabelFlip.Sweep
{
    /// <summary>A live progress bar on a terminal; plain lines, at most one per second, when redirected.</summary>
    internal sealed class ProgressReporter(TextWriter output, bool live) : IProgress<SweepProgress>
    {
        private readonly Lock _lock = new();
        private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
        private SweepProgress? _last;
        private bool _barShown;

        public void Report(SweepProgress value)
        {
            lock (_lock)
            {
                _last = value;
                if (live)
                {
                    const int Width = 30;
                    int filled = value.TotalRuns == 0 ? Width : value.CompletedRuns * Width / value.TotalRuns;
                    output.Write(string.Create(CultureInfo.InvariantCulture,
                        $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {value.CompletedRuns,3}/{value.TotalRuns} runs  {value.Elapsed.TotalSeconds,6:0.0} s  {Describe(value.LastRun)}   "));
                    _barShown = true;
                }
                else if (_sinceLastLine.Elapsed >= TimeSpan.FromSeconds(1) || value.CompletedRuns == value.TotalRuns)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"progress: {value.CompletedRuns}/{value.TotalRuns} runs, {value.Elapsed.TotalSeconds:0.0} s"));
                    _sinceLastLine.Restart();
                }
            }
        }

        public void Finish()
        {
            lock (_lock)
            {
                if (_barShown)
                    output.WriteLine();
                _barShown = false;
                if (_last is { ResumedRuns: > 0 } last)
                    output.WriteLine($"resumed {last.ResumedRuns} finished runs from the checkpoint");
            }
        }

        private static string Describe(RunResult? run) => run is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"last: p={run.PoisonFraction:0.00} width={run.HiddenWidth} seed={run.Seed} test={run.TestAccuracy:0.000}");
    }

    /// <summary>The study's key numbers as a compact table.</summary>
    internal static class FindingsTable
    {
        public static void Print(TextWriter output, SweepResult result, string outputDirectory)
        {
            Findings f = result.Findings;
            double maxFraction = result.Config.PoisonFractions.Max();
            string gapHeader = string.Create(CultureInfo.InvariantCulture, $"gen gap @{maxFraction * 100:0}%");
            output.WriteLine();
            output.WriteLine($"{"width",5}  {"clean acc",9}  {"k",6}  {"x0",6}  {"threshold",9}  {"R²",6}  {gapHeader,13}");
            for (int i = 0; i < f.Widths.Length; i++)
            {
                WidthFit fit = result.Fits[i];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f.Widths[i],5}  {f.CleanTestAccuracy[i],9:0.000}  {fit.Fit.K,6:0.00}  {fit.Fit.X0,6:0.000}  {Percent(f.CriticalThresholds[i]),9}  {f.RSquared[i],6:0.000}  {f.GenGapAtMaxPoison[i],13:0.000}"));
            }
            output.WriteLine();
            string thresholds = string.Join(" > ", f.CriticalThresholds.Select(Percent));
            output.WriteLine(f.LargerModelsMoreSensitive switch
            {
                true => $"Larger models more sensitive: yes (thresholds fall with width: {thresholds})",
                false => $"Larger models more sensitive: no (thresholds by width: {string.Join(", ", f.CriticalThresholds.Select(Percent))})",
                null => "Larger models more sensitive: needs two widths or more",
            });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Sharp transition (some k > {SweepAnalysis.SharpSteepness}): {(f.SharpTransition ? "yes" : "no")} (k = {string.Join(", ", f.SteepnessK.Select(k => k.ToString("0.00", CultureInfo.InvariantCulture)))})"));
            SweepTimings t = result.Timings;
            string trained = t.ResumedRuns > 0 ? $" ({t.RunTimes.Length} trained, {t.ResumedRuns} resumed)" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Sweep: {result.Runs.Length} runs{trained} in {t.TotalTime.TotalSeconds:0.00} s on {t.Threads} thread{(t.Threads == 1 ? "" : "s")}, {MachineInfo.VectorPath}; results in {outputDirectory}"));
        }

        private static string Percent(double value) =>
            double.IsFinite(value) ? (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "none";
    }
}
