using LabelFlip.Core.Tests.Detection;
using System.Collections.Immutable;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Experiments;

public class RunLogTests
{
    // A sweep of 4 tiny runs: quick to train, and enough to test resuming and merging.
    internal static readonly SweepConfig Tiny = SweepConfig.FromJson("""
        { "base": { "training": { "epochs": 3 }, "model": { "hidden_widths": [4] } },
          "axes": { "poison.fraction": [0, 0.5], "seed": [1, 2] } }
        """);

    private static RunRecord Record(long index, double test = 0.5) =>
        new(index, Tiny.CoordinatesAt(index), [0.9, test, 0.8, 0.9 - test, 0.7, index * 10, index == 0 ? null : 0.25, 5, null, null, null, .. NoDefence.Metrics]);

    private static string[] Lines(TempFolder folder) => File.ReadAllText(folder.File(RunLog.FileName)).Split('\n');

    private static void WriteLines(TempFolder folder, IEnumerable<string> lines) =>
        File.WriteAllText(folder.File(RunLog.FileName), string.Join('\n', lines));

    [Fact]
    public void Appended_records_read_back_exactly_with_the_sweep_from_the_header()
    {
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, Tiny))
        {
            log.Append(Record(2, 0.123456789012345));
            log.Append(Record(0));
        }
        RunLogContents contents = RunLog.Read(folder.File(RunLog.FileName));
        Assert.Equal(Tiny, contents.Config);
        Assert.Equal([2L, 0L], contents.Records.Select(r => r.Index));
        Assert.Equal(0.123456789012345, contents.Records[0].Get(RunMetrics.TestAccuracy));
        Assert.Null(contents.Records[1].Get(RunMetrics.MemorizationRate));
        Assert.Contains($"\"fingerprint\":\"{Tiny.Fingerprint}\"", Lines(folder)[1]);
        using RunLog reopened = RunLog.Open(folder.Path, Tiny);
        Assert.Equal(2, reopened.Records.Length);
    }

    [Fact]
    public void A_torn_last_line_is_dropped_and_the_run_redone()
    {
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, Tiny))
            log.Append(Record(1));
        string whole = File.ReadAllText(folder.File(RunLog.FileName));
        File.WriteAllText(folder.File(RunLog.FileName), whole + whole.Split('\n')[1][..40]);
        using (RunLog log = RunLog.Open(folder.Path, Tiny))
        {
            Assert.Single(log.Records);
            log.Append(Record(3));
        }
        Assert.Equal([1L, 3L], RunLog.Read(folder.File(RunLog.FileName)).Records.Select(r => r.Index));
    }

    [Fact]
    public void Without_resume_an_existing_log_is_replaced()
    {
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, Tiny))
            log.Append(Record(1));
        using (RunLog fresh = RunLog.Open(folder.Path, Tiny, resume: false))
            Assert.Empty(fresh.Records);
        Assert.Empty(RunLog.Read(folder.File(RunLog.FileName)).Records);
    }

    [Fact]
    public void A_log_of_another_config_is_refused_naming_the_difference()
    {
        using var folder = new TempFolder();
        using (RunLog.Open(folder.Path, Tiny.WithBase(Tiny.Base with { Training = Tiny.Base.Training with { Epochs = 5 } })))
        {
        }
        RunLogException e = Assert.Throws<RunLogException>(() => RunLog.Open(folder.Path, Tiny));
        Assert.True(e.IsOtherSweep);
        Assert.Equal(1, e.Line);
        Assert.Contains("base.training.epochs was 5, now 3", e.Message);
    }

    [Fact]
    public void A_record_from_another_config_with_a_key_in_this_grid_is_refused_with_its_line()
    {
        using var folder = new TempFolder();
        SweepConfig other = Tiny.WithBase(Tiny.Base with { Training = Tiny.Base.Training with { Epochs = 5 } });
        using (RunLog log = RunLog.Open(folder.Path, other))
            log.Append(Record(1));
        string foreign = Lines(folder)[1];
        using (RunLog log = RunLog.Open(folder.Path, Tiny, resume: false))
            log.Append(Record(0));
        WriteLines(folder, [.. Lines(folder)[..2], foreign, ""]);
        RunLogException e = Assert.Throws<RunLogException>(() => RunLog.Open(folder.Path, Tiny));
        Assert.True(e.IsOtherSweep);
        Assert.Equal(3, e.Line);
        Assert.Contains("another sweep", e.Message);
    }

    [Theory]
    [InlineData("\"test_accuracy\":0.5", "\"test_accuracy\":5.0", "test_accuracy 5.0 is outside")]
    [InlineData("\"test_accuracy\":0.5", "\"test_accuracy\":-1e308", "is outside")]
    [InlineData("\"test_accuracy\":0.5", "\"test_accuracy\":\"NaN\"", "must be a number")]
    [InlineData("\"flipped_count\":10", "\"flipped_count\":10.5", "an integer")]
    [InlineData("\"final_loss\":0.7,", "", "has no final_loss")]
    [InlineData("\"seed\":2", "\"seed\":1", "but the record says")]
    [InlineData("{", "[", "not valid JSON")]
    [InlineData("\"flipped_count\"", "\"flipped_co\\nt\"", "unknown field 'flipped_co\\u000at'")]
    public void A_corrupt_record_is_refused_with_its_line_and_never_read(string from, string to, string fragment)
    {
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, Tiny))
        {
            log.Append(Record(0));
            log.Append(Record(1));
            log.Append(Record(2));
        }
        string[] lines = Lines(folder);
        lines[2] = lines[2].Replace(from, to, StringComparison.Ordinal);
        WriteLines(folder, lines);
        RunLogException e = Assert.Throws<RunLogException>(() => RunLog.Open(folder.Path, Tiny));
        Assert.False(e.IsOtherSweep);
        Assert.Equal(3, e.Line);
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Crlf_line_ends_and_a_respaced_header_are_corrupt_not_another_sweep()
    {
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, Tiny))
            log.Append(Record(0));
        string[] lines = Lines(folder);
        File.WriteAllText(folder.File(RunLog.FileName), string.Join("\r\n", lines));
        RunLogException crlf = Assert.Throws<RunLogException>(() => RunLog.Open(folder.Path, Tiny));
        Assert.False(crlf.IsOtherSweep);
        Assert.Contains("CR", crlf.Message);

        lines[0] = lines[0].Replace(":", ": ", StringComparison.Ordinal);
        WriteLines(folder, lines);
        // Re-spaced JSON still means the same config, but the header is not as the program wrote it: corrupt.
        RunLogException respaced = Assert.Throws<RunLogException>(() => RunLog.Open(folder.Path, Tiny));
        Assert.False(respaced.IsOtherSweep);
        Assert.Equal(1, respaced.Line);
        lines[0] = lines[0][..^3];
        WriteLines(folder, lines);
        RunLogException truncated = Assert.Throws<RunLogException>(() => RunLog.Open(folder.Path, Tiny));
        Assert.False(truncated.IsOtherSweep);
        Assert.Equal(1, truncated.Line);
    }

    [Fact]
    public void Merge_puts_shards_in_plan_order_and_names_missing_or_doubled_runs()
    {
        RunLogContents a = new("a", Tiny, [Record(3), Record(0)]);
        RunLogContents b = new("b", Tiny, [Record(1), Record(2)]);
        Assert.Equal([0L, 1L, 2L, 3L], RunLog.Merge(Tiny, [a, b]).Select(r => r.Index));

        RunLogException missing = Assert.Throws<RunLogException>(() => RunLog.Merge(Tiny, [a]));
        Assert.Contains("2 of 4 runs are missing, e.g. run 1 (poison.fraction = 0, seed = 2)", missing.Message);
        RunLogException doubled = Assert.Throws<RunLogException>(() => RunLog.Merge(Tiny, [a, b, new RunLogContents("c", Tiny, [Record(2)])]));
        Assert.Contains("run 2", doubled.Message);
        Assert.Contains("both b and c", doubled.Message);
        RunLogException other = Assert.Throws<RunLogException>(() => RunLog.Merge(Tiny, [a, new RunLogContents("d", SweepConfig.Study, [])]));
        Assert.Contains("another sweep", other.Message);
    }

    [Fact]
    public void Reading_a_file_that_is_not_a_run_log_says_so()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("x.jsonl"), "");
        Assert.Contains("no header", Assert.Throws<RunLogException>(() => RunLog.Read(folder.File("x.jsonl"))).Message);
        File.WriteAllText(folder.File("y.jsonl"), "{\"format\":1,\"config\":{}}\n");
        Assert.Contains("is corrupt", Assert.Throws<RunLogException>(() => RunLog.Read(folder.File("y.jsonl"))).Message);
    }

    internal static ImmutableArray<double?> Metrics(RunRecord record) => record.Metrics;
}
