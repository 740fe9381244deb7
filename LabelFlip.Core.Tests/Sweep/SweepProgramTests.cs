using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>The main job, run for real as a separate process.</summary>
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
        foreach (string file in new[] { "results.json", "performance.json", "runs.jsonl", "accuracy_vs_poison.svg", "generalization_gap.svg", "train_vs_test.svg" })
            Assert.True(File.Exists(Path.Combine(folder.Path, "out", file)), file);
        Assert.Contains("clean acc", output);
        Assert.Contains("Larger models more sensitive:", output);
        Assert.Contains("Sharp transition", output);
        Assert.Contains("Sweep: 12 runs", output);
        Assert.Contains("progress: 12/12 runs", output); // redirected output gets plain lines, not a bar
        Assert.DoesNotContain('\r', output);
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
    public void Quick_skips_the_robustness_section_and_one_draw_is_refused()
    {
        using var folder = new TempFolder();
        (int code, string output, _) = Run(folder.Path, [.. s_fitted, "--data-draws", "3", "--quick", "--quiet"]);
        Assert.Equal(0, code);
        Assert.DoesNotContain("Robustness", output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "results", "robustness")));
        (code, _, string error) = Run(folder.Path, [.. s_fitted, "--data-draws", "1"]);
        Assert.Equal(2, code);
        Assert.Contains("--data-draws needs at least 2 draws", error);
    }

    [Fact]
    public void A_different_config_in_the_same_folder_is_refused_until_no_resume()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, Run(folder.Path, [.. s_small, "--quiet"]).ExitCode);
        (int code, _, string error) = Run(folder.Path, "--widths", "8", "--fractions", "0,0.5", "--seeds", "1", "--epochs", "10", "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("different sweep", error);
        Assert.Contains("--no-resume", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(0, Run(folder.Path, "--widths", "8", "--fractions", "0,0.5", "--seeds", "1", "--epochs", "10", "--quiet", "--no-resume").ExitCode);
    }

    [Theory]
    [InlineData("unknown option '--bogus'", "--bogus")]
    [InlineData("poison_fractions must be a list each a number in [0, 1]; entry 0 is 1.5", "--fractions", "1.5")]
    [InlineData("hidden_widths must be a list each an integer in [1, 65536]; entry 0 is -3", "--widths", "-3")]
    [InlineData("--widths: 'x' is not an integer", "--widths", "x")]
    [InlineData("--threads must be at least 1, got 0", "--threads", "0")]
    [InlineData("--epochs needs a value", "--epochs")]
    [InlineData("epochs must be an integer in [1, 1000000]; got 0", "--epochs", "0")]
    [InlineData("--config: cannot read 'missing.json': no such file", "--config", "missing.json")]
    public void Bad_arguments_give_one_line_a_hint_and_exit_code_2(string message, params string[] args)
    {
        using var folder = new TempFolder();
        (int code, string output, string error) = Run(folder.Path, args);
        Assert.Equal(2, code);
        Assert.Equal($"labelflip-sweep: {message}. Try --help.", error.Trim());
        Assert.Empty(output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "results")));
    }

    [Fact]
    public void An_invalid_config_file_is_named_in_one_line()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.json"), """{ "learning_rate": 0, "epochs": 5 }""");
        File.WriteAllText(folder.File("unknown.json"), """{ "epoch": 5 }""");
        (int code, _, string error) = Run(folder.Path, "--config", "bad.json");
        Assert.Equal(2, code);
        Assert.Equal("labelflip-sweep: --config bad.json: learning_rate must be a finite number > 0; got 0. Try --help.", error.Trim());
        (code, _, error) = Run(folder.Path, "--config", "unknown.json");
        Assert.Equal(2, code);
        Assert.Contains("'epoch'", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Options_override_the_config_file()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("config.json"),
            """{ "base": { "training": { "epochs": 50 } }, "axes": { "poison.fraction": [0, 0.5], "model.hidden_widths": [[4]], "seed": [3] } }""");
        (int code, string output, string error) = Run(folder.Path, "--config", "config.json", "--epochs", "5", "--quiet");
        Assert.True(code == 0, error);
        Assert.Contains("Sweep: 2 runs", output);
        Assert.Equal(5, SweepConfig.FromJson(System.Text.Json.JsonDocument.Parse(
            File.ReadAllText(Path.Combine(folder.Path, "results", "results.json"))).RootElement.GetProperty("config").GetRawText()).Base.Training.Epochs);
    }

    [Fact]
    public void Help_describes_every_option()
    {
        using var folder = new TempFolder();
        (int code, string output, _) = Run(folder.Path, "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--out", "--config", "--threads", "--widths", "--fractions", "--seeds", "--epochs", "--no-resume", "--quiet", "--help", "--data-draws", "--quick" })
            Assert.Contains(option, output);
    }
}
