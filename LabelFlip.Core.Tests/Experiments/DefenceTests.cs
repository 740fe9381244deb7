using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

/// <summary>The defence part of a run: its config checks, its canonical JSON, and what a run with a detector reports.</summary>
public class DefenceTests
{
    private static SweepConfig Read(string json) => SweepConfig.FromJson(json);

    private static ArgumentException Refused(string json) => Assert.ThrowsAny<ArgumentException>(() => Read(json));

    [Theory]
    [InlineData("""{ "base": { "defence": { "detector": "oracle", "k": 5 } } }""", "defence.k", "defence.k applies to defence.detector \"knn\" only, not to defence.detector \"oracle\"")]
    [InlineData("""{ "base": { "defence": { "k": 5 } } }""", "defence.k", "not to defence.detector \"none\"")]
    [InlineData("""{ "base": { "defence": { "detector": "knn", "folds": 3 } } }""", "defence.folds", "defence.folds applies to defence.detector \"confident-learning\"")]
    [InlineData("""{ "base": { "defence": { "detector": "small-loss", "folds": 3 } } }""", "defence.folds", "with defence.noise_rate \"confident-learning\"")]
    [InlineData("""{ "base": { "defence": { "detector": "knn", "warmup_epochs": 3 } } }""", "defence.warmup_epochs", "defence.warmup_epochs applies to defence.detector \"small-loss\" only")]
    [InlineData("""{ "base": { "defence": { "detector": "random", "noise_rate": "nominal" } } }""", "defence.noise_rate", "defence.noise_rate applies to defence.detector \"small-loss\" only")]
    [InlineData("""{ "base": { "defence": { "detector": "knn" }, "streams": "study" } }""", "defence.detector", "runs on our own streams only")]
    [InlineData("""{ "base": { "defence": { "detector": "knn", "k": 350 } } }""", "defence.k", "defence.k 350 must be below the 350 training rows")]
    [InlineData("""{ "base": { "data": { "sample_count": 10, "class_count": 2 }, "defence": { "detector": "confident-learning", "folds": 8 } } }""", "defence.folds", "defence.folds 8 must be at most the 7 training rows")]
    public void A_field_without_its_detector_or_out_of_size_is_refused_in_one_line_naming_it(string json, string field, string fragment)
    {
        ArgumentException e = Refused(json);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("""{ "base": { "defence": { "detector": "median" } } }""", "defence.detector", "\"none\", \"knn\", \"confident-learning\", \"small-loss\", \"random\", \"oracle\"")]
    [InlineData("""{ "base": { "defence": { "detector": "knn", "k": 0 } } }""", "defence.k", "an integer in [1, 10000]")]
    [InlineData("""{ "base": { "defence": { "detector": "confident-learning", "folds": 1 } } }""", "defence.folds", "an integer in [2, 100]")]
    [InlineData("""{ "base": { "defence": { "detector": "small-loss", "noise_rate": "true" } } }""", "defence.noise_rate", "\"nominal\" or \"confident-learning\"")]
    [InlineData("""{ "base": { "defence": { "detektor": "knn" } } }""", "defence.detektor", "unknown field 'base.defence.detektor'")]
    [InlineData("""{ "axes": { "defence.detector": ["knn", "oracle"], "defence.k": [3] } }""", "defence.detector", "defence.k applies to defence.detector \"knn\" only")]
    public void Invalid_values_are_refused_with_the_field_and_its_rule(string json, string paramName, string fragment)
    {
        ArgumentException e = Refused(json);
        Assert.Equal(paramName, e.ParamName);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void No_detector_is_not_written_so_fingerprints_stay()
    {
        Assert.Equal("139baeeb57abcf77", SweepConfig.Study.Fingerprint);
        SweepConfig plain = Read("""{ "axes": { "poison.fraction": [0, 0.1] } }""");
        SweepConfig none = Read("""{ "base": { "defence": { "detector": "none" } }, "axes": { "poison.fraction": [0, 0.1] } }""");
        Assert.Equal(plain.Fingerprint, none.Fingerprint);
        Assert.DoesNotContain("defence", plain.ToJson(), StringComparison.Ordinal);

        SweepConfig knn = Read("""{ "base": { "defence": { "detector": "knn", "k": 7 } }, "axes": { "poison.fraction": [0, 0.1] } }""");
        Assert.NotEqual(plain.Fingerprint, knn.Fingerprint);
        Assert.Contains("\"defence\":{\"detector\":\"knn\",\"k\":7}", knn.ToJson(indented: false), StringComparison.Ordinal);
        Assert.Equal(knn, Read(knn.ToJson()));
    }

    [Fact]
    public void Without_a_detector_the_defence_metrics_are_null_and_the_run_is_unchanged()
    {
        var run = new RunSpec { Poison = new PoisonSpec { Fraction = 0.2 }, Training = new TrainingSpec { Epochs = 20 } };
        double?[] metrics = [.. SweepRunner.RunOne(run)];
        Assert.All(RunMetrics.Defence, m => Assert.Null(metrics[RunMetrics.IndexOf(m)]));
        Assert.Equal(metrics, SweepRunner.RunOne(run with { Defence = new DefenceSpec() }).ToArray());
    }

    [Fact]
    public void The_oracle_trains_on_the_clean_rows_only()
    {
        var poisoned = new RunSpec { Poison = new PoisonSpec { Fraction = 0.3 }, Training = new TrainingSpec { Epochs = 20 }, Defence = new DefenceSpec { Detector = DefenceSpec.OracleDetector } };
        double?[] m = [.. SweepRunner.RunOne(poisoned)];
        Assert.Equal(105, m[RunMetrics.IndexOf(RunMetrics.FlippedCount)]);
        Assert.Equal(105, m[RunMetrics.IndexOf(RunMetrics.FlaggedCount)]);
        Assert.Equal(245, m[RunMetrics.IndexOf(RunMetrics.KeptCount)]);
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (m[RunMetrics.IndexOf(RunMetrics.DetectionPrecision)], m[RunMetrics.IndexOf(RunMetrics.DetectionRecall)],
            m[RunMetrics.IndexOf(RunMetrics.DetectionF1)], m[RunMetrics.IndexOf(RunMetrics.DetectionAuroc)]));
        Assert.Null(m[RunMetrics.IndexOf(RunMetrics.EstimatedNoiseRate)]);
        Assert.Null(m[RunMetrics.IndexOf(RunMetrics.NoiseRateError)]);
        // The final loss is over the kept rows, all clean: far below the poisoned run's.
        double?[] undefended = [.. SweepRunner.RunOne(poisoned with { Defence = new DefenceSpec() })];
        Assert.True(m[RunMetrics.IndexOf(RunMetrics.FinalLoss)] < undefended[RunMetrics.IndexOf(RunMetrics.FinalLoss)]);
        Assert.True(m[RunMetrics.IndexOf(RunMetrics.TestAccuracy)] >= undefended[RunMetrics.IndexOf(RunMetrics.TestAccuracy)]);
    }

    [Fact]
    public void Random_removes_as_many_rows_as_were_flipped()
    {
        var run = new RunSpec { Poison = new PoisonSpec { Fraction = 0.2 }, Training = new TrainingSpec { Epochs = 5 }, Defence = new DefenceSpec { Detector = DefenceSpec.RandomDetector } };
        double?[] m = [.. SweepRunner.RunOne(run)];
        Assert.Equal(m[RunMetrics.IndexOf(RunMetrics.FlippedCount)], m[RunMetrics.IndexOf(RunMetrics.FlaggedCount)]);
        Assert.Equal(350 - 70, m[RunMetrics.IndexOf(RunMetrics.KeptCount)]);
        Assert.Equal(m, SweepRunner.RunOne(run).ToArray());
    }

    [Fact]
    public void Small_loss_with_the_confident_learning_rate_flags_as_many_rows_as_confident_learning_estimates()
    {
        var run = new RunSpec
        {
            Poison = new PoisonSpec { Fraction = 0.2 },
            Training = new TrainingSpec { Epochs = 30 },
            Defence = new DefenceSpec { Detector = DefenceSpec.SmallLossDetector, NoiseRate = DefenceSpec.ConfidentLearningNoiseRate, Folds = 3 },
        };
        double?[] smallLoss = [.. SweepRunner.RunOne(run)];
        double?[] cl = [.. SweepRunner.RunOne(run with { Defence = new DefenceSpec { Detector = DefenceSpec.ConfidentLearningDetector, Folds = 3 } })];
        double estimate = cl[RunMetrics.IndexOf(RunMetrics.EstimatedNoiseRate)]!.Value;
        Assert.Equal(estimate, smallLoss[RunMetrics.IndexOf(RunMetrics.EstimatedNoiseRate)]);
        Assert.Equal(Math.Round(350 * estimate, MidpointRounding.ToEven), smallLoss[RunMetrics.IndexOf(RunMetrics.FlaggedCount)]);
        // With the nominal rate it flags round(350 · 0.2) rows and estimates nothing.
        double?[] nominal = [.. SweepRunner.RunOne(run with { Defence = new DefenceSpec { Detector = DefenceSpec.SmallLossDetector } })];
        Assert.Equal(70, nominal[RunMetrics.IndexOf(RunMetrics.FlaggedCount)]);
        Assert.Null(nominal[RunMetrics.IndexOf(RunMetrics.EstimatedNoiseRate)]);
    }

    [Fact]
    public void A_run_log_written_before_the_defence_metrics_existed_is_still_read()
    {
        SweepConfig tiny = Read("""{ "base": { "training": { "epochs": 1 } }, "axes": { "seed": [1, 2] } }""");
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, tiny))
            log.Append(new RunRecord(1, tiny.CoordinatesAt(1), [0.9, 0.5, 0.8, 0.4, 0.7, 10, 0.25, 5, null, null, null, .. Tests.Detection.NoDefence.Metrics]));
        string path = folder.File(RunLog.FileName);
        string text = File.ReadAllText(path);
        foreach (RunMetric metric in RunMetrics.Defence)
        {
            Assert.Contains($",\"{metric.Name}\":null", text, StringComparison.Ordinal);
            text = text.Replace($",\"{metric.Name}\":null", "", StringComparison.Ordinal);
        }
        File.WriteAllText(path, text);
        RunRecord record = Assert.Single(RunLog.Read(path).Records);
        Assert.All(RunMetrics.Defence, m => Assert.Null(record.Get(m)));
        Assert.Equal(0.5, record.Get(RunMetrics.TestAccuracy));
    }

    private static readonly SweepConfig s_detectors = Read("""
        { "base": { "training": { "epochs": 6 }, "data": { "sample_count": 150 } },
          "axes": { "defence.detector": ["none", "knn", "confident-learning", "small-loss", "random", "oracle"],
                    "poison.fraction": [0, 0.2, 0.4], "data.seed": [1, 2], "seed": [7] } }
        """);

    [Fact]
    public void A_sweep_with_detectors_gives_the_same_bytes_on_one_and_two_threads_and_draws_its_chart()
    {
        SweepResult one = SweepRunner.Run(s_detectors, new SweepRunOptions { MaxDegreeOfParallelism = 1 });
        SweepResult two = SweepRunner.Run(s_detectors, new SweepRunOptions { MaxDegreeOfParallelism = 2 });
        Assert.Equal(ResultsJson.Results(one), ResultsJson.Results(two));
        Assert.Equal(TidyCsv.Runs(one), TidyCsv.Runs(two));

        using var folder = new TempFolder();
        IReadOnlyList<string> written = SweepOutputs.Write(one, folder.Path);
        string chart = File.ReadAllText(Assert.Single(written, p => p.EndsWith(SweepOutputs.DetectionPlotFile, StringComparison.Ordinal)));
        Assert.Contains("Precision: flagged rows that were flipped", chart, StringComparison.Ordinal);
        Assert.Contains("detector oracle", chart, StringComparison.Ordinal);
        Assert.DoesNotContain("detector none", chart, StringComparison.Ordinal); // no detector, no point
        // Without a detector axis there is no such chart.
        SweepResult plain = SweepRunner.Run(Read("""{ "base": { "training": { "epochs": 2 }, "data": { "sample_count": 60 } }, "axes": { "poison.fraction": [0, 0.2] } }"""),
            new SweepRunOptions { MaxDegreeOfParallelism = 1 });
        using var other = new TempFolder();
        Assert.DoesNotContain(SweepOutputs.Write(plain, other.Path), p => p.EndsWith(SweepOutputs.DetectionPlotFile, StringComparison.Ordinal));
    }

    [Fact]
    public void A_sweep_over_defences_and_noise_models_draws_a_panel_per_model_and_a_series_per_defence()
    {
        SweepConfig config = Read("""
            { "base": { "training": { "epochs": 4 }, "data": { "sample_count": 150 } },
              "axes": { "defence.detector": ["none", "oracle"], "poison.model": ["uniform", "pair"],
                        "poison.fraction": [0, 0.2, 0.4], "seed": [7, 8] } }
            """);
        SweepResult result = SweepRunner.Run(config, new SweepRunOptions { MaxDegreeOfParallelism = 1 });
        using var folder = new TempFolder();
        string chart = File.ReadAllText(Assert.Single(SweepOutputs.Write(result, folder.Path), p => p.EndsWith(SweepOutputs.DefencePlotFile, StringComparison.Ordinal)))
            .Replace("&quot;", "\"", StringComparison.Ordinal);

        Assert.Contains(">Noise model uniform<", chart, StringComparison.Ordinal);
        Assert.Contains(">Noise model pair<", chart, StringComparison.Ordinal);
        // 2 panels × 2 defences, each series the same colour in both panels.
        Assert.Equal(4, chart.Split("class=\"series\"").Length - 1);
        Assert.Equal(2, chart.Split("data-width=\"detector oracle\"").Length - 1);
        // A point is the mean of its runs' test accuracy, computed here from the records.
        string label = Assert.Single(result.Summary.Curves, c => c.Coordinates[0] == "\"oracle\"" && c.Coordinates[1] == "\"pair\"").Label;
        double mean = result.Runs.Where(r => r.Coordinates[0] == "\"oracle\"" && r.Coordinates[1] == "\"pair\"" && r.Coordinates[2] == "0.2")
            .Average(r => r.Get(RunMetrics.TestAccuracy)!.Value);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{label}, 20% flipped: test accuracy {mean:0.000}"), chart, StringComparison.Ordinal);

        // A sweep without a defence axis has no such chart.
        Assert.False(DefencePlots.Applies(Read("""{ "axes": { "poison.model": ["uniform", "pair"], "poison.fraction": [0, 0.2] } }""")));
    }
}
