using System.Text.Json;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>The main job, run for real as a separate process: outputs, options and every bad input.</summary>
public class SweepProgramTests
{
    private static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] args) =>
        MainJob.Run(workingDirectory, args);

    private static readonly string[] s_small = ["--widths", "8,16", "--fractions", "0,0.25,0.5", "--seeds", "1,2", "--epochs", "10"];

    [Fact]
    public void A_small_sweep_writes_every_output_and_prints_the_findings()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = Run(folder.Path, [.. s_small, "--out", "out"]);
        Assert.True(code == 0, error);
        foreach (string file in new[] { "results.json", "performance.json", "runs.jsonl", "runs.csv", "curves.csv", "accuracy_vs_poison.svg", "generalization_gap.svg", "train_vs_test.svg" })
            Assert.True(File.Exists(Path.Combine(folder.Path, "out", file)), file);
        Assert.Contains("clean acc", output);
        Assert.Contains("Larger models more sensitive", output);
        Assert.Contains("Sharp transition", output);
        Assert.Contains("Sweep: 12 runs", output);
        Assert.Contains("progress: 12/12 runs", output); // redirected output gets plain lines, not a bar
        Assert.DoesNotContain('\r', output);
        Assert.Empty(error);
    }

    [Fact]
    public void Quiet_prints_findings_only_and_a_rerun_resumes_every_run()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, Run(folder.Path, [.. s_small, "--quiet"]).ExitCode);
        string first = File.ReadAllText(Path.Combine(folder.Path, "results", "results.json"));
        (int code, string output, _) = Run(folder.Path, [.. s_small, "--quiet", "--threads", "1"]);
        Assert.Equal(0, code);
        Assert.DoesNotContain("progress:", output);
        Assert.Contains("(0 trained, 12 resumed)", output);
        Assert.Equal(first, File.ReadAllText(Path.Combine(folder.Path, "results", "results.json")));
    }

    // Five fractions: enough to fit a curve per draw.
    private static readonly string[] s_fitted = ["--widths", "8,16", "--fractions", "0,0.1,0.2,0.3,0.5", "--seeds", "1", "--epochs", "5"];

    [Fact]
    public void The_robustness_section_reruns_the_design_over_fresh_data_draws_and_prints_verdicts_with_intervals()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = Run(folder.Path, [.. s_fitted, "--data-draws", "3", "--out", "out"]);
        Assert.True(code == 0, error);
        Assert.Contains("Robustness: 30 runs over 3 data draws", output);
        Assert.Contains("progress: 30/30 runs", output);
        Assert.Contains("Robustness: 3 data draws (data seeds 1…3) × 1 seeds, 2000 bootstrap resamples, 95% intervals", output);
        Assert.Contains("Larger models more sensitive (threshold falls as width grows): ", output);
        string results = File.ReadAllText(Path.Combine(folder.Path, "out", "robustness", "results.json"));
        Assert.Contains("\"robustness\"", results);
        Assert.Contains("\"n_draws\": 3,", results);
        Assert.DoesNotContain("\"robustness\"", File.ReadAllText(Path.Combine(folder.Path, "out", "results.json")));
    }

    [Fact]
    public void Quick_skips_the_robustness_section_resamples_are_chosen_and_one_draw_is_refused()
    {
        using var folder = new TempFolder();
        (int code, string output, _) = Run(folder.Path, [.. s_fitted, "--data-draws", "3", "--quick", "--quiet"]);
        Assert.Equal(0, code);
        Assert.DoesNotContain("Robustness", output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "results", "robustness")));
        (code, output, _) = Run(folder.Path, [.. s_fitted, "--data-draws", "2", "--resamples", "300", "--quiet", "--out", "fewer"]);
        Assert.Equal(0, code);
        Assert.Contains("2 data draws (data seeds 1…2) × 1 seeds, 300 bootstrap resamples", output);
        Assert.Contains("\"resamples\": 300,", File.ReadAllText(Path.Combine(folder.Path, "fewer", "robustness", "results.json")));
        (code, _, string error) = Run(folder.Path, [.. s_fitted, "--data-draws", "1"]);
        Assert.Equal(2, code);
        Assert.Contains("--data-draws needs at least 2 draws", error);
    }

    [Fact]
    public void A_different_config_in_the_same_folder_is_refused_until_no_resume()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, Run(folder.Path, [.. s_small, "--quiet"]).ExitCode);
        string log = File.ReadAllText(Path.Combine(folder.Path, "results", "runs.jsonl"));
        string[] other = ["--widths", "8", "--fractions", "0,0.5", "--seeds", "1", "--epochs", "10", "--quiet"];
        (int code, _, string error) = Run(folder.Path, other);
        Assert.Equal(2, code);
        string line = MainJob.OneLine(error);
        Assert.Contains("another sweep", line);
        Assert.Contains("--no-resume", line);
        Assert.Equal(log, File.ReadAllText(Path.Combine(folder.Path, "results", "runs.jsonl")));
        Assert.Equal(0, Run(folder.Path, [.. other, "--no-resume"]).ExitCode);
    }

    [Fact]
    public void A_failing_no_resume_run_leaves_no_results_of_the_previous_config()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, Run(folder.Path, ["--widths", "8", "--fractions", "0,0.5", "--seeds", "1", "--epochs", "3", "--quiet"]).ExitCode);
        Assert.True(File.Exists(Path.Combine(folder.Path, "results", "results.json")));
        // A learning rate of 1e30 makes the loss NaN in the first epoch: the run really fails.
        File.WriteAllText(folder.File("diverges.json"), """{ "base": { "training": { "learning_rate": 1e30 } } }""");
        (int code, string output, string error) = Run(folder.Path, "--config", "diverges.json", "--widths", "8", "--fractions", "0,0.5", "--seeds", "1", "--epochs", "3", "--quiet", "--no-resume");
        Assert.Equal(1, code);
        Assert.Contains("diverged", MainJob.OneLine(error));
        Assert.Empty(output);
        string[] left = [.. Directory.GetFiles(Path.Combine(folder.Path, "results")).Select(Path.GetFileName)!];
        Assert.Equal([".lock", "runs.jsonl"], left.Order(StringComparer.Ordinal));
        Assert.Contains("\"learning_rate\":1E+30", File.ReadAllLines(Path.Combine(folder.Path, "results", "runs.jsonl"))[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Resumed_runs_are_reported_once_even_when_writing_the_results_fails()
    {
        using var folder = new TempFolder();
        // Runs of a tenth of a second or more: time enough to put something in the way while the last two are trained.
        string[] sweep = ["--widths", "8", "--fractions", "0,0.5", "--seeds", "1,2", "--epochs", "3000"];
        Assert.Equal(0, Run(folder.Path, [.. sweep, "--quiet"]).ExitCode);
        string results = Path.Combine(folder.Path, "results");
        // Keep two runs, and make results.json a non-empty folder once the sweep has cleared the old outputs, so
        // that the final write fails after the sweep itself succeeded.
        File.WriteAllLines(Path.Combine(results, "runs.jsonl"), File.ReadAllLines(Path.Combine(results, "runs.jsonl")).Take(3));
        File.WriteAllText(Path.Combine(results, "performance.json"), "stale");
        using var process = MainJob.Start(folder.Path, [.. sweep, "--threads", "1"]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (File.Exists(Path.Combine(results, "performance.json")))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the old outputs were not removed");
            Thread.Sleep(1);
        }
        Directory.CreateDirectory(Path.Combine(results, "results.json", "in-the-way"));
        (int code, string output, string error) = MainJob.WaitForExit(process, TimeSpan.FromMinutes(1));
        Assert.True(code == 1, $"exit {code}: the sweep should have failed to write results.json\n{output}{error}");
        Assert.Contains("cannot write the results", MainJob.OneLine(error));
        Assert.Single(output.Split('\n'), l => l.StartsWith("resumed ", StringComparison.Ordinal));
        Assert.Contains("resumed 2 finished runs from the run log", output);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(results, "runs.jsonl")).Length); // the finished runs are kept
    }

    [Theory]
    [InlineData("unknown option '--bogus'", "--bogus")]
    [InlineData("--fractions: value 1 must be a number in [0, 1]; got 1.5", "--fractions", "1.5")]
    [InlineData("--fractions: '1e-400' is too small to be represented (it would become 0)", "--fractions", "1e-400")]
    [InlineData("--widths: value 1 must be a list of 1 to 8 integers, each in [1, 65536]; got [0]", "--widths", "0")]
    [InlineData("--widths: 'x' is not a width (an integer, or layers joined by x as in 64x64)", "--widths", "x")]
    [InlineData("--threads must be an integer in [1, 4096], got 0", "--threads", "0")]
    [InlineData("--threads must be an integer in [1, 4096], got 100000", "--threads", "100000")]
    [InlineData("--threads: '99999999999' is not an integer", "--threads", "99999999999")]
    [InlineData("--epochs needs a value", "--epochs")]
    [InlineData("--out needs a folder name, not an empty one", "--out", "")]
    [InlineData("--out needs a folder name, not an empty one", "--out", " ")]
    [InlineData("--out needs a folder name, not an empty one", "--out=")]
    [InlineData("--config missing.json: no such file", "--config", "missing.json")]
    [InlineData("--config /dev/zero is empty or not a regular file", "--config", "/dev/zero")]
    [InlineData("--shard: A shard is I/N with 1 ≤ I ≤ N ≤ 100000, e.g. 2/7; got '4/3'", "--shard", "4/3")]
    public void Bad_arguments_give_one_line_a_hint_and_exit_code_2(string message, params string[] args)
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = Run(folder.Path, args);
        Assert.Equal(2, code);
        Assert.Equal($"labelflip-sweep: {message}. Try --help.", MainJob.OneLine(error));
        Assert.Empty(output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "results")));
    }

    [Fact]
    public void Widths_errors_name_the_flag_not_the_field()
    {
        using var folder = new TempFolder();
        (int code, _, string error) = Run(folder.Path, "--widths", "0");
        Assert.Equal(2, code);
        Assert.Contains("--widths", MainJob.OneLine(error));
        Assert.DoesNotContain("model.hidden_widths", error);
    }

    [Fact]
    public void Out_naming_a_file_and_config_naming_a_folder_a_fifo_or_a_huge_file_are_refused_without_hanging()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a-file"), "x");
        Directory.CreateDirectory(folder.File("a-folder"));
        File.WriteAllBytes(folder.File("huge.json"), new byte[SweepConfig.MaxFileBytes + 1]);
        var mkfifo = System.Diagnostics.Process.Start("mkfifo", [folder.File("fifo")]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);

        (string[] Args, string Says)[] cases =
        [
            (["--out", "a-file"], "a-file is a file, not a folder"),
            (["--config", "a-folder"], "a-folder is a folder, not a config file"),
            (["--config", "fifo"], "fifo is empty or not a regular file"),
            (["--config", "huge.json"], $"huge.json has {SweepConfig.MaxFileBytes + 1} bytes; a config file may have at most {SweepConfig.MaxFileBytes}"),
        ];
        foreach ((string[] args, string says) in cases)
        {
            (int code, string output, string error) = MainJob.Run(folder.Path, TimeSpan.FromSeconds(30), args);
            Assert.Equal(2, code);
            Assert.Contains(says, MainJob.OneLine(error));
            Assert.Empty(output);
        }
        Assert.Equal("x", File.ReadAllText(folder.File("a-file")));
    }

    public static TheoryData<string, string[]> BadConfigs => new()
    {
        { """{ "base": { "data": { "feature_count": 70000 } } }""", ["line 1", "base.data.feature_count", "an integer in [1, 65536]", "70000"] },
        { """{ "base": { "data": { "sample_count": 10000000, "feature_count": 65536 } } }""", ["data.sample_count × data.feature_count", "10000000 × 65536"] },
        { "{\n  \"base\": {\n    \"seed\": 1,\n    \"seed\": 2\n  }\n}", ["line 4", "a key appears twice", "'seed'"] },
        { "{\n  \"base\": {\n    \"training\": {\n      \"epochs\": null\n    }\n  }\n}", ["line 4", "base.training.epochs", "an integer in [1, 1000000]", "got null"] },
        { "{\n  \"base\": {\n    \"training\": {\n      \"epochs\": \"5\"\n    }\n  }\n}", ["line 4", "base.training.epochs", "an integer", "(a string)"] },
        { "{\n  \"base\": {\n    \"training\": { \"learning_rate\": \"0.1\" }\n  }\n}", ["line 3", "base.training.learning_rate", "a finite number", "(a string)"] },
        { "{\n  \"axes\": {\n    \"seed\": [1, \"2\"]\n  }\n}", ["line 3", "seed value 2", "an integer in [0, 2^64)", "(a string)"] },
        { "{\n  \"axes\": null\n}", ["line 2", "axes must be an object", "got null"] },
        { "{\n  \"base\": {\n    \"training\": { \"epoch\": 5 }\n  }\n}", ["line 3", "unknown field 'base.training.epoch'"] },
        { "{\n  \"bogus\": 1\n}", ["line 2", "unknown field 'bogus'"] },
        { """{ "base": { "poison": { "fraction": 1e-400 } } }""", ["base.poison.fraction", "a number in [0, 1]", "1e-400"] },
        { "[1, 2", ["line 1", "not valid JSON"] },
        { """{ "base": { "data": { "source": "csv" }, "streams": "ours" } }""", ["base", "data.source \"csv\" needs data.path"] },
        { """{ "base": { "data": { "source": "parquet" } } }""", ["base.data.source", "\"gaussian-clusters\", \"fashion-mnist\" or \"csv\"", "parquet"] },
    };

    [Fact]
    public void Missing_or_malformed_data_files_are_one_line_saying_what_to_install_or_fix()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.csv"), "a,b,label\n1,2,x\n3,oops,y\n");
        var cases = new (string Data, string[] Says)[]
        {
            ("""{ "source": "fashion-mnist", "path": "no-such-folder" }""", ["Fashion-MNIST not found", "apt-get install dataset-fashion-mnist", "data.path"]),
            ("""{ "source": "csv", "path": "bad.csv" }""", ["bad.csv", "line 3", "column 2", "'oops' is not a number"]),
            ("""{ "source": "csv", "path": "none.csv" }""", ["none.csv"]),
        };
        foreach ((string data, string[] says) in cases)
        {
            File.WriteAllText(folder.File("config.json"), $$"""{ "base": { "data": {{data}}, "streams": "ours", "training": { "epochs": 1 } } }""");
            (int code, string output, string error) = Run(folder.Path, "--config", "config.json", "--quiet", "--no-resume");
            Assert.Equal(2, code);
            string line = MainJob.OneLine(error);
            Assert.StartsWith("labelflip-sweep: data.source ", line);
            foreach (string part in says)
                Assert.Contains(part, line);
            Assert.DoesNotContain("Exception", line);
            Assert.Empty(output);
        }
    }

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void An_invalid_config_is_one_line_naming_the_field_the_rule_and_the_line(string json, string[] says)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.json"), json);
        (int code, string output, string error) = Run(folder.Path, "--config", "bad.json");
        Assert.Equal(2, code);
        string line = MainJob.OneLine(error);
        Assert.StartsWith("labelflip-sweep: --config bad.json: ", line);
        foreach (string part in says)
            Assert.Contains(part, line);
        foreach (string dotnet in new[] { "System.", "Nullable", "JsonException", "(Parameter", "Exception" })
            Assert.DoesNotContain(dotnet, line);
        Assert.Empty(output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "results")));
    }

    [Fact]
    public void A_few_billion_runs_are_refused_saying_how_many_were_asked_for()
    {
        using var folder = new TempFolder();
        string fractions = string.Join(", ", Enumerable.Range(0, 1001).Select(i => (i / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string widths = string.Join(", ", Enumerable.Range(1, 1000).Select(w => $"[{w}]"));
        string seeds = string.Join(", ", Enumerable.Range(0, 3000));
        File.WriteAllText(folder.File("huge-plan.json"), $"{{\n  \"axes\": {{\n    \"poison.fraction\": [{fractions}],\n    \"model.hidden_widths\": [{widths}],\n    \"seed\": [{seeds}]\n  }}\n}}\n");
        (int code, string output, string error) = MainJob.Run(folder.Path, TimeSpan.FromSeconds(60), "--config", "huge-plan.json");
        Assert.Equal(2, code);
        string line = MainJob.OneLine(error);
        Assert.Contains("3003000000 (1001 × 1000 × 3000) runs", line);
        Assert.Contains($"at most {SweepConfig.MaxRunCount}", line);
        Assert.DoesNotContain("(Parameter", line);
        Assert.Empty(output);
    }

    [Fact]
    public void Minus_zero_is_accepted_as_zero_and_written_as_0()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = Run(folder.Path, "--fractions", "-0,0.5", "--widths", "4", "--seeds", "1", "--epochs", "1", "--quiet");
        Assert.True(code == 0, error);
        Assert.DoesNotContain("-0", output.Replace("-0.", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "results", "results.json")));
        Assert.Equal("[0,0.5]", results.RootElement.GetProperty("config").GetProperty("axes").GetProperty("poison.fraction").GetRawText());
        Assert.DoesNotContain("\"poison.fraction\":-0", File.ReadAllText(Path.Combine(folder.Path, "results", "runs.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_override_the_config_file_and_opt_equals_value_is_opt_value()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("config.json"), """
            { "base": { "training": { "epochs": 50 } },
              "axes": { "poison.fraction": [0, 0.5], "model.hidden_widths": [[4]], "seed": [3] } }
            """);
        (int code, string output, string error) = Run(folder.Path, "--config=config.json", "--epochs=5", "--out=o", "--quiet");
        Assert.True(code == 0, error);
        Assert.Contains("Sweep: 2 runs", output);
        Assert.Contains("results in o", output);
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "o", "results.json")));
        SweepConfig config = SweepConfig.FromJson(results.RootElement.GetProperty("config").GetRawText());
        Assert.Equal(5, config.Base.Training.Epochs);

        // The same sweep spelled with spaces resumes every run: it is the same config.
        (code, output, error) = Run(folder.Path, "--config", "config.json", "--epochs", "5", "--out", "o", "--quiet");
        Assert.True(code == 0, error);
        Assert.Contains("(0 trained, 2 resumed)", output);
    }

    [Fact]
    public void Help_describes_every_option_and_every_exit_code()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = Run(folder.Path, "--help");
        Assert.Equal(0, code);
        Assert.Empty(error);
        foreach (string option in new[] { "--out", "--config", "--threads", "--widths", "--fractions", "--seeds", "--data-seeds", "--epochs", "--shard", "--no-resume", "--quiet", "--version", "--help", "merge", "--data-draws", "--quick", "--resamples" })
            Assert.Contains(option, output);
        string exitCodes = output[output.IndexOf("Exit codes:", StringComparison.Ordinal)..];
        foreach (string exit in new[] { "0 done", "1 a run or the output failed", "2 bad command line", "130 interrupted", "143 terminated" })
            Assert.Contains(exit, exitCodes.ReplaceLineEndings(" "));
    }

    [Fact]
    public void Version_prints_the_version_with_the_commit()
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = Run(folder.Path, "--version");
        Assert.Equal(0, code);
        Assert.Empty(error);
        string expected = typeof(SweepConfig).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal($"labelflip-sweep {expected}", output.Trim());
        Assert.Matches(@"^labelflip-sweep \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\+[0-9a-f]{7,40}$", output.Trim());
    }
}
