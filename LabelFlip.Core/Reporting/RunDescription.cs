using System.Globalization;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Reporting;

/// <summary>Says in words what a sweep's runs are, from the config itself: a swept field is named as swept.</summary>
internal static class RunDescription
{
    public static IEnumerable<(string Key, string Text)> Describe(SweepConfig config)
    {
        RunSpec b = config.Base;
        string Value(string path, string fixedText) =>
            config.Axis(path) is SweepAxis axis ? $"{path} ∈ {{{string.Join(", ", axis.Values)}}}" : fixedText;

        DataSpec d = b.Data;
        yield return ("data", string.Create(CultureInfo.InvariantCulture,
            $"{d.Source}: {Value("data.sample_count", $"{d.SampleCount} rows")} × {Value("data.feature_count", $"{d.FeatureCount} features")}, " +
            $"{Value("data.class_count", $"{d.ClassCount} classes")}, cluster std {Value("data.cluster_std", d.ClusterStd.ToString("R", CultureInfo.InvariantCulture))}, " +
            $"center spread {Value("data.center_spread", d.CenterSpread.ToString("R", CultureInfo.InvariantCulture))}, " +
            $"train share {Value("data.train_fraction", d.TrainFraction.ToString("R", CultureInfo.InvariantCulture))} (the rest is the clean test set); " +
            $"data seed {Value("data.seed", d.Seed.ToString(CultureInfo.InvariantCulture))}"));
        yield return ("poison", $"{b.Poison.Model} label flips: round(n·p) training labels (halves to even), each to a uniformly random other class, " +
            $"p = {Value("poison.fraction", b.Poison.Fraction.ToString("R", CultureInfo.InvariantCulture))}; test labels clean");
        yield return ("model", $"Linear–ReLU–…–Linear with hidden widths {Value("model.hidden_widths", $"[{string.Join(",", b.Model.HiddenWidths)}]")}, " +
            "PyTorch-default initialisation, float32");
        TrainingSpec t = b.Training;
        yield return ("training", string.Create(CultureInfo.InvariantCulture,
            $"mini-batch SGD on the mean softmax cross-entropy: {Value("training.epochs", $"{t.Epochs} epochs")}, " +
            $"learning rate {Value("training.learning_rate", t.LearningRate.ToString("R", CultureInfo.InvariantCulture))}, " +
            $"batch {Value("training.batch_size", t.BatchSize.ToString(CultureInfo.InvariantCulture))}, " +
            $"momentum {Value("training.momentum", t.Momentum.ToString("R", CultureInfo.InvariantCulture))}, " +
            $"weight decay {Value("training.weight_decay", t.WeightDecay.ToString("R", CultureInfo.InvariantCulture))}; " +
            $"training seed {Value("seed", b.Seed.ToString(CultureInfo.InvariantCulture))}"));
        yield return ("random", "xoshiro256** seeded through SplitMix64; data and split from data.seed, poison from (seed, \"poison\", poison.fraction), " +
            "initialisation and shuffling from (seed, \"training\")");
        yield return ("threshold_method", "threshold: the first of 2000 grid points on [0, 0.6] where the fitted sigmoid ≤ (clean + chance)/2 " +
            "(the study's method); threshold_closed_form: the exact crossing; threshold_status says whether it lies within the fractions swept");
    }
}
