using System.Text;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

/// <summary>Records read back from run logs (the streaming path of every sweep with an output folder) against the
/// same sweep held in memory.</summary>
public class RunRecordsTests
{
    // 5 fractions × 2 widths × 2 data draws × 2 seeds = 40 short runs: enough for curves, fits and the analysis over draws.
    private static readonly SweepConfig s_draws = SweepConfig.FromJson("""
        { "base": { "training": { "epochs": 3 }, "data": { "sample_count": 120 } },
          "axes": { "poison.fraction": [0, 0.1, 0.2, 0.3, 0.5], "model.hidden_widths": [[4], [8]], "data.seed": [1, 2], "seed": [7, 8] } }
        """);

    private static readonly Lazy<SweepResult> s_inMemory = new(() => SweepRunner.Run(s_draws, new SweepRunOptions { MaxDegreeOfParallelism = 2 }));

    [Fact]
    public void A_sweep_with_an_output_folder_reads_its_records_back_from_the_log_and_writes_the_bytes_of_the_sweep_in_memory()
    {
        using var folder = new TempFolder();
        SweepResult streamed = SweepRunner.Run(s_draws, new SweepRunOptions { MaxDegreeOfParallelism = 1, OutputDirectory = folder.Path });
        SweepResult memory = s_inMemory.Value;
        Assert.True(memory.Runs.IsInMemory);
        Assert.False(streamed.Runs.IsInMemory);
        Assert.NotNull(streamed.Summary.Draws);
        Assert.Equal(memory.Runs.Count, streamed.Runs.Count);
        Assert.Equal(memory.Runs.Select(r => (r.Index, string.Join(",", r.Coordinates), string.Join(",", r.Metrics))),
                     streamed.Runs.Select(r => (r.Index, string.Join(",", r.Coordinates), string.Join(",", r.Metrics))));
        Assert.Equal(memory.Runs[17].Metrics.ToArray(), streamed.Runs[17].Metrics.ToArray());

        string results = ResultsJson.Results(memory);
        Assert.Equal(results, ResultsJson.Results(streamed));
        SweepOutputs.Write(streamed, folder.Path);
        Assert.Equal(results, File.ReadAllText(folder.File(SweepOutputs.ResultsFile)));
        Assert.Equal(TidyCsv.Runs(memory), File.ReadAllText(folder.File(SweepOutputs.RunsCsvFile)));
        Assert.Equal(TidyCsv.Curves(memory), File.ReadAllText(folder.File(SweepOutputs.CurvesCsvFile)));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void Merged_shards_are_read_back_from_their_logs_with_the_same_results()
    {
        using var folder = new TempFolder();
        string[] shards = [folder.File("a"), folder.File("b"), folder.File("c")];
        for (int i = 0; i < shards.Length; i++)
            SweepRunner.Execute(s_draws, new SweepRunOptions { Shard = new SweepShard(i + 1, shards.Length), OutputDirectory = shards[i] });
        SweepResult merged = SweepRunner.Merge(shards);
        Assert.False(merged.Runs.IsInMemory);
        Assert.Equal(ResultsJson.Results(s_inMemory.Value), ResultsJson.Results(merged));
    }

    [Fact]
    public void A_run_log_changed_after_the_sweep_is_an_error_when_read_back_never_other_results()
    {
        using var folder = new TempFolder();
        SweepResult result = SweepRunner.Run(RunLogTests.Tiny, new SweepRunOptions { OutputDirectory = folder.Path });
        string path = folder.File(RunLog.FileName);
        string[] lines = File.ReadAllText(path).Split('\n');
        // Same length, other order: every offset still lies inside the file, but no longer at the run it was.
        File.WriteAllText(path, string.Join('\n', [lines[0], .. lines[1..^1].Reverse(), ""]));
        RunLogException changed = Assert.Throws<RunLogException>(() => result.Runs.ToImmutableArray());
        Assert.Contains("changed after it was read", changed.Message, StringComparison.Ordinal);

        File.WriteAllText(path, lines[0] + "\n");
        Assert.Throws<RunLogException>(() => result.Runs[3]);
    }

    [Fact]
    public void Records_built_in_memory_stay_in_memory_and_convert_from_an_immutable_array()
    {
        RunRecords records = s_inMemory.Value.Runs.ToImmutableArray();
        Assert.True(records.IsInMemory);
        Assert.Equal(s_inMemory.Value.Runs.Count, records.Length);
        Assert.Same(s_inMemory.Value.Runs[5], records[5]);
        RunRecords built = [records[0], records[1]];
        Assert.Equal([0L, 1L], built.Select(r => r.Index));
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2 }, 0)]
    [InlineData(new[] { 65535, 1, 65536, 0, 65537 }, 10)]
    [InlineData(new[] { 200_000, 3 }, 70_000)]
    [InlineData(new int[0], 5)]
    public void Lines_are_read_whole_at_their_offsets_across_buffer_ends_and_a_torn_last_line_is_not_read(int[] lengths, int torn)
    {
        var file = new MemoryStream();
        var expected = new List<(long Offset, string Line)>();
        for (int i = 0; i < lengths.Length; i++)
        {
            string line = new((char)('a' + i), lengths[i]);
            expected.Add((file.Position, line));
            file.Write(Encoding.ASCII.GetBytes(line + "\n"));
        }
        file.Write(Encoding.ASCII.GetBytes(new string('z', torn)));
        var lines = new RunLogLines(file);
        var read = new List<(long Offset, string Line)>();
        while (lines.TryRead(out long offset, out ArraySegment<byte> bytes))
            read.Add((offset, Encoding.ASCII.GetString(bytes)));
        Assert.Equal(expected, read);
    }
}
