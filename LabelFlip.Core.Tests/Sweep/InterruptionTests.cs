using System.Diagnostics;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The main job interrupted for real: Ctrl+C (SIGINT), SIGTERM and <c>kill -9</c> (SIGKILL) mid-sweep, then resumed;
/// and a second process on the same output folder.
/// </summary>
public class InterruptionTests
{
    // Eight runs of about 0.4 s each: long enough that a signal sent after the first run still lands mid-sweep on a loaded
    // machine (with 1,500 epochs, runs of 45 ms, the whole sweep could end before a busy test thread sent it).
    private static readonly string[] s_sweep = ["--widths", "64", "--fractions", "0,0.1,0.2,0.3", "--seeds", "1,2", "--epochs", "12000"];

    [Fact]
    public void Kill_9_mid_sweep_leaves_no_stale_lock_and_resume_writes_the_same_bytes_as_an_uninterrupted_run()
    {
        using var whole = new TempFolder();
        using var killed = new TempFolder();
        Assert.Equal(0, MainJob.Run(whole.Path, [.. s_sweep, "--quiet"]).ExitCode);

        string log = Path.Combine(killed.Path, "results", "runs.jsonl");
        using (Process process = MainJob.Start(killed.Path, [.. s_sweep, "--quiet", "--threads", "1"]))
        {
            MainJob.WaitForLines(process, log, lines: 3);
            process.Kill(); // SIGKILL: no handler runs, whatever was being written stays as it was
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed.Path, "results", "results.json")));
        Assert.True(File.Exists(Path.Combine(killed.Path, "results", ".lock")), "the lock file stays; the lock on it does not");

        (int code, string output, string error) = MainJob.Run(killed.Path, [.. s_sweep, "--quiet"]);
        Assert.True(code == 0, error);
        Assert.Matches(@"\((\d) trained, [2-7] resumed\)", output);
        Assert.Equal(File.ReadAllText(Path.Combine(whole.Path, "results", "results.json")),
                     File.ReadAllText(Path.Combine(killed.Path, "results", "results.json")));
    }

    [Fact]
    public void Kill_9_mid_sweep_over_data_draws_then_resume_writes_every_output_byte_for_byte_and_leaves_no_temporary_file()
    {
        // 5 fractions × 2 draws × 2 seeds: curves, fits and the analysis over draws, all read back from the run log.
        string[] sweep = ["--widths", "64", "--fractions", "0,0.1,0.2,0.3,0.5", "--seeds", "1,2", "--data-seeds", "1,2",
                          "--epochs", "6000", "--resamples", "200", "--quiet"];
        using var whole = new TempFolder();
        using var killed = new TempFolder();
        Assert.Equal(0, MainJob.Run(whole.Path, sweep).ExitCode);

        string results = Path.Combine(killed.Path, "results");
        using (Process process = MainJob.Start(killed.Path, [.. sweep, "--threads", "1"]))
        {
            MainJob.WaitForLines(process, Path.Combine(results, "runs.jsonl"), lines: 4);
            process.Kill(); // SIGKILL
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(results, "results.json")));
        (int code, string output, string error) = MainJob.Run(killed.Path, sweep);
        Assert.True(code == 0, error);
        Assert.Matches(@"\((\d+) trained, ([3-9]|1\d) resumed\)", output);

        string[] written = [.. SweepOutputs.Files.Where(f => f != SweepOutputs.PerformanceFile && File.Exists(Path.Combine(whole.Path, "results", f)))];
        Assert.Contains(SweepOutputs.ThresholdDifferencesPlotFile, written);
        foreach (string file in written)
            Assert.True(File.ReadAllBytes(Path.Combine(whole.Path, "results", file)).SequenceEqual(File.ReadAllBytes(Path.Combine(results, file))), file);
        Assert.Empty(Directory.GetFiles(results, "*.tmp"));
    }

    [Theory]
    [InlineData(MainJob.SigInt, 130)]
    [InlineData(MainJob.SigTerm, 143)]
    public void A_signal_stops_promptly_with_its_exit_code_keeps_finished_runs_and_says_how_to_resume(int signal, int exitCode)
    {
        using var folder = new TempFolder();
        using Process process = MainJob.Start(folder.Path, [.. s_sweep, "--threads", "1"]);
        string log = Path.Combine(folder.Path, "results", "runs.jsonl");
        MainJob.WaitForLines(process, log, lines: 2);

        MainJob.Signal(process, signal);
        var clock = Stopwatch.StartNew();
        (int code, _, string error) = MainJob.WaitForExit(process, TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:0.0} s to stop");
        Assert.Equal(exitCode, code);
        string line = MainJob.OneLine(error);
        Assert.Contains("interrupted", line);
        Assert.Contains($"kept in {Path.Combine("results", "runs.jsonl")}.", line);
        Assert.Contains("Run the same command again to resume", line);
        string[] kept = File.ReadAllLines(log);
        Assert.InRange(kept.Length - 1, 1, 7);
        Assert.False(File.Exists(Path.Combine(folder.Path, "results", "results.json")));

        // Every kept line is resumed, none redone.
        (code, string output, error) = MainJob.Run(folder.Path, [.. s_sweep, "--quiet"]);
        Assert.True(code == 0, error);
        Assert.Contains($"{8 - (kept.Length - 1)} trained, {kept.Length - 1} resumed", output);
        Assert.Equal(kept, File.ReadAllLines(log).Take(kept.Length));
    }

    [Fact]
    public void A_signal_during_the_robustness_section_names_its_run_log_and_the_same_command_resumes_both()
    {
        // The study's 8 runs first, then the same design over 2 data draws (16 runs) into results/robustness, whose runs
        // start while the study's output is written.
        string[] sweep = ["--widths", "64", "--fractions", "0,0.1,0.2,0.3", "--seeds", "1,2", "--epochs", "6000",
                          "--data-draws", "2", "--resamples", "200"];
        using var folder = new TempFolder();
        using Process process = MainJob.Start(folder.Path, [.. sweep, "--threads", "1"]);
        string robustLog = Path.Combine(folder.Path, "results", "robustness", "runs.jsonl");
        MainJob.WaitForLines(process, robustLog, lines: 3);

        MainJob.Signal(process, MainJob.SigTerm);
        (int code, _, string error) = MainJob.WaitForExit(process, TimeSpan.FromSeconds(30));
        Assert.Equal(143, code);
        string line = MainJob.OneLine(error);
        Assert.Contains($"kept in {Path.Combine("results", "robustness", "runs.jsonl")}.", line);
        string[] kept = File.ReadAllLines(robustLog);
        Assert.InRange(kept.Length - 1, 2, 15);
        Assert.False(File.Exists(Path.Combine(folder.Path, "results", "robustness", "results.json")));

        // The same command: the study resumes whole, the robustness section from its log, keeping every finished run.
        (code, string output, error) = MainJob.Run(folder.Path, [.. sweep, "--quiet"]);
        Assert.True(code == 0, error);
        Assert.Contains("(0 trained, 8 resumed)", output);
        Assert.True(File.Exists(Path.Combine(folder.Path, "results", "robustness", "results.json")));
        string[] after = File.ReadAllLines(robustLog);
        Assert.Equal(17, after.Length);
        Assert.Equal(kept, after.Take(kept.Length));
    }

    [Fact]
    public void A_second_sweep_on_a_busy_folder_is_refused_in_one_line_and_the_first_finishes_untouched()
    {
        using var folder = new TempFolder();
        // Far too long to finish during the test: it is stopped with Ctrl+C once the second processes have been refused.
        string[] slow = ["--widths", "64", "--fractions", "0,0.5", "--seeds", "1", "--epochs", "1000000", "--threads", "1", "--quiet", "--out", "shared"];
        string log = Path.Combine(folder.Path, "shared", "runs.jsonl");
        using Process first = MainJob.Start(folder.Path, slow);
        MainJob.WaitForLines(first, log, lines: 1);
        string before = File.ReadAllText(log);

        foreach (string[] second in new[] { slow, [.. slow, "--no-resume"], ["--widths", "4", "--fractions", "0", "--epochs", "1", "--out", "shared"] })
        {
            (int code, string output, string error) = MainJob.Run(folder.Path, second);
            Assert.Equal(2, code);
            string line = MainJob.OneLine(error);
            Assert.Contains(Path.Combine(folder.Path, "shared"), line);
            Assert.Contains("in use by another sweep", line);
            Assert.Empty(output);
            Assert.StartsWith(before, File.ReadAllText(log)); // nothing of the first's log was lost
        }
        Assert.False(first.HasExited, "the first sweep should still be running: the check proved nothing");

        MainJob.Signal(first, MainJob.SigInt);
        (int firstCode, _, string firstError) = MainJob.WaitForExit(first, TimeSpan.FromSeconds(30));
        Assert.Equal(130, firstCode);
        Assert.Contains("interrupted", MainJob.OneLine(firstError));
        Assert.Equal(before, File.ReadAllText(log)); // its run log is intact: the header, no run finished
    }
}
