using System.Globalization;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Tests.Sweep;

namespace LabelFlip.Core.Tests.Cli;

/// <summary>The labelflip tool, run as a process: its commands, help, version and exit codes.</summary>
public class ToolProgramTests
{
    private static readonly string[] s_sweep = ["--widths", "4", "--fractions", "0,0.25,0.5", "--seeds", "1,2", "--epochs", "3", "--quiet"];

    [Fact]
    public void Version_is_the_main_jobs_version()
    {
        using var folder = new TempFolder();
        (int code, string output, _) = MainJob.RunTool(folder.Path, "--version");
        Assert.Equal(0, code);
        (_, string standalone, _) = MainJob.Run(folder.Path, "--version");
        Assert.Equal(standalone.Trim().Replace("labelflip-sweep ", "labelflip ", StringComparison.Ordinal), output.Trim());
    }

    [Theory]
    [InlineData("sweep", "Usage: labelflip sweep [options]")]
    [InlineData("merge", "Usage: labelflip sweep [options]\n       labelflip merge SHARD_DIR... --out DIR")]
    [InlineData("slurm", "Usage: labelflip slurm --config FILE.json --shards N --out DIR [options]")]
    [InlineData("fit", "Usage: labelflip fit POINTS.csv [options]")]
    public void Every_command_has_help(string command, string usage)
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = MainJob.RunTool(folder.Path, command, "--help");
        Assert.Equal(0, code);
        Assert.StartsWith(usage, output);
        Assert.Empty(error);
    }

    [Fact]
    public void Without_a_command_it_shows_the_commands_and_exits_2_and_an_unknown_one_is_one_line()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = MainJob.RunTool(folder.Path);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("Usage: labelflip COMMAND [options]", error);
        foreach (string command in new[] { "sweep", "merge", "slurm", "fit" })
            Assert.Matches($"\n  {command} +[a-z]", error);

        (code, output, error) = MainJob.RunTool(folder.Path, "swep");
        Assert.Equal(2, code);
        Assert.Equal("labelflip: unknown command 'swep'; the commands are sweep, merge, slurm and fit. Try --help.", MainJob.OneLine(error, "labelflip"));

        (code, _, error) = MainJob.RunTool(folder.Path, "sweep", "--widths", "0");
        Assert.Equal(2, code);
        Assert.StartsWith("labelflip: --widths: ", MainJob.OneLine(error, "labelflip"));

        (code, _, error) = MainJob.RunTool(folder.Path, "merge", "nowhere", "--out", "m");
        Assert.Equal(2, code);
        Assert.Equal("labelflip: merge: 'nowhere' holds no run log (runs.jsonl); name the --out folders of the shards. Try --help.", MainJob.OneLine(error, "labelflip"));
    }

    [Fact]
    public void Sweep_is_the_main_job_and_shards_merged_by_the_tool_are_byte_identical_to_one_process()
    {
        using var folder = new TempFolder();
        (int code, _, string error) = MainJob.Run(folder.Path, [.. s_sweep, "--out", "standalone"]);
        Assert.True(code == 0, error);
        (code, _, error) = MainJob.RunTool(folder.Path, ["sweep", .. s_sweep, "--out", "tool"]);
        Assert.True(code == 0, error);
        byte[] expected = File.ReadAllBytes(folder.File("standalone/results.json"));
        Assert.Equal(expected, File.ReadAllBytes(folder.File("tool/results.json")));

        for (int shard = 1; shard <= 2; shard++)
        {
            (code, string output, error) = MainJob.RunTool(folder.Path, ["sweep", .. s_sweep, "--shard", $"{shard}/2", "--out", $"s{shard}"]);
            Assert.True(code == 0, error);
            Assert.Contains("When every shard is done: labelflip merge SHARD_DIRS... --out DIR", output);
        }
        (code, _, error) = MainJob.RunTool(folder.Path, "merge", "s1", "s2", "--out", "merged");
        Assert.True(code == 0, error);
        Assert.Equal(expected, File.ReadAllBytes(folder.File("merged/results.json")));
    }

    [Fact]
    public void Slurm_writes_both_scripts_and_says_how_to_submit_them()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("sweep.json"), """{"axes": {"poison.fraction": [0, 0.5], "seed": [1, 2, 3]}}""");
        (int code, string output, string error) = MainJob.RunTool(folder.Path,
            "slurm", "--config", "sweep.json", "--shards", "6", "--out", "cluster", "--command", "labelflip", "--time=10");
        Assert.True(code == 0, error);
        string cluster = folder.File("cluster");
        Assert.Contains($"array=$(sbatch --parsable '{cluster}/sweep-array.sbatch')\n", output);
        Assert.Contains($"sbatch --dependency=afterok:\"${{array%%;*}}\" '{cluster}/sweep-merge.sbatch'\n", output);
        string array = File.ReadAllText(Path.Combine(cluster, "sweep-array.sbatch"));
        Assert.Contains("#SBATCH --array=0-5\n", array);
        Assert.Contains($"exec labelflip sweep --config '{folder.File("sweep.json")}' --shard \"$shard/6\" ", array);
        Assert.Contains("exec labelflip merge ", File.ReadAllText(Path.Combine(cluster, "sweep-merge.sbatch")));
        // Slurm does not create the folder of a job's log, and the job fails without it.
        Assert.True(Directory.Exists(Path.Combine(cluster, "logs")));
    }

    [Fact]
    public void Slurm_names_this_very_program_unless_told_otherwise()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("sweep.json"), """{"axes": {"seed": [1, 2]}}""");
        (int code, _, string error) = MainJob.RunTool(folder.Path, "slurm", "--config", "sweep.json", "--shards", "2", "--out", "c");
        Assert.True(code == 0, error);
        // Run through the dotnet host here, so the host and labelflip.dll, each by absolute path.
        Assert.Contains($"' '{MainJob.Tool}' sweep --config ", File.ReadAllText(folder.File("c/sweep-array.sbatch")));
    }

    [Theory]
    [InlineData(new[] { "--shards", "2", "--out", "c" }, "labelflip: slurm needs --config FILE.json, the sweep to shard. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--out", "c" }, "labelflip: slurm needs --shards N, the number of array tasks. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "2" }, "labelflip: slurm needs --out DIR for the shards and the merged results. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "missing.json", "--shards", "2", "--out", "c" }, "labelflip: --config missing.json: no such file. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "0", "--out", "c" }, "labelflip: --shards: must be in [1, 100000]. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "-3", "--out", "c" }, "labelflip: --shards: must be in [1, 100000]. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "two", "--out", "c" }, "labelflip: --shards: 'two' is not an integer. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "3", "--out", "c" }, "labelflip: --shards must be at most the sweep's 2 runs, got 3. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "2", "--out", "c d" }, "--out: must hold no white space")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "2", "--out", "c", "--cpus-per-task", "0" }, "labelflip: --cpus-per-task: must be in [1, 4096]. Try labelflip slurm --help.")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "2", "--out", "c", "--time", "soon" }, "--time: must be a Slurm time")]
    [InlineData(new[] { "--config", "sweep.json", "--shards", "2", "--out", "c", "--partition" }, "labelflip: --partition needs a value. Try labelflip slurm --help.")]
    public void Slurm_refuses_a_bad_command_line_with_exit_2_and_writes_nothing(string[] args, string message)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("sweep.json"), """{"axes": {"seed": [1, 2]}}""");
        (int code, string output, string error) = MainJob.RunTool(folder.Path, ["slurm", .. args]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(message, MainJob.OneLine(error, "labelflip"));
        Assert.False(Directory.Exists(folder.File("c")));
    }

    [Fact]
    public void Fit_recovers_a_known_sigmoid_and_prints_the_librarys_errors_and_threshold()
    {
        var truth = new SigmoidParameters(0.55, 12.0, 0.25, 0.3);
        double[] x = [.. Enumerable.Range(0, 13).Select(i => i * 0.05)];
        // A small fixed wiggle, so that the residuals (and with them the standard errors) are not zero.
        double[] y = [.. x.Select((v, i) => SigmoidModel.Evaluate(truth, v) + (i % 3 - 1) * 0.002)];
        using var folder = new TempFolder();
        File.WriteAllLines(folder.File("points.csv"),
            ["# accuracy against poison fraction", "poison_fraction,accuracy", .. x.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{v:R},{y[i]:R}"))]);
        (int code, string output, string error) = MainJob.RunTool(folder.Path, "fit", "points.csv", "--classes", "4");
        Assert.True(code == 0, error);

        SigmoidFitResult fit = SigmoidFit.Fit(x, y);
        Assert.Equal(truth.X0, fit.X0, 0.01);
        string[] names = ["L", "k", "x0", "b"];
        for (int p = 0; p < SigmoidParameters.Count; p++)
        {
            double estimate = fit.Parameters[p], standardError = fit.StandardErrors[p];
            Assert.True(double.IsFinite(standardError) && standardError > 0, $"{names[p]}: {standardError}");
            Assert.Contains(string.Create(CultureInfo.InvariantCulture,
                $"\n{names[p],-10} {estimate,-13:G6} {standardError,-13:G6} [{estimate - 1.959963984540054 * standardError:G6}, {estimate + 1.959963984540054 * standardError:G6}]\n"), output);
        }
        double target = SigmoidFit.ThresholdTarget(y[0], 4);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"threshold: {fit.ThresholdOnGrid(target):G6} on the study's grid of 2000 points on [0, 0.6]; exact crossing {fit.ThresholdClosedForm(target):G6}"), output);
        Assert.Contains("fitted to 13 points of points.csv (x: poison_fraction, y: accuracy)", output);
    }

    [Theory]
    [InlineData("0,0.9\n0.1,high\n", "labelflip: fit: points.csv line 2 column 2: 'high' is not a finite number")]
    [InlineData("a,b\n", "labelflip: fit: points.csv holds a header but no points")]
    [InlineData("", "labelflip: fit: points.csv holds no points")]
    [InlineData("0,0.9\n", "labelflip: fit: points.csv: ")]
    public void Fit_refuses_bad_points_with_exit_2(string csv, string message)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("points.csv"), csv);
        (int code, _, string error) = MainJob.RunTool(folder.Path, "fit", "points.csv");
        Assert.Equal(2, code);
        Assert.StartsWith(message, MainJob.OneLine(error, "labelflip"));
    }
}
