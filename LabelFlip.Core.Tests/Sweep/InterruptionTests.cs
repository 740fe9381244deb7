using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>The main job interrupted for real: Ctrl+C (SIGINT) and <c>kill -9</c> (SIGKILL) mid-sweep, then resumed.</summary>
public class InterruptionTests
{
    // Eight runs of about a quarter of a second each: long enough to be interrupted between runs, short enough for CI.
    private static readonly string[] s_sweep = ["--widths", "64", "--fractions", "0,0.1,0.2,0.3", "--seeds", "1,2", "--epochs", "1500"];

    [Fact]
    public void Kill_9_mid_sweep_then_resume_writes_the_same_bytes_as_an_uninterrupted_run()
    {
        using var whole = new TempFolder();
        using var killed = new TempFolder();
        Assert.Equal(0, MainJob.Run(whole.Path, [.. s_sweep, "--quiet"]).ExitCode);

        using (Process process = MainJob.Start(killed.Path, [.. s_sweep, "--quiet", "--threads", "1"]))
        {
            WaitForFinishedRuns(process, Path.Combine(killed.Path, "results", "runs.jsonl"), runs: 2);
            process.Kill(); // SIGKILL: no handler runs, whatever was being written stays as it was
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed.Path, "results", "results.json")));

        (int code, string output, string error) = MainJob.Run(killed.Path, [.. s_sweep, "--quiet"]);
        Assert.True(code == 0, error);
        Assert.Matches(@"\((\d) trained, [2-7] resumed\)", output);
        Assert.Equal(File.ReadAllText(Path.Combine(whole.Path, "results", "results.json")),
                     File.ReadAllText(Path.Combine(killed.Path, "results", "results.json")));
    }

    [Fact]
    public void Ctrl_C_stops_promptly_keeps_finished_runs_and_says_how_to_resume()
    {
        using var folder = new TempFolder();
        using Process process = MainJob.Start(folder.Path, [.. s_sweep, "--threads", "1"]);
        string checkpoint = Path.Combine(folder.Path, "results", "runs.jsonl");
        WaitForFinishedRuns(process, checkpoint, runs: 1);

        Assert.Equal(0, SendSignal(process.Id, SigInt));
        var clock = Stopwatch.StartNew();
        (int code, _, string error) = MainJob.WaitForExit(process, TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:0.0} s to stop");
        Assert.Equal(130, code);
        Assert.Contains("interrupted", error);
        Assert.Contains("Run the same command again to resume", error);
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.InRange(File.ReadAllLines(checkpoint).Length - 1, 1, 7);
        Assert.False(File.Exists(Path.Combine(folder.Path, "results", "results.json")));
    }

    // Waits until the checkpoint holds the header and at least `runs` finished runs; the sweep must still be going.
    private static void WaitForFinishedRuns(Process process, string checkpoint, int runs)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) || File.ReadAllLines(checkpoint).Length < runs + 1)
        {
            Assert.False(process.HasExited, "The sweep ended before it could be interrupted.");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "No run finished within a minute.");
            Thread.Sleep(5);
        }
        Assert.False(process.HasExited, "The sweep ended before it could be interrupted.");
    }

    // Ctrl+C is SIGINT (2 on Linux and macOS); .NET has no API to send a signal, so ask libc's kill(2).
    private const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);
}
