using System.Text.Json;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Experiments;

public class SweepConfigTests
{
    private static readonly string[] RunPartsInOrder = ["data", "poison", "model", "training", "seed", "streams"];

    private static readonly int[][] s_zeroWidth = [[0]];
    private static readonly int[][] s_twoWidths = [[16], [256]];

    private static SweepConfig Read(string json) => SweepConfig.FromJson(json);

    private static ArgumentException Refused(string json) => Assert.ThrowsAny<ArgumentException>(() => Read(json));

    [Fact]
    public void The_study_config_file_in_the_repository_is_the_built_in_study()
    {
        SweepConfig file = SweepConfig.Load(Path.Combine(TestPaths.RepositoryRoot, "configs", "study.json"));
        Assert.Equal(SweepConfig.Study, file);
        Assert.Equal(SweepConfig.Study.Fingerprint, file.Fingerprint);
        Assert.Equal(81, SweepConfig.Study.RunCount);
    }

    [Fact]
    public void Every_config_in_the_repository_is_valid()
    {
        foreach (string path in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "configs"), "*.json"))
            Assert.True(SweepConfig.Load(path).RunCount > 0, path);
    }

    [Fact]
    public void The_study_plan_keeps_the_order_fraction_width_seed_with_the_last_axis_fastest()
    {
        SweepConfig study = SweepConfig.Study;
        Assert.Equal<string>(["0", "[32]", "42"], study.CoordinatesAt(0));
        Assert.Equal<string>(["0", "[32]", "123"], study.CoordinatesAt(1));
        Assert.Equal<string>(["0", "[64]", "42"], study.CoordinatesAt(3));
        Assert.Equal<string>(["0.5", "[128]", "7"], study.CoordinatesAt(80));
        RunSpec last = study.RunAt(80);
        Assert.Equal(0.5, last.Poison.Fraction);
        Assert.Equal<int>([128], last.Model.HiddenWidths);
        Assert.Equal(7UL, last.Seed);
        Assert.Equal(42UL, last.Data.Seed);
        Assert.Equal(200, last.Training.Epochs);
    }

    [Fact]
    public void Json_round_trips_and_the_fingerprint_follows_the_content()
    {
        SweepConfig config = Read("""{ "base": { "training": { "learning_rate": 0.1 } }, "axes": { "seed": [1, 2], "data.seed": [5] } }""");
        SweepConfig again = Read(config.ToJson());
        Assert.Equal(config, again);
        Assert.Equal(config.Fingerprint, again.Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", config.Fingerprint);
        Assert.NotEqual(config.Fingerprint, Read("""{ "base": { "training": { "learning_rate": 0.2 } }, "axes": { "seed": [1, 2], "data.seed": [5] } }""").Fingerprint);
        // The axis order is the product order, so it is part of the sweep.
        Assert.NotEqual(config.Fingerprint, Read("""{ "base": { "training": { "learning_rate": 0.1 } }, "axes": { "data.seed": [5], "seed": [1, 2] } }""").Fingerprint);
    }

    [Fact]
    public void A_base_value_that_an_axis_overrides_does_not_change_the_sweep()
    {
        SweepConfig a = Read("""{ "base": { "seed": 99 }, "axes": { "seed": [1, 2] } }""");
        SweepConfig b = Read("""{ "axes": { "seed": [1, 2] } }""");
        Assert.Equal(a, b);
    }

    [Fact]
    public void Numbers_are_canonical_so_equal_values_are_one_value()
    {
        SweepConfig config = Read("""{ "axes": { "poison.fraction": [-0, 0.10, 1e-1, 0.5] } }""".Replace("1e-1", "0.25", StringComparison.Ordinal));
        Assert.Equal<string>(["0", "0.1", "0.25", "0.5"], config.Axes[0].Values);
        ArgumentException repeated = Refused("""{ "axes": { "poison.fraction": [0.1, 0.10] } }""");
        Assert.Contains("twice", repeated.Message);
    }

    [Theory]
    [InlineData("""{ "axes": { "seed": [1, 1] } }""", "seed", "twice")]
    [InlineData("""{ "base": { "training": { "epochs": 0 } } }""", "training.epochs", "an integer in [1, 1000000]")]
    [InlineData("""{ "base": { "training": { "epochs": 1.5 } } }""", "training.epochs", "got 1.5")]
    [InlineData("""{ "base": { "training": { "epochs": "100" } } }""", "training.epochs", "(a string)")]
    [InlineData("""{ "base": { "training": { "epochs": null } } }""", "training.epochs", "got null")]
    [InlineData("""{ "base": { "training": { "epoch": 10 } } }""", "training.epoch", "unknown field")]
    [InlineData("""{ "base": { "data": { "feature_count": 70000 } } }""", "data.feature_count", "[1, 65536]")]
    [InlineData("""{ "base": { "data": { "sample_count": 10000000, "feature_count": 65536 } } }""", "base", "at most 268435456")]
    [InlineData("""{ "base": { "poison": { "fraction": 1e-400 } } }""", "poison.fraction", "got 1e-400")]
    [InlineData("""{ "base": { "training": { "momentum": 1 } } }""", "training.momentum", "[0, 1)")]
    [InlineData("""{ "axes": { "model.hidden_widths": [[64], []] } }""", "model.hidden_widths", "value 2")]
    [InlineData("""{ "axes": { "model.width": [[64]] } }""", "model.width", "not a field of a run")]
    [InlineData("""{ "axes": { "seed": [] } }""", "seed", "non-empty list")]
    [InlineData("""{ "extra": 1 }""", "extra", "unknown field")]
    [InlineData("""{ "axes": { "data.class_count": [2, 300] } }""", "data.class_count", "data.sample_count must be at least 2 × data.class_count")]
    public void Bad_fields_name_the_path_and_the_rule(string json, string parameter, string fragment)
    {
        ArgumentException e = Refused(json);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message.Split(" (Parameter")[0]);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void Errors_give_the_one_based_line_of_the_value()
    {
        string json = "{\n  \"base\": {\n    \"training\": {\n      \"epochs\": -3\n    }\n  }\n}";
        Assert.StartsWith("line 4:", Refused(json).Message);
        string axes = "{\n  \"axes\": {\n    \"seed\": [1,\n      2,\n      -1]\n  }\n}";
        Assert.StartsWith("line 5:", Refused(axes).Message);
    }

    [Fact]
    public void Malformed_json_and_duplicate_keys_are_refused_with_their_line()
    {
        ArgumentException duplicate = Refused("{\n \"axes\": { \"seed\": [1] },\n \"axes\": { \"seed\": [2] }\n}");
        Assert.Contains("line 3", duplicate.Message);
        Assert.Contains("twice", duplicate.Message);
        ArgumentException broken = Refused("{\n \"axes\": { \"seed\": [1,] }\n}");
        Assert.Contains("line 2", broken.Message);
        Assert.DoesNotContain("LineNumber", broken.Message);
        Assert.DoesNotContain("reader options", broken.Message);
        Assert.Contains("must be a JSON object", Refused("[1, 2]").Message);
    }

    [Fact]
    public void A_sweep_of_billions_of_runs_is_refused_with_the_count_asked_for()
    {
        string fractions = string.Join(",", Enumerable.Range(0, 1001).Select(i => (i / 1000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        string widths = string.Join(",", Enumerable.Range(1, 1000).Select(i => $"[{i}]"));
        string seeds = string.Join(",", Enumerable.Range(0, 3000));
        ArgumentException e = Refused($$"""{ "axes": { "poison.fraction": [{{fractions}}], "model.hidden_widths": [{{widths}}], "seed": [{{seeds}}] } }""");
        Assert.Contains("3003000000 (1001 × 1000 × 3000)", e.Message);
        Assert.Contains("at most 1000000", e.Message);
    }

    [Fact]
    public void Configs_built_in_code_get_the_same_checks()
    {
        var bad = new RunSpec { Training = new TrainingSpec { Epochs = 0 } };
        Assert.Equal("training.epochs", Assert.ThrowsAny<ArgumentException>(() => new SweepConfig(bad, [])).ParamName);
        Assert.Equal("poison.fraction", Assert.ThrowsAny<ArgumentException>(() => SweepConfig.Study.WithAxis(SweepAxis.Of("poison.fraction", [0.1, 1.5]))).ParamName);
        Assert.Equal("model.hidden_widths", Assert.ThrowsAny<ArgumentException>(() => SweepConfig.Study.WithAxis(SweepAxis.Of("model.hidden_widths", s_zeroWidth))).ParamName);
        SweepConfig wider = SweepConfig.Study.WithAxis(SweepAxis.Of("model.hidden_widths", s_twoWidths));
        Assert.Equal(54, wider.RunCount);
        Assert.Equal(SweepConfig.Study.Axes.Select(a => a.Path), wider.Axes.Select(a => a.Path));
    }

    [Fact]
    public void Load_accepts_only_small_regular_files()
    {
        using var folder = new TempFolder();
        Assert.Contains("is a folder", Assert.Throws<ArgumentException>(() => SweepConfig.Load(folder.Path)).Message);
        Assert.Contains("no such file", Assert.Throws<ArgumentException>(() => SweepConfig.Load(folder.File("missing.json"))).Message);
        Assert.Contains("not a regular file", Assert.Throws<ArgumentException>(() => SweepConfig.Load("/dev/zero")).Message);
        File.WriteAllText(folder.File("big.json"), new string(' ', SweepConfig.MaxFileBytes + 1));
        Assert.Contains("at most", Assert.Throws<ArgumentException>(() => SweepConfig.Load(folder.File("big.json"))).Message);
        File.WriteAllText(folder.File("bad.json"), "{ \"axes\": { \"seed\": [-1] } }");
        Assert.StartsWith(folder.File("bad.json") + ": line 1:", Assert.Throws<ArgumentException>(() => SweepConfig.Load(folder.File("bad.json"))).Message);
    }

    [Fact]
    public void ToJson_writes_every_base_field_grouped_by_part()
    {
        using JsonDocument json = JsonDocument.Parse(SweepConfig.Study.ToJson());
        JsonElement b = json.RootElement.GetProperty("base");
        Assert.Equal(RunPartsInOrder, b.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.7, b.GetProperty("data").GetProperty("train_fraction").GetDouble());
        Assert.Equal(["poison.fraction", "model.hidden_widths", "seed"], json.RootElement.GetProperty("axes").EnumerateObject().Select(p => p.Name));
    }

    // Found by the fuzz test: a key with an escaped line break, and a parser message quoting text across lines.
    [Theory]
    [InlineData("{ \"base\": { \"training\": { \"learni\\ng_rate\": 0.1 } } }")]
    [InlineData("{ \"axes\": { \"se\\ned\": [1] } }")]
    [InlineData("{\n\"base\": {\n  \"training\": { \"epochs\": 5 },\n  \"base\": {\n")]
    public void Messages_stay_on_one_line_whatever_the_text(string json)
    {
        ArgumentException e = Refused(json);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\n', e.ParamName ?? "");
    }
}
