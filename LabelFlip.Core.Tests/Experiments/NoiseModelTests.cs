using System.Collections.Immutable;
using LabelFlip.Core.Tests.Detection;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

public class NoiseModelTests
{
    private static SweepConfig Read(string json) => SweepConfig.FromJson(json);

    [Fact]
    public void Configs_without_the_new_fields_keep_their_fingerprints()
    {
        Assert.Equal("139baeeb57abcf77", SweepConfig.Study.Fingerprint);
        SweepConfig plain = Read("""{ "axes": { "poison.fraction": [0, 0.1] } }""");
        SweepConfig explicitUniform = Read("""{ "base": { "poison": { "model": "uniform", "source_class": null } }, "axes": { "poison.fraction": [0, 0.1] } }""");
        Assert.Equal(plain.Fingerprint, explicitUniform.Fingerprint);
        Assert.DoesNotContain("matrix", plain.ToJson());
        Assert.DoesNotContain("target_class", plain.ToJson());
        SweepConfig pair = Read("""{ "base": { "poison": { "model": "pair" } }, "axes": { "poison.fraction": [0, 0.1] } }""");
        Assert.NotEqual(plain.Fingerprint, pair.Fingerprint);
        SweepConfig matrix = Read("""{ "base": { "poison": { "model": "matrix", "matrix": [[0,1],[0.5,0.5]] }, "data": { "class_count": 2 } } }""");
        Assert.Equal(matrix.Fingerprint, Read(matrix.ToJson()).Fingerprint);
        Assert.Contains("\"matrix\"", matrix.ToJson());
        Assert.Equal(0.5, Read(matrix.ToJson()).Base.Poison.Matrix[1][0]);
    }

    [Theory]
    [InlineData("""{ "base": { "poison": { "model": "pair" }, "streams": "study" } }""", "streams \"study\" draw the study's uniform flips only; poison.model \"pair\"")]
    [InlineData("""{ "base": { "poison": { "model": "matrix" } } }""", "poison.model \"matrix\" needs poison.matrix")]
    [InlineData("""{ "base": { "poison": { "model": "matrix", "matrix": [[0.5, 0.4], [0, 1]] }, "data": { "class_count": 2 } } }""", "poison.matrix: row 0 sums to 0.9")]
    [InlineData("""{ "base": { "poison": { "model": "matrix", "matrix": [[1, 0], [0, 1]] } } }""", "poison.matrix has 2 rows; the data has 5 classes")]
    [InlineData("""{ "base": { "poison": { "model": "pair", "matrix": [[1, 0], [0, 1]] } } }""", "poison.matrix applies to poison.model \"matrix\" only")]
    [InlineData("""{ "base": { "poison": { "model": "targeted" } } }""", "poison.model \"targeted\" needs poison.target_class")]
    [InlineData("""{ "base": { "poison": { "model": "targeted", "target_class": 5 } } }""", "poison.target_class 5 must be below the data's 5 classes")]
    [InlineData("""{ "base": { "poison": { "model": "targeted", "target_class": 1, "source_class": 1 } } }""", "poison.source_class and poison.target_class are both 1")]
    [InlineData("""{ "base": { "poison": { "model": "pair", "source_class": 1 } } }""", "poison.source_class applies to poison.model \"targeted\" only")]
    [InlineData("""{ "base": { "poison": { "model": "boundary-soft" }, "data": { "cluster_std": 0 } } }""", "poison.model \"boundary-soft\" needs data.cluster_std > 0")]
    [InlineData("""{ "base": { "poison": { "model": "adversarial" }, "streams": "study" } }""", "streams \"study\" draw the study's uniform flips only; poison.model \"adversarial\"")]
    [InlineData("""{ "base": { "poison": { "model": "adversarial", "matrix": [[1, 0], [0, 1]] } } }""", "poison.matrix applies to poison.model \"matrix\" only, not to poison.model \"adversarial\"")]
    [InlineData("""{ "base": { "poison": { "model": "adversarial", "target_class": 1 } } }""", "poison.target_class applies to poison.model \"targeted\" only, not to poison.model \"adversarial\"")]
    [InlineData("""{ "base": { "poison": { "model": "boundary-soft", "source_class": 0 } } }""", "poison.source_class applies to poison.model \"targeted\" only, not to poison.model \"boundary-soft\"")]
    [InlineData("""{ "base": { "poison": { "model": "boundary" }, "data": { "cluster_std": 0 } } }""", "needs data.cluster_std > 0")]
    [InlineData("""{ "base": { "poison": { "model": "flip" } } }""", "poison.model")]
    [InlineData("""{ "base": { "poison": { "model": "matrix", "matrix": [[1, 0], [0, 1, 0]] } } }""", "poison.matrix")]
    public void Combinations_that_cannot_run_are_refused_in_one_line_naming_the_field(string json, string fragment)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => Read(json));
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("""{ "base": { "poison": { "model": "adversarial" } } }""")]
    [InlineData("""{ "base": { "poison": { "model": "adversarial" }, "data": { "source": "csv", "path": "x.csv" } } }""")]
    [InlineData("""{ "base": { "poison": { "model": "boundary" }, "data": { "source": "csv", "path": "x.csv" } } }""")]
    [InlineData("""{ "base": { "poison": { "model": "boundary-soft" }, "data": { "source": "fashion-mnist" } } }""")]
    public void The_reference_network_models_need_no_field_of_their_own_and_take_file_sources(string json)
    {
        SweepConfig config = Read(json);
        Assert.Equal(config.Fingerprint, Read(config.ToJson()).Fingerprint);
    }

    // Every model, 2 fractions, 2 seeds, 2 data draws: 56 tiny runs.
    private static readonly SweepConfig s_models = Read("""
        { "base": { "training": { "epochs": 3 }, "data": { "sample_count": 90, "class_count": 3, "feature_count": 4 },
                    "poison": { "target_class": null }, "model": { "hidden_widths": [6] } },
          "axes": { "poison.model": ["uniform", "symmetric", "pair", "random-asymmetric", "boundary"],
                    "poison.fraction": [0.1, 0.4], "data.seed": [1, 2], "seed": [7, 8] } }
        """);

    [Fact]
    public void Every_model_gives_the_same_bytes_on_one_or_two_threads_and_in_shards()
    {
        string one = ResultsJson.Results(SweepRunner.Run(s_models, new SweepRunOptions { MaxDegreeOfParallelism = 1 }));
        string two = ResultsJson.Results(SweepRunner.Run(s_models, new SweepRunOptions { MaxDegreeOfParallelism = 2 }));
        Assert.Equal(one, two);
        using var folder = new TempFolder();
        string[] directories = [folder.File("a"), folder.File("b")];
        for (int i = 2; i >= 1; i--)
            SweepRunner.Execute(s_models, new SweepRunOptions { Shard = new SweepShard(i, 2), OutputDirectory = directories[i - 1], MaxDegreeOfParallelism = i });
        Assert.Equal(one, ResultsJson.Results(SweepRunner.Merge(directories)));
        Assert.Contains("\"breakdown_point\"", one);
        Assert.Contains("pair: 0.5", one);
    }

    [Fact]
    public void A_sweep_over_noise_models_claims_no_trend_along_them()
    {
        // poison.model is a list of names: "threshold falls as poison.model grows" would read it as a scale. The
        // trend findings say why they do not apply, over one draw and over several; sharpness is still judged.
        SweepSummary summary = SweepRunner.Run(Read("""
            { "base": { "training": { "epochs": 3 }, "data": { "sample_count": 90, "class_count": 3, "feature_count": 4 },
                        "model": { "hidden_widths": [6] } },
              "axes": { "poison.model": ["uniform", "pair"], "poison.fraction": [0, 0.1, 0.2, 0.3, 0.4, 0.5],
                        "data.seed": [1, 2], "seed": [7] } }
            """)).Summary;
        foreach (ImmutableArray<Finding> findings in new[] { summary.Findings, summary.Draws!.Findings })
        {
            foreach (string key in new[] { "threshold_falls", "gen_gap_grows" })
            {
                Finding finding = Assert.Single(findings, f => f.Key == key);
                Assert.Equal(Verdict.NotApplicable, finding.Verdict);
                Assert.StartsWith("poison.model is categorical (\"uniform\", \"pair\")", finding.Evidence, StringComparison.Ordinal);
            }
            Assert.NotEqual(Verdict.NotApplicable, Assert.Single(findings, f => f.Key == "sharp_transition").Verdict);
        }
    }

    [Fact]
    public void Each_model_flips_its_nominal_count_from_its_own_stream()
    {
        var baseRun = new RunSpec
        {
            Data = new DataSpec { SampleCount = 90, ClassCount = 3, FeatureCount = 4, Seed = 1 },
            Training = new TrainingSpec { Epochs = 1 },
            Model = new ModelSpec { HiddenWidths = [4] },
            Seed = 7,
        };
        var data = new RunData(baseRun.Data, RunSpec.OurStreams);
        int[] perClass = data.Train.CountPerClass();
        foreach (string model in new[] { PoisonSpec.SymmetricModel, PoisonSpec.PairModel, PoisonSpec.RandomAsymmetricModel })
        {
            RunSpec run = baseRun with { Poison = new PoisonSpec { Model = model, Fraction = 0.3 } };
            double? flipped = SweepRunner.RunOne(run)[RunMetrics.IndexOf(RunMetrics.FlippedCount)];
            Assert.Equal(perClass.Sum(n => Math.Round(n * 0.3, MidpointRounding.ToEven)), flipped);
        }
        RunSpec targeted = baseRun with { Poison = new PoisonSpec { Model = PoisonSpec.TargetedModel, Fraction = 0.5, SourceClass = 2, TargetClass = 0 } };
        Assert.Equal(Math.Round(perClass[2] * 0.5, MidpointRounding.ToEven), SweepRunner.RunOne(targeted)[RunMetrics.IndexOf(RunMetrics.FlippedCount)]);
        RunSpec boundary = baseRun with { Poison = new PoisonSpec { Model = PoisonSpec.BoundaryModel, Fraction = 0.2 } };
        Assert.Equal(Math.Round(data.Train.RowCount * 0.2, MidpointRounding.ToEven), SweepRunner.RunOne(boundary)[RunMetrics.IndexOf(RunMetrics.FlippedCount)]);

        // Symmetric draws from (seed, "poison", "symmetric", p), not from uniform's (seed, "poison", p).
        (ILabelPoisoner poisoner, RandomSource random) = RunExecutor.CreatePoisoner(baseRun with { Poison = new PoisonSpec { Model = PoisonSpec.SymmetricModel, Fraction = 0.3 } }, data);
        ulong poisonSeed = RandomSource.DeriveSeed(7, StreamKey.Of("poison"));
        Assert.Equal(new RandomSource(RandomSource.DeriveSeed(poisonSeed, StreamKey.Of("symmetric")), StreamKey.Of(0.3)).NextUInt64(), random.NextUInt64());
        Assert.IsType<ClassConditionalLabelFlip>(poisoner);
    }

    [Fact]
    public void Targeted_runs_report_the_source_class_recall_and_other_models_null()
    {
        var baseRun = new RunSpec
        {
            Data = new DataSpec { SampleCount = 120, ClassCount = 3, FeatureCount = 4, Seed = 2 },
            Training = new TrainingSpec { Epochs = 5 },
            Model = new ModelSpec { HiddenWidths = [8] },
        };
        int recall = RunMetrics.IndexOf(RunMetrics.SourceClassRecall);
        RunSpec targeted = baseRun with { Poison = new PoisonSpec { Model = PoisonSpec.TargetedModel, Fraction = 0.3, SourceClass = 1, TargetClass = 2 } };
        double? measured = SweepRunner.RunOne(targeted)[recall];

        // The same run by hand: poison, train, and count the source class's test rows predicted as themselves.
        var data = new RunData(targeted.Data, RunSpec.OurStreams);
        (ILabelPoisoner poisoner, RandomSource random) = RunExecutor.CreatePoisoner(targeted, data);
        LabelFlip.Core.Data.Dataset train = data.Train.WithLabels(poisoner.Poison(data.Train, random).Labels.AsSpan());
        var trained = new LabelFlip.Core.Nn.MlpTrainer().Train(train, targeted.Model.HiddenWidths, targeted.Training.ToOptions(),
            new RandomSource(targeted.Seed, StreamKey.Of("training")));
        int[] predicted = trained.Model.Predict(data.Test);
        int[] rows = [.. Enumerable.Range(0, data.Test.RowCount).Where(r => data.Test.Labels[r] == 1)];
        Assert.Equal(rows.Count(r => predicted[r] == 1) / (double)rows.Length, measured);

        Assert.Null(SweepRunner.RunOne(baseRun with { Poison = new PoisonSpec { Model = PoisonSpec.PairModel, Fraction = 0.3 } })[recall]);
        Assert.Null(SweepRunner.RunOne(baseRun with { Poison = new PoisonSpec { Model = PoisonSpec.TargetedModel, Fraction = 0.3, TargetClass = 2 } })[recall]);
    }

    [Fact]
    public void A_run_log_written_before_source_class_recall_existed_is_still_read()
    {
        SweepConfig tiny = Read("""{ "base": { "training": { "epochs": 1 } }, "axes": { "seed": [1, 2] } }""");
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, tiny))
            log.Append(new RunRecord(1, tiny.CoordinatesAt(1), [0.9, 0.5, 0.8, 0.4, 0.7, 10, 0.25, 5, null, null, null, .. NoDefence.Metrics]));
        string path = folder.File(RunLog.FileName);
        string text = File.ReadAllText(path);
        Assert.Contains(",\"source_class_recall\":null", text);
        File.WriteAllText(path, text.Replace(",\"source_class_recall\":null", "", StringComparison.Ordinal));
        RunRecord record = Assert.Single(RunLog.Read(path).Records);
        Assert.Null(record.Get(RunMetrics.SourceClassRecall));
        Assert.Equal(0.5, record.Get(RunMetrics.TestAccuracy));
    }

    [Fact]
    public void Uniform_draws_from_the_stream_it_always_did()
    {
        var run = new RunSpec { Poison = new PoisonSpec { Fraction = 0.2 }, Seed = 9 };
        var data = new RunData(run.Data, RunSpec.OurStreams);
        (ILabelPoisoner poisoner, RandomSource random) = RunExecutor.CreatePoisoner(run, data);
        var expected = new RandomSource(RandomSource.DeriveSeed(9, StreamKey.Of("poison")), StreamKey.Of(0.2));
        PoisonResult a = poisoner.Poison(data.Train, random);
        PoisonResult b = new UniformLabelFlip(0.2).Poison(data.Train, expected);
        Assert.Equal(b.Labels.ToArray(), a.Labels.ToArray());
    }
}
