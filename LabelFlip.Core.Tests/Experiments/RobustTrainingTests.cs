using LabelFlip.Core.Data;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;
using LabelFlip.Core.Tests.Nn;

namespace LabelFlip.Core.Tests.Experiments;

public class RobustTrainingTests
{
    private static SweepConfig Read(string json) => SweepConfig.FromJson(json);

    [Fact]
    public void Configs_without_the_new_fields_keep_their_fingerprints()
    {
        Assert.Equal("139baeeb57abcf77", SweepConfig.Study.Fingerprint);
        SweepConfig plain = Read("""{ "axes": { "poison.fraction": [0, 0.1] } }""");
        SweepConfig explicitNulls = Read("""
            { "base": { "training": { "loss": "cross-entropy", "label_smoothing": null, "gce_q": null, "sce_alpha": null, "sce_beta": null,
                                      "bootstrap_beta": null, "validation_fraction": null, "patience": null } },
              "axes": { "poison.fraction": [0, 0.1] } }
            """);
        Assert.Equal(plain.Fingerprint, explicitNulls.Fingerprint);
        foreach (string name in new[] { "label_smoothing", "gce_q", "sce_", "bootstrap_beta", "validation_fraction", "patience" })
            Assert.DoesNotContain(name, plain.ToJson());

        SweepConfig gce = Read("""{ "base": { "training": { "loss": "generalized-cross-entropy", "gce_q": 0.5, "validation_fraction": 0.2, "patience": 3 } } }""");
        Assert.NotEqual(plain.Fingerprint, gce.Fingerprint);
        Assert.Contains("\"gce_q\"", gce.ToJson());
        SweepConfig again = Read(gce.ToJson());
        Assert.Equal(gce.Fingerprint, again.Fingerprint);
        Assert.Equal((0.5, 0.2, 3), (again.Base.Training.GceQ, again.Base.Training.ValidationFraction, again.Base.Training.Patience));
    }

    [Theory]
    [InlineData("""{ "base": { "training": { "gce_q": 0.5 } } }""", "training.gce_q applies to training.loss \"generalized-cross-entropy\" only, not to training.loss \"cross-entropy\"")]
    [InlineData("""{ "base": { "training": { "loss": "generalized-cross-entropy", "label_smoothing": 0.1 } } }""", "training.label_smoothing applies to training.loss \"label-smoothing\" only")]
    [InlineData("""{ "base": { "training": { "loss": "label-smoothing", "sce_alpha": 1 } } }""", "training.sce_alpha applies to training.loss \"symmetric-cross-entropy\" only")]
    [InlineData("""{ "base": { "training": { "loss": "label-smoothing", "sce_beta": 1 } } }""", "training.sce_beta applies to training.loss \"symmetric-cross-entropy\" only")]
    [InlineData("""{ "base": { "training": { "loss": "symmetric-cross-entropy", "bootstrap_beta": 0.8 } } }""", "training.bootstrap_beta applies to training.loss \"soft-bootstrapping\" and \"hard-bootstrapping\" only")]
    [InlineData("""{ "base": { "training": { "loss": "symmetric-cross-entropy", "sce_alpha": 0, "sce_beta": 0 } } }""", "training.sce_alpha and training.sce_beta are both 0")]
    [InlineData("""{ "base": { "training": { "loss": "forward-corrected" }, "poison": { "model": "boundary" } } }""", "training.loss \"forward-corrected\" corrects with the noise's transition matrix; poison.model \"boundary\" has none")]
    [InlineData("""{ "base": { "training": { "patience": 3 } } }""", "training.patience needs training.validation_fraction")]
    [InlineData("""{ "base": { "training": { "validation_fraction": 0.2 }, "streams": "study" } }""", "training.validation_fraction holds rows out of the study's training set")]
    [InlineData("""{ "base": { "training": { "loss": "mae" } } }""", "training.loss")]
    [InlineData("""{ "base": { "training": { "loss": "generalized-cross-entropy", "gce_q": 0 } } }""", "training.gce_q")]
    [InlineData("""{ "base": { "training": { "loss": "label-smoothing", "label_smoothing": 1.5 } } }""", "training.label_smoothing")]
    [InlineData("""{ "base": { "training": { "validation_fraction": 1 } } }""", "training.validation_fraction")]
    [InlineData("""{ "base": { "training": { "validation_fraction": 0.5, "patience": 0 } } }""", "training.patience")]
    [InlineData("""{ "base": { "training": { "loss": "label-smoothing" } }, "axes": { "training.gce_q": [0.5, 0.7] } }""", "training.gce_q applies to training.loss \"generalized-cross-entropy\" only")]
    public void Combinations_that_cannot_run_are_refused_in_one_line_naming_the_field(string json, string fragment)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => Read(json));
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_description_names_the_loss_and_early_stopping_only_when_set()
    {
        string Training(string json) => LabelFlip.Core.Reporting.RunDescription.Describe(Read(json)).Single(p => p.Key == "training").Text;
        string plain = Training("""{ "axes": { "poison.fraction": [0, 0.1] } }""");
        Assert.StartsWith("mini-batch SGD on the mean softmax cross-entropy: 200 epochs", plain);
        Assert.DoesNotContain("early stopping", plain);
        string gce = Training("""{ "base": { "training": { "loss": "generalized-cross-entropy", "validation_fraction": 0.2 } }, "axes": { "training.gce_q": [0.3, 0.7] } }""");
        Assert.Contains("generalized cross-entropy (Zhang and Sabuncu 2018), q = training.gce_q ∈ {0.3, 0.7}", gce);
        Assert.Contains("early stopping: 0.2 of the noisy training rows held out", gce);
        Assert.Contains("after 10 epochs without a better one", gce);
        Assert.Contains("training.loss ∈", Training("""{ "axes": { "training.loss": ["cross-entropy", "label-smoothing"] } }"""));
    }

    [Fact]
    public void A_validation_split_that_leaves_a_side_empty_is_refused_when_the_run_starts()
    {
        RunSpec run = Tiny with { Training = Tiny.Training with { ValidationFraction = 0.001 } };
        var e = Assert.Throws<ArgumentException>(() => SweepRunner.RunOne(run));
        Assert.Contains("training.validation_fraction 0.001 holds out 0 of the", e.Message);
    }

    // Momentum, weight decay, the loss, its parameters and early stopping's fields are axes like any other field.
    [Fact]
    public void The_training_fields_are_sweepable_axes()
    {
        SweepConfig config = Read("""
            { "base": { "training": { "epochs": 4, "loss": "generalized-cross-entropy", "validation_fraction": 0.25 },
                        "data": { "sample_count": 80, "class_count": 3, "feature_count": 4 }, "model": { "hidden_widths": [6] } },
              "axes": { "training.momentum": [0, 0.9], "training.weight_decay": [0, 0.01], "training.gce_q": [0.3, 1], "training.patience": [1, 10] } }
            """);
        Assert.Equal(16, config.RunCount);
        SweepResult result = SweepRunner.Run(config, new SweepRunOptions { MaxDegreeOfParallelism = 1 });
        int test = RunMetrics.IndexOf(RunMetrics.TestAccuracy), loss = RunMetrics.IndexOf(RunMetrics.FinalLoss);
        // Every momentum, decay and q trains differently (patience may or may not cut a run short).
        Assert.True(result.Runs.Select(r => r.Metrics[loss]).Distinct().Count() >= 8);
        Assert.All(result.Runs, r => Assert.InRange(r.Metrics[RunMetrics.IndexOf(RunMetrics.BestEpoch)]!.Value, 1, 4));
        Assert.True(result.Runs.Select(r => r.Metrics[test]).Distinct().Count() > 1);
    }

    private static readonly RunSpec Tiny = new()
    {
        Data = new DataSpec { SampleCount = 120, ClassCount = 3, FeatureCount = 4, Seed = 1 },
        Training = new TrainingSpec { Epochs = 6 },
        Model = new ModelSpec { HiddenWidths = [8] },
        Poison = new PoisonSpec { Model = PoisonSpec.PairModel, Fraction = 0.3 },
        Seed = 7,
    };

    [Fact]
    public void Every_loss_runs_and_early_stopping_fills_its_metrics_only_when_asked()
    {
        foreach (string loss in TrainingSpec.Losses)
        {
            double?[] metrics = [.. SweepRunner.RunOne(Tiny with { Training = Tiny.Training with { Loss = loss } })];
            Assert.All(metrics.Take(RunMetrics.IndexOf(RunMetrics.MemorizationRate)), m => Assert.True(m is double v && double.IsFinite(v), loss));
            Assert.Null(metrics[RunMetrics.IndexOf(RunMetrics.StoppedEpoch)]);
            Assert.Null(metrics[RunMetrics.IndexOf(RunMetrics.BestEpoch)]);
        }
        double?[] stopped = [.. SweepRunner.RunOne(Tiny with { Training = Tiny.Training with { ValidationFraction = 0.25, Patience = 1 } })];
        Assert.InRange(stopped[RunMetrics.IndexOf(RunMetrics.StoppedEpoch)]!.Value, 2, 6);
        Assert.InRange(stopped[RunMetrics.IndexOf(RunMetrics.BestEpoch)]!.Value, 1, 5);
    }

    [Fact]
    public void Forward_correction_uses_the_noise_models_own_matrix()
    {
        var data = new RunData(Tiny.Data, RunSpec.OurStreams);
        (ILabelPoisoner pair, _) = RunExecutor.CreatePoisoner(Tiny, data);
        Assert.Same(((ClassConditionalLabelFlip)pair).Matrix, RunExecutor.NoiseMatrix(pair, 3));
        RunSpec uniform = Tiny with { Poison = new PoisonSpec { Fraction = 0.3 } };
        (ILabelPoisoner flips, _) = RunExecutor.CreatePoisoner(uniform, data);
        TransitionMatrix symmetric = RunExecutor.NoiseMatrix(flips, 3)!;
        Assert.Equal(TransitionMatrix.Symmetric(3, 0.3).ToRows(), symmetric.ToRows());
        RunSpec boundary = Tiny with { Poison = new PoisonSpec { Model = PoisonSpec.BoundaryModel, Fraction = 0.3 } };
        Assert.Null(RunExecutor.NoiseMatrix(RunExecutor.CreatePoisoner(boundary, data).Poisoner, 3));

        // The run trains with it: the same bits as the trainer given that matrix by hand.
        RunSpec run = Tiny with { Training = Tiny.Training with { Loss = LossFunction.ForwardCorrectedName } };
        Dataset train = data.Train.WithLabels(pair.Poison(data.Train, RunExecutor.CreatePoisoner(run, data).Random).Labels.AsSpan());
        TrainingResult byHand = new MlpTrainer().Train(train, run.Model.HiddenWidths, run.Training.ToOptions(((ClassConditionalLabelFlip)pair).Matrix),
            new RandomSource(run.Seed, StreamKey.Of("training")));
        Assert.Equal(byHand.FinalLoss, SweepRunner.RunOne(run)[RunMetrics.IndexOf(RunMetrics.FinalLoss)]);
        Assert.Equal(byHand.Model.Accuracy(data.Test), SweepRunner.RunOne(run)[RunMetrics.IndexOf(RunMetrics.TestAccuracy)]);
    }

    // Patience beyond the epochs: every epoch runs on the rows left after the hold-out, exactly as a plain run on those
    // rows; only the scored network (the best validation epoch's) and the two epoch metrics differ.
    [Fact]
    public void Patience_beyond_the_epochs_trains_the_plain_runs_bits_on_the_remaining_rows()
    {
        RunSpec run = Tiny with { Training = Tiny.Training with { ValidationFraction = 0.25, Patience = 7 } };
        double?[] metrics = [.. SweepRunner.RunOne(run)];
        Assert.Equal(6, metrics[RunMetrics.IndexOf(RunMetrics.StoppedEpoch)]);

        var data = new RunData(run.Data, RunSpec.OurStreams);
        (ILabelPoisoner poisoner, RandomSource random) = RunExecutor.CreatePoisoner(run, data);
        Dataset train = data.Train.WithLabels(poisoner.Poison(data.Train, random).Labels.AsSpan());
        (Dataset fit, EarlyStopping? stopping) = RunExecutor.HoldOutValidation(run, train);
        Assert.Equal(train.RowCount - (int)Math.Round(train.RowCount * 0.25, MidpointRounding.ToEven), fit.RowCount);
        TrainingResult plain = new MlpTrainer().Train(fit, run.Model.HiddenWidths, run.Training.ToOptions(), new RandomSource(run.Seed, StreamKey.Of("training")));
        TrainingResult watched = new MlpTrainer().Train(fit, run.Model.HiddenWidths, run.Training.ToOptions(), new RandomSource(run.Seed, StreamKey.Of("training")), stopping);
        Assert.Equal(NnTestData.Hash(plain.Model), NnTestData.Hash(watched.Model));
        Assert.Equal(plain.FinalLoss, metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)]);
        Assert.Equal(stopping!.BestEpoch, metrics[RunMetrics.IndexOf(RunMetrics.BestEpoch)]);
        Assert.Equal(stopping.BestModel.Accuracy(data.Test), metrics[RunMetrics.IndexOf(RunMetrics.TestAccuracy)]);
    }
}
