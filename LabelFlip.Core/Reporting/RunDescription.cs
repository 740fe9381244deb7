using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Poisoning;

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
        string testSet = d.TestCount is int testCount
            ? $"all of them train; the clean test set is {Value("data.test_count", string.Create(CultureInfo.InvariantCulture, $"{testCount} more rows"))} drawn from the same clusters; "
            : $"train share {Value("data.train_fraction", d.TrainFraction.ToString("R", CultureInfo.InvariantCulture))} (the rest is the clean test set); ";
        yield return ("data", d.IsFile ? DescribeFile(d, Value) : string.Create(CultureInfo.InvariantCulture,
            $"{d.Source}: {Value("data.sample_count", $"{d.SampleCount} rows")} × {Value("data.feature_count", $"{d.FeatureCount} features")}, " +
            $"{Value("data.class_count", $"{d.ClassCount} classes")}, cluster std {Value("data.cluster_std", d.ClusterStd.ToString("R", CultureInfo.InvariantCulture))}, " +
            $"center spread {Value("data.center_spread", d.CenterSpread.ToString("R", CultureInfo.InvariantCulture))}, {testSet}" +
            $"data seed {Value("data.seed", d.Seed.ToString(CultureInfo.InvariantCulture))}"));
        if (d.IsFile)
            yield return ("classes", DescribeClasses(d));
        string fractions = Value("poison.fraction", b.Poison.Fraction.ToString("R", CultureInfo.InvariantCulture));
        string[] models = BreakdownPoints.Models(config);
        if (models is [PoisonSpec.UniformModel])
        {
            yield return ("poison", $"{b.Poison.Model} label flips: round(n·p) training labels (halves to even), each to a uniformly random other class, " +
                $"p = {fractions}; test labels clean");
        }
        else
        {
            yield return ("poison", $"{string.Join("; ", models.Select(m => DescribeModel(m, b)))}; p = {fractions}; test labels clean");
            yield return ("breakdown_point", "the poison fraction at which some class's most frequent reported label stops being its true label: " +
                string.Join("; ", models.Select(m => $"{m}: {BreakdownPoint(m, b)}")));
        }
        yield return ("model", $"Linear–ReLU–…–Linear with hidden widths {Value("model.hidden_widths", $"[{string.Join(",", b.Model.HiddenWidths)}]")}, " +
            "PyTorch-default initialisation, float32");
        TrainingSpec t = b.Training;
        // The cross-entropy alone keeps the words every earlier results.json has.
        string loss = t.Loss == TrainingSpec.CrossEntropyLoss && config.Axis("training.loss") is null
            ? "the mean softmax cross-entropy" : "the mean " + Value("training.loss", DescribeLoss(t, Value));
        string stopping = t.ValidationFraction is null && config.Axis("training.validation_fraction") is null ? "" :
            $"; early stopping: {Value("training.validation_fraction", (t.ValidationFraction ?? 0).ToString("R", CultureInfo.InvariantCulture))} of the noisy training rows " +
            "held out (uniformly, not stratified, from (seed, \"validation\")), the network of the best validation accuracy (against the noisy labels, first of equals) " +
            $"scored, training stopped after {Value("training.patience", (t.Patience ?? TrainingSpec.DefaultPatience).ToString(CultureInfo.InvariantCulture))} epochs without a better one";
        yield return ("training", string.Create(CultureInfo.InvariantCulture,
            $"mini-batch SGD on {loss}: {Value("training.epochs", $"{t.Epochs} epochs")}, " +
            $"learning rate {Value("training.learning_rate", t.LearningRate.ToString("R", CultureInfo.InvariantCulture))}, " +
            $"batch {Value("training.batch_size", t.BatchSize.ToString(CultureInfo.InvariantCulture))}, " +
            $"momentum {Value("training.momentum", t.Momentum.ToString("R", CultureInfo.InvariantCulture))}, " +
            $"weight decay {Value("training.weight_decay", t.WeightDecay.ToString("R", CultureInfo.InvariantCulture))}; " +
            $"training seed {Value("seed", b.Seed.ToString(CultureInfo.InvariantCulture))}{stopping}"));
        if (t.RecordEvery is not null || config.Axis("training.record_every") is not null)
        {
            yield return ("dynamics", "learning dynamics recorded every " + Value("training.record_every", $"{t.RecordEvery} epochs") +
                " (epochs m, 2m, … and the last) by reading the network, which changes no bit of training: test accuracy, clean " +
                "training rows' accuracy and mean cross-entropy, and of the flipped rows the share predicted as their noisy label " +
                "(memorization), the share predicted as their true label, and their mean cross-entropy against the noisy label");
        }
        string subsets = d.IsFile ? " (a file's subsets from (data.seed, \"train-subset\") and (data.seed, \"test-subset\"))" : "";
        yield return ("random", $"xoshiro256** seeded through SplitMix64; data and split from data.seed{subsets}, " +
            (models is [PoisonSpec.UniformModel] ? "poison from (seed, \"poison\", poison.fraction), "
                : "uniform poison from (seed, \"poison\", poison.fraction), every other model's from (seed, \"poison\", model, poison.fraction) " +
                  "(random-asymmetric's matrix from (seed, \"poison\", model, \"matrix\"))" +
                  (models.Any(UsesReference(b)) ? "; the reference network (the run's model and training settings on the clean training labels) from (seed, \"poison\", \"reference\"), " : ", ")) +
            "initialisation and shuffling from (seed, \"training\")");
        double maxFraction = config.Axis("poison.fraction") is SweepAxis fractionAxis
            ? fractionAxis.Values.Max(v => double.Parse(v, CultureInfo.InvariantCulture)) : b.Poison.Fraction;
        string beyond = maxFraction > LabelFlip.Core.Fitting.SigmoidFit.DefaultGridMax
            ? string.Create(CultureInfo.InvariantCulture, $" (this sweep goes to {maxFraction:0.##}: the grid is as dense up to there)") : "";
        yield return ("threshold_method", $"threshold: the first of 2000 grid points on [0, 0.6]{beyond} where the fitted sigmoid ≤ (clean + chance)/2 " +
            "(the study's method); threshold_closed_form: the exact crossing; threshold_status says whether it lies within the fractions swept");
    }

    private static string DescribeLoss(TrainingSpec t, Func<string, string, string> value)
    {
        static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        return t.Loss switch
        {
            Nn.LossFunction.LabelSmoothingName => $"label smoothing (Szegedy et al. 2016), ε = {value("training.label_smoothing", Number(t.LabelSmoothing ?? TrainingSpec.DefaultLabelSmoothing))}",
            Nn.LossFunction.GeneralizedCrossEntropyName => $"generalized cross-entropy (Zhang and Sabuncu 2018), q = {value("training.gce_q", Number(t.GceQ ?? TrainingSpec.DefaultGceQ))}",
            Nn.LossFunction.SymmetricCrossEntropyName => $"symmetric cross-entropy (Wang et al. 2019, ln 0 clamped to −4), α = {value("training.sce_alpha", Number(t.SceAlpha ?? TrainingSpec.DefaultSceAlpha))}, " +
                $"β = {value("training.sce_beta", Number(t.SceBeta ?? TrainingSpec.DefaultSceBeta))}",
            Nn.LossFunction.SoftBootstrappingName => $"soft bootstrapping (Reed et al. 2015), β = {value("training.bootstrap_beta", Number(t.BootstrapBeta ?? TrainingSpec.DefaultSoftBootstrapBeta))}",
            Nn.LossFunction.HardBootstrappingName => $"hard bootstrapping (Reed et al. 2015), β = {value("training.bootstrap_beta", Number(t.BootstrapBeta ?? TrainingSpec.DefaultHardBootstrapBeta))}",
            Nn.LossFunction.ForwardCorrectedName => "forward-corrected cross-entropy (Patrini et al. 2017) with the noise model's true transition matrix",
            _ => "softmax cross-entropy",
        };
    }

    private static string DescribeModel(string model, RunSpec b) => model switch
    {
        PoisonSpec.UniformModel => "uniform: round(n·p) training labels (halves to even), each to a uniformly random other class",
        PoisonSpec.SymmetricModel => "symmetric: in each class i, round(n_i·p) labels, spread evenly over the other classes (exact counts, largest remainders)",
        PoisonSpec.PairModel => "pair: in each class i, round(n_i·p) labels become class i + 1 mod k",
        PoisonSpec.RandomAsymmetricModel => "random-asymmetric: in each class i, round(n_i·p) labels, spread over the other classes by a random row drawn once per seed (exact counts)",
        PoisonSpec.MatrixModel => "matrix: T(p) = (1 − p)·I + p·M with M = poison.matrix " +
            $"[{string.Join(", ", b.Poison.Matrix.Select(r => $"[{string.Join(", ", r.Select(t => t.ToString("R", CultureInfo.InvariantCulture)))}]"))}]: " +
            "in each class i, round(n_i·p·(1 − M[i, i])) labels, spread over the other classes as M's row (exact counts)",
        PoisonSpec.TargetedModel => b.Poison.SourceClass is int source
            ? Invariant($"targeted: round(n_s·p) labels of class {source} become class {b.Poison.TargetClass}")
            : Invariant($"targeted: in every class but {b.Poison.TargetClass}, round(n_i·p) labels become class {b.Poison.TargetClass}"),
        PoisonSpec.BoundaryModel => $"boundary: the round(n·p) training rows with the smallest posterior margin (true class minus likeliest other; " +
            $"{PosteriorText(b)}, ties by row), each to its likeliest wrong class",
        PoisonSpec.SoftBoundaryModel => string.Create(CultureInfo.InvariantCulture,
            $"boundary-soft: round(n·p) training rows sampled without replacement with weights exp(−margin/{BoundaryLabelFlip.DefaultSoftTemperature}) " +
            $"(the same margin as boundary: {PosteriorText(b)}), each to its likeliest wrong class"),
        PoisonSpec.AdversarialModel => "adversarial (a greedy heuristic, not an optimal attack): the round(n·p) training rows whose flip raises the reference network's " +
            "cross-entropy most (log p_true − log p_least likely), each to the class that network finds least likely, ties by row",
        _ => model,
    };

    // The reference network ranks the rows of "adversarial", and of the boundary models on a file source.
    private static Func<string, bool> UsesReference(RunSpec b) => model =>
        model == PoisonSpec.AdversarialModel || (b.Data.IsFile && model is PoisonSpec.BoundaryModel or PoisonSpec.SoftBoundaryModel);

    private static string PosteriorText(RunSpec b) => b.Data.IsFile
        ? "the softmax of the reference network, trained on the clean training labels with the run's model and training settings"
        : "exact posterior of the clusters";

    private static string BreakdownPoint(string model, RunSpec b)
    {
        int k = b.Data.IsFile ? 0 : b.Data.ClassCount;
        string kText = k > 0 ? Invariant($" = {TransitionMatrix.SymmetricBreakdownFraction(k):R}") : "";
        switch (model)
        {
            case PoisonSpec.UniformModel:
            case PoisonSpec.SymmetricModel:
                return $"(k − 1)/k{kText}";
            case PoisonSpec.PairModel:
            case PoisonSpec.TargetedModel:
                return Invariant($"{TransitionMatrix.PairBreakdownFraction:R} (the flipped class ties with the true one)");
            case PoisonSpec.RandomAsymmetricModel:
                return $"depends on the drawn matrix: 1/(1 + the largest off-diagonal entry of M), between 0.5 and (k − 1)/k{kText}";
            case PoisonSpec.MatrixModel when !b.Poison.Matrix.IsDefaultOrEmpty:
                var full = new TransitionMatrix([.. b.Poison.Matrix.Select(r => (IReadOnlyList<double>)r)]);
                if (TransitionMatrix.BreakdownFraction(full) is not double point)
                    return "none: every class stays its own most likely reported label up to p = 1";
                ImmutableArray<int> lost = full.ClassesNotMostLikelyReported();
                return Invariant($"{point:R}") + (lost.IsEmpty ? "" : $"; at p = 1 the matrix itself leaves class{(lost.Length == 1 ? "" : "es")} {string.Join(", ", lost)} " +
                    "reported more often (or as often) as another class than as itself");
            case PoisonSpec.BoundaryModel:
            case PoisonSpec.SoftBoundaryModel:
            case PoisonSpec.AdversarialModel:
                return "none in closed form: which rows flip depends on the data, not on a class-level matrix";
            default:
                return "unknown";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a chart's caption says of a file source ("fashion-mnist, 10000 training rows per draw; "), or "" for
    /// generated data, whose captions stay as they were.</summary>
    public static string SourceCaption(SweepConfig config)
    {
        DataSpec d = config.Base.Data;
        if (!d.IsFile && config.Axis("data.source") is null)
            return "";
        string rows = config.Axis("data.sample_count") is not null ? "several training sizes"
            : d.SampleCount == DataSpec.WholePool ? "all training rows" : $"{d.SampleCount.ToString(CultureInfo.InvariantCulture)} training rows per draw";
        string source = config.Axis("data.source") is SweepAxis sources ? string.Join("/", sources.Values).Replace("\"", "", StringComparison.Ordinal) : d.Source;
        return $"{source}, {rows}; ";
    }

    private static string DescribeFile(DataSpec d, Func<string, string, string> value)
    {
        string seed = value("data.seed", d.Seed.ToString(CultureInfo.InvariantCulture));
        string standardized = d.Standardize ? "; features standardised with the training rows' means and standard deviations" : "";
        if (d.Source == DataSpec.FashionMnistSource)
        {
            string train = d.SampleCount == DataSpec.WholePool ? "all 60,000 training images" : $"{value("data.sample_count", $"{d.SampleCount}")} of the 60,000 training images";
            string test = d.TestCount is int t ? $"{value("data.test_count", $"{t}")} of the 10,000 official test images" : "the 10,000 official test images";
            return string.Create(CultureInfo.InvariantCulture,
                $"fashion-mnist ({d.Path ?? "the default folder"}): {train}, stratified by class, drawn from data seed {seed}; clean test set: {test}; " +
                $"784 pixels in [0, 1] per image, 10 classes{standardized}");
        }
        string split = d.TestPath is not null ? $"the test file {d.TestPath}" : $"the rest of the file after a train share of {value("data.train_fraction", d.TrainFraction.ToString("R", CultureInfo.InvariantCulture))}";
        string label = d.LabelColumn is not null ? $"column '{d.LabelColumn}'" : d.LabelIndex is int i ? $"column {i} (0-based)" : "the last column";
        string rows = d.SampleCount == DataSpec.WholePool ? "all training rows" : $"{value("data.sample_count", $"{d.SampleCount}")} training rows, stratified by class";
        string testRows = d.TestCount is int n ? $"{value("data.test_count", $"{n}")} rows of {split}" : split;
        return string.Create(CultureInfo.InvariantCulture,
            $"csv {d.Path}: {rows}, drawn from data seed {seed}; clean test set: {testRows}; labels in {label}{standardized}");
    }

    // Class c's name at position c: Fashion-MNIST's are fixed; a CSV file's come from its labels (numeric labels in
    // ascending order, otherwise ordinal string order), so the file is read to name them.
    private static string DescribeClasses(DataSpec d)
    {
        IEnumerable<string> names;
        try
        {
            names = d.Source == DataSpec.FashionMnistSource ? LabelFlip.Core.Data.FashionMnist.ClassNames : new DataPools().Load(d).ClassNames;
        }
        catch (DataSourceException e)
        {
            return $"unknown: {e.Message}";
        }
        return string.Join(", ", names.Select((name, c) => $"{c}: {name}"));
    }
}
