using System.Diagnostics;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>A long single run with redirected output still says it is alive.</summary>
public class HeartbeatTests
{
    [Fact]
    public async Task Redirected_output_gets_a_progress_line_at_least_every_10_seconds_during_a_long_run()
    {
        using var folder = new TempFolder();
        using Process process = MainJob.Start(folder.Path, ["--widths", "512", "--fractions", "0", "--seeds", "1", "--epochs", "1000000", "--threads", "1"]);
        var beats = new List<double>(); // the program's own clock on each heartbeat line, in seconds
        var lines = new List<string>();
        Task reading = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is string line)
            {
                lock (lines)
                {
                    lines.Add(line);
                    if (line.StartsWith("progress: 0/1 runs, ", StringComparison.Ordinal))
                        beats.Add(double.Parse(line["progress: 0/1 runs, ".Length..].TrimEnd('s', ' '), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        });
        Task<string> error = process.StandardError.ReadToEndAsync();
        // Two heartbeats show the spacing; the program's start-up on a loaded machine is not counted against it.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(45) && !process.HasExited)
        {
            lock (lines)
            {
                if (beats.Count >= 2)
                    break;
            }
            await Task.Delay(100);
        }
        Assert.False(process.HasExited, "the run ended before the heartbeat could be checked");
        MainJob.Signal(process, MainJob.SigInt);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            await process.WaitForExitAsync(timeout.Token);
        await reading.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(130, process.ExitCode);
        MainJob.OneLine(await error);

        lock (lines)
        {
            Assert.True(beats.Count >= 2, $"expected progress lines at about 10 s and 20 s, got: {string.Join(" | ", lines)}");
            // At most 10 s of silence, plus a little for the timer's check interval and a loaded machine.
            const double MaxSilence = 10.75;
            Assert.True(beats[0] <= MaxSilence, $"first heartbeat at {beats[0]} s");
            Assert.True(beats[1] - beats[0] <= MaxSilence, $"silent from {beats[0]} s to {beats[1]} s");
        }
    }
}
