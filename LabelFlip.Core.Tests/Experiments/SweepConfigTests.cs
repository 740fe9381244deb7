using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Experiments;

public class SweepConfigTests
{
    [Fact]
    public void Defaults_are_the_studys()
    {
        var config = new SweepConfig();
        Assert.Equal([0.0, 0.01, 0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50], config.PoisonFractions.ToArray());
        Assert.Equal([32, 64, 128], config.HiddenWidths.ToArray());
        Assert.Equal([42UL, 123UL, 7UL], config.Seeds.ToArray());
        Assert.Equal((200, 0.05, 64), (config.Epochs, config.LearningRate, config.BatchSize));
        Assert.Equal((500, 10, 5), (config.SampleCount, config.FeatureCount, config.ClassCount));
        Assert.Equal((2.0, 2.0, 0.7, 42UL), (config.ClusterStd, config.CenterSpread, config.TrainFraction, config.DataSeed));
        Assert.Equal(81, config.RunCount);
        config.Validate();
    }

    [Fact]
    public void Json_uses_snake_case_and_round_trips()
    {
        var config = new SweepConfig { HiddenWidths = [8, 16], Epochs = 3, LearningRate = 0.1 };
        string json = config.ToJson();
        Assert.Contains("\"poison_fractions\"", json);
        Assert.Contains("\"hidden_widths\"", json);
        Assert.Contains("\"learning_rate\": 0.1", json);
        Assert.Equal(config, SweepConfig.FromJson(json));
        Assert.NotEqual(config, config with { Epochs = 4 });
    }

    [Fact]
    public void Missing_fields_take_the_defaults()
    {
        SweepConfig config = SweepConfig.FromJson("""{ "epochs": 7 }""");
        Assert.Equal(new SweepConfig { Epochs = 7 }, config);
    }

    [Fact]
    public void Save_and_Load_use_a_real_file()
    {
        using var folder = new TempFolder();
        var config = new SweepConfig { Seeds = [1, 2], PoisonFractions = [0, 0.5] };
        config.Save(folder.File("config.json"));
        Assert.Equal(config, SweepConfig.Load(folder.File("config.json")));
    }

    [Fact]
    public void Unknown_fields_are_an_error()
    {
        var e = Assert.Throws<ArgumentException>("json", () => SweepConfig.FromJson("""{ "epocs": 7 }"""));
        Assert.Contains("epocs", e.Message);
    }

    [Theory]
    [InlineData("""{ "poison_fractions": [0, 1.5] }""", "poison_fractions", "[0, 1]")]
    [InlineData("""{ "poison_fractions": [] }""", "poison_fractions", "non-empty")]
    [InlineData("""{ "poison_fractions": [0.1, 0.1] }""", "poison_fractions", "repeat")]
    [InlineData("""{ "hidden_widths": [-3] }""", "hidden_widths", "[1, 65536]")]
    [InlineData("""{ "seeds": [1, 1] }""", "seeds", "repeat")]
    [InlineData("""{ "epochs": 0 }""", "epochs", "[1, 1000000]")]
    [InlineData("""{ "learning_rate": -0.1 }""", "learning_rate", "> 0")]
    [InlineData("""{ "batch_size": 0 }""", "batch_size", "[1,")]
    [InlineData("""{ "class_count": 1 }""", "class_count", "[2, 1000]")]
    [InlineData("""{ "sample_count": 5 }""", "sample_count", "2 × class_count")]
    [InlineData("""{ "train_fraction": 1 }""", "train_fraction", "(0, 1)")]
    [InlineData("""{ "cluster_std": -1 }""", "cluster_std", "≥ 0")]
    public void Invalid_fields_are_named_with_their_range(string json, string field, string range)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => SweepConfig.FromJson(json));
        Assert.Equal(field, e.ParamName);
        Assert.Contains(range, e.Message);
    }

    [Fact]
    public void Malformed_json_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>("json", () => SweepConfig.FromJson("{ not json"));
        Assert.Throws<ArgumentException>("json", () => SweepConfig.FromJson("""{ "epochs": "many" }"""));
    }
}
