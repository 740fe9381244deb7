using System.Diagnostics;
using LabelFlip.Cli.Slurm;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Cli.Slurm;

/// <summary>The Slurm scripts say what they should, and bash runs exactly the commands meant, whatever the paths hold.</summary>
public class SlurmScriptsTests
{
    private const string Config = "/data/sweeps/it's a sweep $HOME.json";
    private const string Output = "/scratch/labelflip/run-1";

    private static SlurmJob Job(int shards = 4, string? partition = null, string? time = null, int? cpus = null, int? maxConcurrent = null) =>
        new(Config, shards, Output, "'/opt/tools/labelflip'", partition, time, cpus, maxConcurrent);

    [Fact]
    public void The_array_script_is_a_requeueable_array_of_one_task_per_shard_with_only_the_resources_asked_for()
    {
        string plain = SlurmScripts.Array(Job());
        Assert.StartsWith("#!/bin/bash\n", plain);
        string[] directives = [.. plain.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal))];
        Assert.Equal(
            ["#SBATCH --job-name=labelflip-sweep", "#SBATCH --array=0-3", "#SBATCH --requeue", "#SBATCH --open-mode=append",
             $"#SBATCH --output={Output}/logs/sweep-%A_%a.out"],
            directives);

        string full = SlurmScripts.Array(Job(shards: 7, partition: "gpu,cpu", time: "1-02:00:00", cpus: 8, maxConcurrent: 3));
        Assert.Contains("#SBATCH --array=0-6%3\n", full);
        Assert.Contains("#SBATCH --partition=gpu,cpu\n", full);
        Assert.Contains("#SBATCH --time=1-02:00:00\n", full);
        Assert.Contains("#SBATCH --cpus-per-task=8\n", full);
        // sbatch stops reading directives at the first command: every #SBATCH line must come before it.
        int lastDirective = full.LastIndexOf("#SBATCH", StringComparison.Ordinal);
        Assert.True(lastDirective < full.IndexOf("set -euo pipefail", StringComparison.Ordinal));
    }

    [Fact]
    public void The_merge_script_asks_for_the_same_partition_and_time_but_not_the_array_or_its_cpus()
    {
        string merge = SlurmScripts.Merge(Job(partition: "short", time: "30", cpus: 8, maxConcurrent: 2));
        Assert.Contains("#SBATCH --job-name=labelflip-merge\n", merge);
        Assert.Contains("#SBATCH --partition=short\n", merge);
        Assert.Contains("#SBATCH --time=30\n", merge);
        Assert.Contains($"#SBATCH --output={Output}/logs/merge-%j.out\n", merge);
        Assert.DoesNotContain("--array", merge);
        Assert.DoesNotContain("--cpus-per-task", merge);
    }

    [Theory]
    [InlineData(0, "1/4")]
    [InlineData(3, "4/4")]
    public void Array_task_T_runs_shard_T_plus_1_of_N_into_its_own_folder(int task, string shard)
    {
        string[] args = RunWithEchoCommand(SlurmScripts.Array(Job()), new() { ["SLURM_ARRAY_TASK_ID"] = $"{task}" });
        Assert.Equal(["sweep", "--config", Config, "--shard", shard, "--out", $"{Output}/shard-{shard[0]}", "--threads", "1"], args);
        // Every shard the array can name is one SweepShard accepts.
        Assert.Equal(SweepShard.Parse(shard), new SweepShard(task + 1, 4));
    }

    [Fact]
    public void An_array_task_runs_on_as_many_threads_as_Slurm_allotted_cpus()
    {
        string[] args = RunWithEchoCommand(SlurmScripts.Array(Job(cpus: 6)), new() { ["SLURM_ARRAY_TASK_ID"] = "0", ["SLURM_CPUS_PER_TASK"] = "6" });
        Assert.Equal(["--threads", "6"], args[^2..]);
    }

    [Fact]
    public void The_merge_names_every_shard_folder_in_order()
    {
        string[] args = RunWithEchoCommand(SlurmScripts.Merge(Job(shards: 11)), []);
        Assert.Equal(["merge", .. Enumerable.Range(1, 11).Select(i => $"{Output}/shard-{i}"), "--out", Output], args);
    }

    [Fact]
    public void The_submission_holds_the_merge_until_the_whole_array_succeeded()
    {
        Assert.Equal(
            $"array=$(sbatch --parsable '{Output}/sweep-array.sbatch')\nsbatch --dependency=afterok:\"${{array%%;*}}\" '{Output}/sweep-merge.sbatch'",
            SlurmScripts.Submission(Job()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("'''")]
    [InlineData("a b\t$HOME `id` \"x\" \\ * ; |")]
    public void A_quoted_word_is_one_shell_word_with_the_text_unchanged(string text)
    {
        string[] args = RunWithEchoCommand($"exec {{command}} {SlurmScripts.Quote(text)}\n", []);
        Assert.Equal([text], args);
    }

    [Fact]
    public void Bad_jobs_are_refused_naming_the_parameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("shards", () => Job(shards: 0));
        Assert.Throws<ArgumentOutOfRangeException>("shards", () => Job(shards: SweepShard.MaxCount + 1));
        Assert.Throws<ArgumentOutOfRangeException>("cpusPerTask", () => Job(cpus: 0));
        Assert.Throws<ArgumentOutOfRangeException>("cpusPerTask", () => Job(cpus: SlurmJob.MaxCpusPerTask + 1));
        Assert.Throws<ArgumentOutOfRangeException>("maxConcurrent", () => Job(maxConcurrent: 0));
        Assert.Throws<ArgumentException>("partition", () => Job(partition: "a b"));
        Assert.Throws<ArgumentException>("partition", () => Job(partition: "a,"));
        foreach (string time in new[] { "", "1:2:3:4", "1-", "one hour", "-5" })
            Assert.Throws<ArgumentException>("time", () => Job(time: time));
        foreach (string time in new[] { "90", "30:00", "2:00:00", "1-0", "1-12:00", "1-12:00:00", "UNLIMITED" })
            Assert.Equal(time, Job(time: time).Time);
        Assert.Throws<ArgumentException>("configPath", () => new SlurmJob("sweep.json", 2, Output, "labelflip"));
        Assert.Throws<ArgumentException>("outputDirectory", () => new SlurmJob(Config, 2, "out", "labelflip"));
        foreach (string output in new[] { "/a b", "/a%b", "/a'b", "/a\"b", "/a\\b" })
            Assert.Throws<ArgumentException>("outputDirectory", () => new SlurmJob(Config, 2, output, "labelflip"));
        Assert.Throws<ArgumentException>("command", () => new SlurmJob(Config, 2, Output, "labelflip\nrm -rf /"));
        Assert.Throws<ArgumentException>("command", () => new SlurmJob(Config, 2, Output, " "));
    }

    // Runs the script with bash, its labelflip command replaced by one that prints each argument on a line of its own.
    private static string[] RunWithEchoCommand(string script, Dictionary<string, string> environment)
    {
        string echo = "printf '%s\\n'";
        string runnable = script.Replace("exec {command}", $"exec {echo}", StringComparison.Ordinal)
            .Replace("exec '/opt/tools/labelflip'", $"exec {echo}", StringComparison.Ordinal);
        Assert.Contains($"exec {echo}", runnable);
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(runnable);
        start.Environment.Remove("SLURM_CPUS_PER_TASK");
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;
        using Process bash = Process.Start(start)!;
        bash.StandardInput.Close();
        Task<string> error = bash.StandardError.ReadToEndAsync();
        string output = bash.StandardOutput.ReadToEnd();
        Assert.True(bash.WaitForExit(TimeSpan.FromSeconds(30)), "bash did not finish");
        Assert.True(bash.ExitCode == 0, error.Result);
        return output.Length == 0 ? [] : output[..^1].Split('\n');
    }
}
