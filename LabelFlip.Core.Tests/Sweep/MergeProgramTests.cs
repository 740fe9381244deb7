namespace LabelFlip.Core.Tests.Sweep;

/// <summary>Shards run by separate processes and merged give what one process gives.</summary>
public class MergeProgramTests
{
    private static readonly string[] s_sweep = ["--widths", "4,8", "--fractions", "0,0.25,0.5", "--seeds", "1,2", "--epochs", "3", "--quiet"];

    [Fact]
    public void Three_shards_merged_are_byte_identical_to_one_process_and_a_missing_or_doubled_shard_is_refused()
    {
        using var folder = new TempFolder();
        (int code, _, string error) = MainJob.Run(folder.Path, [.. s_sweep, "--out", "single"]);
        Assert.True(code == 0, error);
        for (int shard = 1; shard <= 3; shard++)
        {
            (code, string output, error) = MainJob.Run(folder.Path, [.. s_sweep, "--shard", $"{shard}/3", "--threads", $"{shard}", "--out", $"d{shard}"]);
            Assert.True(code == 0, error);
            Assert.Contains($"Shard {shard}/3: 4 runs done in d{shard}", output);
        }

        (code, string merged, error) = MainJob.Run(folder.Path, "merge", "d1", "d2", "d3", "--out", "m");
        Assert.True(code == 0, error);
        Assert.Contains("Merged 3 shards: 12 runs", merged);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder.Path, "single", "results.json")), File.ReadAllBytes(Path.Combine(folder.Path, "m", "results.json")));

        (code, string missingOutput, error) = MainJob.Run(folder.Path, "merge", "d1", "d3", "--out", "m2");
        Assert.Equal(2, code);
        string missing = MainJob.OneLine(error);
        Assert.Matches(@"4 of 12 runs are missing, e\.g\. run \d+ \(", missing);
        Assert.Empty(missingOutput);
        Assert.False(File.Exists(Path.Combine(folder.Path, "m2", "results.json")));

        (code, _, error) = MainJob.Run(folder.Path, "merge", "d1", "d2", "d2", "d3", "--out", "m3");
        Assert.Equal(2, code);
        Assert.Matches(@"run \d+ \(.*\) is in both .*d2.runs\.jsonl and .*d2.runs\.jsonl", MainJob.OneLine(error));
        Assert.False(File.Exists(Path.Combine(folder.Path, "m3", "results.json")));

        // A folder that is not a shard's is a mistake in the command, not a failure to write.
        Directory.CreateDirectory(folder.File("empty"));
        foreach (string notShard in new[] { "empty", "nowhere" })
        {
            (code, _, error) = MainJob.Run(folder.Path, "merge", "d1", notShard, "--out", "m4");
            Assert.Equal(2, code);
            Assert.Contains($"merge: '{notShard}' holds no run log (runs.jsonl)", MainJob.OneLine(error));
            Assert.False(File.Exists(Path.Combine(folder.Path, "m4", "results.json")));
        }
    }
}
