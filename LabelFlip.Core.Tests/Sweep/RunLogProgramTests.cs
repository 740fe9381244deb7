using System.Text.RegularExpressions;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The main job given a damaged or foreign run log: every bad line is refused with its line number before any
/// training, the file is left as it was, and the message says the way out; only a torn last line is redone silently.
/// </summary>
public partial class RunLogProgramTests(RunLogProgramTests.FinishedSweep sweep) : IClassFixture<RunLogProgramTests.FinishedSweep>
{
    private static readonly string[] s_sweep = ["--widths", "4,8", "--fractions", "0,0.5", "--seeds", "1", "--epochs", "2", "--quiet", "--threads", "1"];

    /// <summary>A finished four-run sweep, and the same grid with another seed (another config, same run indices).</summary>
    public sealed class FinishedSweep : IDisposable
    {
        private readonly TempFolder _folder = new();

        public FinishedSweep()
        {
            Assert.Equal(0, MainJob.Run(_folder.Path, [.. s_sweep, "--out", "this"]).ExitCode);
            Assert.Equal(0, MainJob.Run(_folder.Path, ["--widths", "4,8", "--fractions", "0,0.5", "--seeds", "2", "--epochs", "2", "--quiet", "--out", "other"]).ExitCode);
            Log = File.ReadAllText(Path.Combine(_folder.Path, "this", "runs.jsonl"));
            Results = File.ReadAllText(Path.Combine(_folder.Path, "this", "results.json"));
            OtherLog = File.ReadAllText(Path.Combine(_folder.Path, "other", "runs.jsonl"));
        }

        public string Log { get; }

        public string Results { get; }

        public string OtherLog { get; }

        public void Dispose() => _folder.Dispose();
    }

    private string[] Lines => sweep.Log.TrimEnd('\n').Split('\n');

    // Runs the sweep on `log`; asserts exit 2, one line, no training (the file is untouched, no results) and returns the line.
    private static string Refused(string log)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "results", "runs.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, log);
        (int code, string output, string error) = MainJob.Run(folder.Path, s_sweep);
        Assert.True(code == 2, $"exit {code}: {error}{output}");
        string line = MainJob.OneLine(error);
        Assert.Empty(output);
        Assert.Equal(log, File.ReadAllText(path));
        Assert.False(File.Exists(Path.Combine(folder.Path, "results", "results.json")));
        return line;
    }

    private string WithLine(int lineNumber, string text)
    {
        string[] lines = Lines;
        lines[lineNumber - 1] = text;
        return string.Join('\n', lines) + "\n";
    }

    [Fact]
    public void A_line_of_another_config_whose_run_is_in_this_grid_is_refused_as_another_sweep()
    {
        string foreign = sweep.OtherLog.Split('\n')[2]; // a run of the other config: its index exists in this grid too
        Assert.Matches("\"run\":[0-3],", foreign);
        string line = Refused(sweep.Log + foreign + "\n");
        Assert.Contains("runs.jsonl line 6", line);
        Assert.Contains("another sweep", line);
        Assert.Contains("--no-resume", line);
    }

    [Theory]
    [InlineData("5.0", "test_accuracy 5.0 is outside its range")]
    [InlineData("-1e308", "test_accuracy -1e308 is outside its range")]
    [InlineData("1e999", "test_accuracy 1e999 is outside its range")]
    [InlineData("NaN", "not valid JSON")]
    [InlineData("\"NaN\"", "test_accuracy must be a number")]
    [InlineData("Infinity", "not valid JSON")]
    [InlineData(null, "the record has no test_accuracy")]
    public void A_record_with_an_impossible_value_or_a_missing_field_is_refused_with_its_line(string? value, string says)
    {
        string record = TestAccuracy().Replace(Lines[2], value is null ? "" : $"\"test_accuracy\":{value},");
        Assert.NotEqual(Lines[2], record);
        string line = Refused(WithLine(3, record));
        Assert.Contains("runs.jsonl line 3: is corrupt", line);
        Assert.Contains(says, line);
        Assert.DoesNotContain("another sweep", line);
        Assert.Contains("Repair or delete line 3, or use --no-resume", line);
    }

    [Fact]
    public void A_garbage_line_in_the_middle_is_corrupt_at_its_line()
    {
        string line = Refused(WithLine(3, "garbage here"));
        Assert.Contains("runs.jsonl line 3: is corrupt", line);
        Assert.DoesNotContain("line 1", line);
        Assert.DoesNotContain("another sweep", line);
        Assert.Contains("--no-resume", line);
    }

    [Fact]
    public void Crlf_line_ends_are_corrupt_at_line_1()
    {
        string line = Refused(sweep.Log.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Contains("runs.jsonl line 1: is corrupt", line);
        Assert.Contains("CR", line);
        Assert.DoesNotContain("another sweep", line);
        Assert.Contains("--no-resume", line);
    }

    [Theory]
    [InlineData(",\"fingerprint\":", ", \"fingerprint\":")]
    [InlineData("{\"format\":2,", "{ \"format\": 2,")]
    [InlineData("\"config\":{", "\"config\": {")]
    public void A_respaced_header_is_corrupt_at_line_1_not_another_config(string written, string respaced)
    {
        Assert.Contains(written, Lines[0]);
        string line = Refused(WithLine(1, Lines[0].Replace(written, respaced, StringComparison.Ordinal)));
        Assert.Contains("runs.jsonl line 1: is corrupt", line);
        Assert.DoesNotContain("another sweep", line);
        Assert.Contains("Repair or delete line 1, or use --no-resume", line);
    }

    [Fact]
    public void A_torn_last_line_is_redone_silently_and_the_results_equal_an_uninterrupted_runs_bytes()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "results", "runs.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sweep.Log[..^40]); // the last record loses its end and its newline
        (int code, string output, string error) = MainJob.Run(folder.Path, s_sweep);
        Assert.True(code == 0, error);
        Assert.Empty(error);
        Assert.Contains("(1 trained, 3 resumed)", output);
        Assert.Equal(sweep.Results, File.ReadAllText(Path.Combine(folder.Path, "results", "results.json")));
        Assert.Equal(Lines.Length, File.ReadAllLines(path).Length);
    }

    [GeneratedRegex("\"test_accuracy\":[^,]*,")]
    private static partial Regex TestAccuracy();
}
