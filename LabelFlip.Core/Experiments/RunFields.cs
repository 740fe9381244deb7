using System.Collections.Frozen;
using System.Collections.Immutable;
using LabelFlip.Core.Nn.Kernels;
using static LabelFlip.Core.Experiments.JsonValues;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// Every field of a run, by JSON path, with the limits that the data generator and the network can really
/// honour: a config that passes these checks cannot fail later for its size.
/// </summary>
internal static class RunFields
{
    /// <summary>The largest data set generated: rows × features, so it stays within 1 GiB of float32.</summary>
    public const long MaxDataValues = 1L << 28;

    /// <summary>The largest network, in parameters (1 GiB of float32 with its gradient and momentum buffers).</summary>
    public const long MaxParameters = 1L << 26;

    /// <summary>The most hidden layers.</summary>
    public const int MaxDepth = 8;

    public const int MaxSampleCount = 10_000_000;
    public const int MaxFeatureCount = 1 << 16;
    public const int MaxClassCount = 1 << 12;
    public const int MaxHiddenWidth = 1 << 16;
    public const int MaxEpochs = 1_000_000;

    public static readonly RunField<string> DataSource = new("data.source",
        $"\"{DataSpec.GaussianClustersSource}\", \"{DataSpec.FashionMnistSource}\" or \"{DataSpec.CsvSource}\"",
        r => r.Data.Source, (r, v) => r with { Data = r.Data with { Source = v } },
        OneOf(DataSpec.GaussianClustersSource, DataSpec.FashionMnistSource, DataSpec.CsvSource), Write);

    public static readonly RunField<ulong> DataSeed = new("data.seed", "an integer in [0, 2^64)",
        r => r.Data.Seed, (r, v) => r with { Data = r.Data with { Seed = v } }, UInt64, Write);

    public static readonly RunField<int> SampleCount = new("data.sample_count",
        $"an integer in [4, {MaxSampleCount}], or {DataSpec.WholePool} for the whole pool of a file",
        r => r.Data.SampleCount, (r, v) => r with { Data = r.Data with { SampleCount = v } },
        (System.Text.Json.JsonElement e, out int v) => Integer(4, MaxSampleCount)(e, out v) || (Integer(0, 0)(e, out v)), Write);

    public static readonly RunField<int?> TestCount = new("data.test_count", $"an integer in [1, {MaxSampleCount}]",
        r => r.Data.TestCount, (r, v) => r with { Data = r.Data with { TestCount = v } }, Optional(Integer(1, MaxSampleCount)), Write,
        r => r.Data.TestCount is not null);

    public static readonly RunField<int> FeatureCount = new("data.feature_count", $"an integer in [1, {MaxFeatureCount}]",
        r => r.Data.FeatureCount, (r, v) => r with { Data = r.Data with { FeatureCount = v } }, Integer(1, MaxFeatureCount), Write,
        IsGenerated);

    public static readonly RunField<int> ClassCount = new("data.class_count", $"an integer in [2, {MaxClassCount}]",
        r => r.Data.ClassCount, (r, v) => r with { Data = r.Data with { ClassCount = v } }, Integer(2, MaxClassCount), Write,
        IsGenerated);

    public static readonly RunField<double> ClusterStd = new("data.cluster_std", "a finite number ≥ 0",
        r => r.Data.ClusterStd, (r, v) => r with { Data = r.Data with { ClusterStd = v } }, Number(v => v >= 0), Write,
        IsGenerated);

    public static readonly RunField<double> CenterSpread = new("data.center_spread", "a finite number ≥ 0",
        r => r.Data.CenterSpread, (r, v) => r with { Data = r.Data with { CenterSpread = v } }, Number(v => v >= 0), Write,
        IsGenerated);

    public static readonly RunField<double> TrainFraction = new("data.train_fraction", "a number in (0, 1)",
        r => r.Data.TrainFraction, (r, v) => r with { Data = r.Data with { TrainFraction = v } }, Number(v => v > 0 && v < 1), Write,
        r => r.Data.Source == DataSpec.GaussianClustersSource || (r.Data.Source == DataSpec.CsvSource && r.Data.TestPath is null));

    public static readonly RunField<string?> DataPath = new("data.path", "a non-empty string (a file or folder)",
        r => r.Data.Path, (r, v) => r with { Data = r.Data with { Path = v } }, Optional(NonEmptyString), WriteOptional,
        r => r.Data.Path is not null);

    public static readonly RunField<string?> TestPath = new("data.test_path", "a non-empty string (a CSV file)",
        r => r.Data.TestPath, (r, v) => r with { Data = r.Data with { TestPath = v } }, Optional(NonEmptyString), WriteOptional,
        r => r.Data.TestPath is not null);

    public static readonly RunField<string?> LabelColumn = new("data.label_column", "a non-empty string (a header name)",
        r => r.Data.LabelColumn, (r, v) => r with { Data = r.Data with { LabelColumn = v } }, Optional(NonEmptyString), WriteOptional,
        r => r.Data.LabelColumn is not null);

    public static readonly RunField<int?> LabelIndex = new("data.label_index", $"an integer in [0, {MaxFeatureCount}]",
        r => r.Data.LabelIndex, (r, v) => r with { Data = r.Data with { LabelIndex = v } }, Optional(Integer(0, MaxFeatureCount)), Write,
        r => r.Data.LabelIndex is not null);

    public static readonly RunField<bool> Standardize = new("data.standardize", "true or false",
        r => r.Data.Standardize, (r, v) => r with { Data = r.Data with { Standardize = v } }, Boolean, Write,
        r => r.Data.Standardize);

    public static readonly RunField<string> PoisonModel = new("poison.model",
        string.Join(", ", PoisonSpec.Models.Select(m => $"\"{m}\"")),
        r => r.Poison.Model, (r, v) => r with { Poison = r.Poison with { Model = v } }, OneOf([.. PoisonSpec.Models]), Write);

    public static readonly RunField<ImmutableArray<ImmutableArray<double>>> PoisonMatrix = new("poison.matrix",
        $"a list of k lists of k numbers in [0, 1] (k in [2, {MaxClassCount}]), row i the reported-label distribution of clean class i, or null",
        r => r.Poison.Matrix, (r, v) => r with { Poison = r.Poison with { Matrix = v } }, SquareMatrix(2, MaxClassCount), Write,
        r => !r.Poison.Matrix.IsDefaultOrEmpty);

    public static readonly RunField<int?> SourceClass = new("poison.source_class", $"an integer in [0, {MaxClassCount - 1}]",
        r => r.Poison.SourceClass, (r, v) => r with { Poison = r.Poison with { SourceClass = v } }, Optional(Integer(0, MaxClassCount - 1)), Write,
        r => r.Poison.SourceClass is not null);

    public static readonly RunField<int?> TargetClass = new("poison.target_class", $"an integer in [0, {MaxClassCount - 1}]",
        r => r.Poison.TargetClass, (r, v) => r with { Poison = r.Poison with { TargetClass = v } }, Optional(Integer(0, MaxClassCount - 1)), Write,
        r => r.Poison.TargetClass is not null);

    public static readonly RunField<double> PoisonFraction = new("poison.fraction", "a number in [0, 1]",
        r => r.Poison.Fraction, (r, v) => r with { Poison = r.Poison with { Fraction = v } }, Number(v => v <= 1 && v >= 0), Write);

    public static readonly RunField<ImmutableArray<int>> HiddenWidths = new("model.hidden_widths",
        $"a list of 1 to {MaxDepth} integers, each in [1, {MaxHiddenWidth}]",
        r => r.Model.HiddenWidths, (r, v) => r with { Model = r.Model with { HiddenWidths = v } },
        IntegerList(1, MaxDepth, 1, MaxHiddenWidth), Write);

    public static readonly RunField<int> Epochs = new("training.epochs", $"an integer in [1, {MaxEpochs}]",
        r => r.Training.Epochs, (r, v) => r with { Training = r.Training with { Epochs = v } }, Integer(1, MaxEpochs), Write);

    public static readonly RunField<double> LearningRate = new("training.learning_rate", "a finite number > 0",
        r => r.Training.LearningRate, (r, v) => r with { Training = r.Training with { LearningRate = v } }, Number(v => v > 0), Write);

    public static readonly RunField<int> BatchSize = new("training.batch_size", $"an integer in [1, {MaxSampleCount}]",
        r => r.Training.BatchSize, (r, v) => r with { Training = r.Training with { BatchSize = v } }, Integer(1, MaxSampleCount), Write);

    public static readonly RunField<double> Momentum = new("training.momentum", "a number in [0, 1)",
        r => r.Training.Momentum, (r, v) => r with { Training = r.Training with { Momentum = v } }, Number(v => v >= 0 && v < 1), Write);

    public static readonly RunField<double> WeightDecay = new("training.weight_decay", "a finite number ≥ 0",
        r => r.Training.WeightDecay, (r, v) => r with { Training = r.Training with { WeightDecay = v } }, Number(v => v >= 0), Write);

    public static readonly RunField<string> Loss = new("training.loss", string.Join(", ", TrainingSpec.Losses.Select(l => $"\"{l}\"")),
        r => r.Training.Loss, (r, v) => r with { Training = r.Training with { Loss = v } }, OneOf([.. TrainingSpec.Losses]), Write);

    // Robust training: the losses' parameters and early stopping. Each is optional and left out of the JSON when
    // unset, so no earlier run's fingerprint changes; each applies to its own loss only (CheckTraining).
    public static readonly RunField<double?> LabelSmoothing = new("training.label_smoothing", "a number in [0, 1]",
        r => r.Training.LabelSmoothing, (r, v) => r with { Training = r.Training with { LabelSmoothing = v } },
        Optional(Number(v => v >= 0 && v <= 1)), Write, r => r.Training.LabelSmoothing is not null);

    public static readonly RunField<double?> GceQ = new("training.gce_q", "a number in (0, 1]",
        r => r.Training.GceQ, (r, v) => r with { Training = r.Training with { GceQ = v } },
        Optional(Number(v => v > 0 && v <= 1)), Write, r => r.Training.GceQ is not null);

    public static readonly RunField<double?> SceAlpha = new("training.sce_alpha", "a finite number ≥ 0",
        r => r.Training.SceAlpha, (r, v) => r with { Training = r.Training with { SceAlpha = v } },
        Optional(Number(v => v >= 0)), Write, r => r.Training.SceAlpha is not null);

    public static readonly RunField<double?> SceBeta = new("training.sce_beta", "a finite number ≥ 0",
        r => r.Training.SceBeta, (r, v) => r with { Training = r.Training with { SceBeta = v } },
        Optional(Number(v => v >= 0)), Write, r => r.Training.SceBeta is not null);

    public static readonly RunField<double?> BootstrapBeta = new("training.bootstrap_beta", "a number in [0, 1]",
        r => r.Training.BootstrapBeta, (r, v) => r with { Training = r.Training with { BootstrapBeta = v } },
        Optional(Number(v => v >= 0 && v <= 1)), Write, r => r.Training.BootstrapBeta is not null);

    public static readonly RunField<double?> ValidationFraction = new("training.validation_fraction", "a number in (0, 1)",
        r => r.Training.ValidationFraction, (r, v) => r with { Training = r.Training with { ValidationFraction = v } },
        Optional(Number(v => v > 0 && v < 1)), Write, r => r.Training.ValidationFraction is not null);

    public static readonly RunField<int?> Patience = new("training.patience", $"an integer in [1, {MaxEpochs}]",
        r => r.Training.Patience, (r, v) => r with { Training = r.Training with { Patience = v } },
        Optional(Integer(1, MaxEpochs)), Write, r => r.Training.Patience is not null);

    // Learning dynamics: optional, and left out of the canonical JSON when unset, so no existing fingerprint changes.
    public static readonly RunField<int?> RecordEvery = new("training.record_every",
        $"an integer in [1, training.epochs] (at most {MaxEpochs}), or null for no recording",
        r => r.Training.RecordEvery, (r, v) => r with { Training = r.Training with { RecordEvery = v } },
        Optional(Integer(1, MaxEpochs)), Write, r => r.Training.RecordEvery is not null);

    /// <summary>Null when training.record_every fits training.epochs, else a sentence naming both.</summary>
    public static string? CheckRecording(RunSpec run) =>
        run.Training.RecordEvery is int every && every > run.Training.Epochs
            ? Invariant($"training.record_every must be an integer in [1, training.epochs] = [1, {run.Training.Epochs}]; got {every}")
            : null;

    // The defence part (DefenceSpec): a detector of "none" and unset options are not written, so runs without a
    // defence keep their canonical JSON and fingerprints.
    public const int MaxNeighbourCount = 10_000;
    public const int MaxFoldCount = 100;

    public static readonly RunField<string> Detector = new("defence.detector",
        string.Join(", ", DefenceSpec.Detectors.Select(d => $"\"{d}\"")),
        r => r.Defence.Detector, (r, v) => r with { Defence = r.Defence with { Detector = v } }, OneOf([.. DefenceSpec.Detectors]), Write,
        r => r.Defence.Detector != DefenceSpec.NoDetector);

    public static readonly RunField<int?> NeighbourCount = new("defence.k", $"an integer in [1, {MaxNeighbourCount}]",
        r => r.Defence.K, (r, v) => r with { Defence = r.Defence with { K = v } }, Optional(Integer(1, MaxNeighbourCount)), Write,
        r => r.Defence.K is not null);

    public static readonly RunField<int?> FoldCount = new("defence.folds", $"an integer in [2, {MaxFoldCount}]",
        r => r.Defence.Folds, (r, v) => r with { Defence = r.Defence with { Folds = v } }, Optional(Integer(2, MaxFoldCount)), Write,
        r => r.Defence.Folds is not null);

    public static readonly RunField<int?> WarmupEpochs = new("defence.warmup_epochs", $"an integer in [1, {MaxEpochs}]",
        r => r.Defence.WarmupEpochs, (r, v) => r with { Defence = r.Defence with { WarmupEpochs = v } }, Optional(Integer(1, MaxEpochs)), Write,
        r => r.Defence.WarmupEpochs is not null);

    public static readonly RunField<string?> NoiseRate = new("defence.noise_rate",
        string.Join(" or ", DefenceSpec.NoiseRates.Select(d => $"\"{d}\"")),
        r => r.Defence.NoiseRate, (r, v) => r with { Defence = r.Defence with { NoiseRate = v } }, Optional(OneOf([.. DefenceSpec.NoiseRates])), WriteOptional,
        r => r.Defence.NoiseRate is not null);

    public static readonly RunField<ulong> Seed = new("seed", "an integer in [0, 2^64)",
        r => r.Seed, (r, v) => r with { Seed = v }, UInt64, Write);

    public static readonly RunField<string> Streams = new("streams", $"\"{RunSpec.OurStreams}\" or \"{RunSpec.StudyStreams}\"",
        r => r.Streams, (r, v) => r with { Streams = v }, OneOf(RunSpec.OurStreams, RunSpec.StudyStreams), Write);

    /// <summary>Every field, in the order a run is written: data, poison, model, training, defence, seed, streams.</summary>
    public static readonly ImmutableArray<RunField> All =
    [
        DataSource, DataSeed, SampleCount, FeatureCount, ClassCount, ClusterStd, CenterSpread, TrainFraction,
        DataPath, TestPath, LabelColumn, LabelIndex, Standardize, TestCount,
        PoisonModel, PoisonFraction, PoisonMatrix, SourceClass, TargetClass,
        HiddenWidths,
        Epochs, LearningRate, BatchSize, Momentum, WeightDecay, Loss,
        RecordEvery,
        Detector, NeighbourCount, FoldCount, WarmupEpochs, NoiseRate,
        LabelSmoothing, GceQ, SceAlpha, SceBeta, BootstrapBeta, ValidationFraction, Patience,
        Seed, Streams,
    ];

    public static readonly FrozenDictionary<string, RunField> ByPath = All.ToFrozenDictionary(f => f.Path, StringComparer.Ordinal);

    /// <summary>The fields that only Gaussian clusters have: a file source must leave them at their defaults.</summary>
    private static readonly ImmutableArray<RunField> s_generatorFields = [FeatureCount, ClassCount, ClusterStd, CenterSpread];

    /// <summary>The fields that only file sources have: Gaussian clusters must leave them unset.</summary>
    private static readonly ImmutableArray<RunField> s_fileFields = [DataPath, TestPath, LabelColumn, LabelIndex, Standardize];

    /// <summary>The loss and its parameters, and early stopping's fields: the training fields whose combinations are checked.</summary>
    public static readonly FrozenSet<string> RobustTrainingPaths =
        new RunField[] { Loss, LabelSmoothing, GceQ, SceAlpha, SceBeta, BootstrapBeta, ValidationFraction, Patience }.Select(f => f.Path).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The parts of a run, as JSON objects, in order; <c>seed</c> is a field of the run itself.</summary>
    public static readonly ImmutableArray<string> Parts = ["data", "poison", "model", "training", "defence"];

    /// <summary>
    /// The checks that involve several fields; null when <paramref name="run"/> is valid, else a sentence naming
    /// the fields.
    /// </summary>
    public static string? CheckCombination(RunSpec run)
    {
        DataSpec d = run.Data;
        return CheckPoison(run) ?? CheckDefence(run) ?? CheckTraining(run) ?? (d.IsFile ? CheckFileSource(run) : CheckGenerated(run)) ?? CheckRecording(run);
    }

    // Each loss parameter with its own loss only; forward correction needs a noise model with a matrix; early stopping's
    // fields together, on our streams.
    private static string? CheckTraining(RunSpec run)
    {
        TrainingSpec t = run.Training;
        string loss = $"training.loss \"{t.Loss}\"";
        (RunField Field, bool Applies, string Owner)[] parameters =
        [
            (LabelSmoothing, t.Loss == Nn.LossFunction.LabelSmoothingName, $"\"{Nn.LossFunction.LabelSmoothingName}\""),
            (GceQ, t.Loss == Nn.LossFunction.GeneralizedCrossEntropyName, $"\"{Nn.LossFunction.GeneralizedCrossEntropyName}\""),
            (SceAlpha, t.Loss == Nn.LossFunction.SymmetricCrossEntropyName, $"\"{Nn.LossFunction.SymmetricCrossEntropyName}\""),
            (SceBeta, t.Loss == Nn.LossFunction.SymmetricCrossEntropyName, $"\"{Nn.LossFunction.SymmetricCrossEntropyName}\""),
            (BootstrapBeta, t.Loss is Nn.LossFunction.SoftBootstrappingName or Nn.LossFunction.HardBootstrappingName,
                $"\"{Nn.LossFunction.SoftBootstrappingName}\" and \"{Nn.LossFunction.HardBootstrappingName}\""),
        ];
        foreach ((RunField field, bool applies, string owner) in parameters)
        {
            if (!applies && !field.IsDefault(run))
                return $"{field.Path} applies to training.loss {owner} only, not to {loss}";
        }
        if (t.Loss == Nn.LossFunction.SymmetricCrossEntropyName && (t.SceAlpha ?? TrainingSpec.DefaultSceAlpha) == 0 && (t.SceBeta ?? TrainingSpec.DefaultSceBeta) == 0)
            return "training.sce_alpha and training.sce_beta are both 0; the symmetric cross-entropy needs one of them above 0";
        if (t.Loss == Nn.LossFunction.ForwardCorrectedName && run.Poison.Model == PoisonSpec.BoundaryModel)
            return $"{loss} corrects with the noise's transition matrix; poison.model \"{PoisonSpec.BoundaryModel}\" has none (its flips depend on the features)";
        if (t.Patience is not null && t.ValidationFraction is null)
            return "training.patience needs training.validation_fraction, the share of the training rows held out to pick the epoch";
        if (t.ValidationFraction is not null && t.RecordEvery is not null)
            return "training.record_every with training.validation_fraction is not supported: the dynamics would stop with the early stop; record without it";
        if (t.ValidationFraction is not null && run.Streams == RunSpec.StudyStreams)
            return $"training.validation_fraction holds rows out of the study's training set, which streams \"study\" cannot; use streams \"{RunSpec.OurStreams}\"";
        return null;
    }

    /// <summary>The validation rows early stopping holds out of <paramref name="trainRows"/>: round(n·f), halves to even;
    /// null when <paramref name="run"/> has no validation fraction. Throws when either side would be empty.</summary>
    public static int? ValidationCount(RunSpec run, int trainRows)
    {
        if (run.Training.ValidationFraction is not double fraction)
            return null;
        int count = (int)Math.Round(trainRows * fraction, MidpointRounding.ToEven);
        if (count < 1 || count > trainRows - 1)
            throw new ArgumentException(Invariant($"training.validation_fraction {fraction} holds out {count} of the {trainRows} training rows; both the validation and the training side need one at least"), nameof(run));
        return count;
    }

    // Each option only with its detector; sizes against the training rows where they are known before a file is read.
    private static string? CheckDefence(RunSpec run)
    {
        DefenceSpec d = run.Defence;
        string detector = $"defence.detector \"{d.Detector}\"";
        bool smallLoss = d.Detector == DefenceSpec.SmallLossDetector;
        if (d.K is not null && d.Detector != DefenceSpec.NearestNeighboursDetector)
            return $"defence.k applies to defence.detector \"{DefenceSpec.NearestNeighboursDetector}\" only, not to {detector}";
        if ((d.WarmupEpochs is not null || d.NoiseRate is not null) && !smallLoss)
            return $"{(d.WarmupEpochs is not null ? "defence.warmup_epochs" : "defence.noise_rate")} applies to defence.detector \"{DefenceSpec.SmallLossDetector}\" only, not to {detector}";
        if (d.Folds is not null && d.Detector != DefenceSpec.ConfidentLearningDetector && !(smallLoss && d.NoiseRate == DefenceSpec.ConfidentLearningNoiseRate))
            return $"defence.folds applies to defence.detector \"{DefenceSpec.ConfidentLearningDetector}\" (or \"{DefenceSpec.SmallLossDetector}\" with defence.noise_rate \"{DefenceSpec.ConfidentLearningNoiseRate}\") only, not to {detector}";
        if (d.Detector == DefenceSpec.NoDetector)
            return null;
        if (run.Streams == RunSpec.StudyStreams)
            return $"{detector} runs on our own streams only; streams \"study\" reproduce the study, which had no defence";
        if (run.Data.IsFile)
            return null;
        int rows = TrainingRowCount(run.Data);
        return CheckDefenceSize(run, rows);
    }

    /// <summary>Null when the detector's k and folds fit <paramref name="trainingRows"/>, else a sentence naming the field.</summary>
    public static string? CheckDefenceSize(RunSpec run, int trainingRows)
    {
        DefenceSpec d = run.Defence;
        if (d.Detector == DefenceSpec.NearestNeighboursDetector && (d.K ?? Detection.NearestNeighbourDetector.DefaultNeighbourCount) is int k && k >= trainingRows)
            return Invariant($"defence.k {k} must be below the {trainingRows} training rows (a row is not its own neighbour)");
        bool folds = d.Detector == DefenceSpec.ConfidentLearningDetector || (d.Detector == DefenceSpec.SmallLossDetector && d.NoiseRate == DefenceSpec.ConfidentLearningNoiseRate);
        if (folds && (d.Folds ?? Detection.ConfidentLearning.DefaultFoldCount) is int f && f > trainingRows)
            return Invariant($"defence.folds {f} must be at most the {trainingRows} training rows (one row per fold at least)");
        return null;
    }

    // The rows a generated data set trains on: all of them with data.test_count, else the split's share.
    private static int TrainingRowCount(DataSpec d) =>
        d.TestCount is not null ? d.SampleCount : (int)Math.Round(d.SampleCount * d.TrainFraction, MidpointRounding.ToEven);

    // The poison model's own fields; the class indices and the matrix size against a file's classes are checked when the
    // file is read (RunExecutor.CheckPoisonClasses).
    private static string? CheckPoison(RunSpec run)
    {
        PoisonSpec p = run.Poison;
        string model = $"poison.model \"{p.Model}\"";
        if (p.Model != PoisonSpec.UniformModel && run.Streams == RunSpec.StudyStreams)
            return $"streams \"study\" draw the study's uniform flips only; {model} needs streams \"{RunSpec.OurStreams}\"";
        if (p.Model == PoisonSpec.MatrixModel)
        {
            if (p.Matrix.IsDefaultOrEmpty)
                return $"{model} needs poison.matrix, a list of k lists of k probabilities (row i: how clean class i is reported)";
            if (Poisoning.TransitionMatrix.Problem([.. p.Matrix.Select(row => (IReadOnlyList<double>)row)]) is string problem)
                return $"poison.matrix: {problem}";
        }
        else if (!p.Matrix.IsDefaultOrEmpty)
            return $"poison.matrix applies to poison.model \"{PoisonSpec.MatrixModel}\" only, not to {model}";
        if (p.Model == PoisonSpec.TargetedModel)
        {
            if (p.TargetClass is not int target)
                return $"{model} needs poison.target_class, the class the flipped labels become";
            if (p.SourceClass == target)
                return Invariant($"poison.source_class and poison.target_class are both {target}; a class cannot be flipped to itself");
        }
        else if (p.TargetClass is not null || p.SourceClass is not null)
            return $"{(p.TargetClass is not null ? "poison.target_class" : "poison.source_class")} applies to poison.model \"{PoisonSpec.TargetedModel}\" only, not to {model}";
        // On a file source the boundary models read the reference network's softmax; on clusters, their exact posterior.
        if ((p.Model == PoisonSpec.BoundaryModel || p.Model == PoisonSpec.SoftBoundaryModel) && !run.Data.IsFile && !(run.Data.ClusterStd > 0))
            return $"{model} needs data.cluster_std > 0: with 0 the posterior is not defined between the clusters";
        return run.Data.IsFile ? null : CheckPoisonClasses(run, run.Data.ClassCount);
    }

    /// <summary>The poison's class indices and matrix size against the data's <paramref name="classCount"/>; null when they fit.</summary>
    public static string? CheckPoisonClasses(RunSpec run, int classCount)
    {
        PoisonSpec p = run.Poison;
        if (!p.Matrix.IsDefaultOrEmpty && p.Matrix.Length != classCount)
            return Invariant($"poison.matrix has {p.Matrix.Length} rows; the data has {classCount} classes");
        if (p.TargetClass is int target && target >= classCount)
            return Invariant($"poison.target_class {target} must be below the data's {classCount} classes");
        if (p.SourceClass is int source && source >= classCount)
            return Invariant($"poison.source_class {source} must be below the data's {classCount} classes");
        return null;
    }

    private static bool IsGenerated(RunSpec run) => !run.Data.IsFile;

    private static string? CheckFileSource(RunSpec run)
    {
        DataSpec d = run.Data;
        string source = $"data.source \"{d.Source}\"";
        if (s_generatorFields.FirstOrDefault(f => !f.IsDefault(run)) is RunField generatorOnly)
            return $"{generatorOnly.Path} applies to data.source \"{DataSpec.GaussianClustersSource}\" only; {source} takes it from the files";
        if (run.Streams == RunSpec.StudyStreams)
            return $"streams \"study\" draw Gaussian clusters the study's way; {source} needs streams \"{RunSpec.OurStreams}\"";
        if (d.Source == DataSpec.FashionMnistSource)
        {
            if (d.TestPath is not null || d.LabelColumn is not null || d.LabelIndex is not null)
                return $"data.test_path, data.label_column and data.label_index apply to data.source \"{DataSpec.CsvSource}\" only; Fashion-MNIST has its own test set and labels";
            if (!TrainFraction.IsDefault(run))
                return "data.train_fraction does not apply to Fashion-MNIST, whose official test set is the clean test set";
        }
        else
        {
            if (d.Path is null)
                return $"{source} needs data.path, the CSV file to read";
            if (d.LabelColumn is not null && d.LabelIndex is not null)
                return "give data.label_column (a header name) or data.label_index (0-based), not both";
            if (d.TestPath is not null && !TrainFraction.IsDefault(run))
                return "data.train_fraction splits a CSV file without data.test_path; with a test file it does not apply";
        }
        return null;
    }

    private static string? CheckGenerated(RunSpec run)
    {
        DataSpec d = run.Data;
        if (s_fileFields.FirstOrDefault(f => !f.IsDefault(run)) is RunField fileOnly)
            return $"{fileOnly.Path} applies to a file source (data.source \"{DataSpec.FashionMnistSource}\" or \"{DataSpec.CsvSource}\"), not to \"{DataSpec.GaussianClustersSource}\"";
        if (d.TestCount is int testCount)
        {
            if (run.Streams == RunSpec.StudyStreams)
                return "data.test_count draws a separate test set, which the study's streams do not have; use streams \"ours\"";
            if (!TrainFraction.IsDefault(run))
                return "data.train_fraction does not apply with data.test_count: every generated row trains and the test set is drawn apart";
            if ((long)testCount * d.FeatureCount > MaxDataValues)
                return Invariant($"data.test_count × data.feature_count must be at most {MaxDataValues} (1 GiB of float32); got {testCount} × {d.FeatureCount}");
        }
        if (d.SampleCount < 2 * d.ClassCount)
            return Invariant($"data.sample_count must be at least 2 × data.class_count = {2 * d.ClassCount}; got {d.SampleCount}");
        if ((long)d.SampleCount * d.FeatureCount > MaxDataValues)
            return Invariant($"data.sample_count × data.feature_count must be at most {MaxDataValues} (1 GiB of float32); got {d.SampleCount} × {d.FeatureCount}");
        int train = (int)Math.Round(d.SampleCount * d.TrainFraction, MidpointRounding.ToEven);
        if (d.TestCount is null && (train < 1 || train > d.SampleCount - 1))
            return Invariant($"data.train_fraction {d.TrainFraction} leaves {train} of data.sample_count = {d.SampleCount} rows for training; both sides need one at least");
        if (run.Streams == RunSpec.StudyStreams)
        {
            // NumPy's RandomState takes seeds in [0, 2^32 − 1]; the study's poison seed is seed + int(p · 1000).
            if (d.Seed > uint.MaxValue)
                return Invariant($"streams \"study\" draws the data from NumPy's RandomState, whose seed must be at most {uint.MaxValue}; data.seed is {d.Seed}");
            if (run.Seed > uint.MaxValue - 1000)
                return Invariant($"streams \"study\" poisons from RandomState(seed + int(1000 · poison.fraction)), so seed must be at most {uint.MaxValue - 1000}; got {run.Seed}");
        }
        return CheckNetworkSize(d.FeatureCount, run.Model.HiddenWidths, d.ClassCount);
    }

    /// <summary>Null when the network fits <see cref="MaxParameters"/>, else a sentence saying by how much it does not.
    /// A file's shape is known only once it is read, so its runs are checked then, with this same rule.</summary>
    public static string? CheckNetworkSize(int inputs, ImmutableArray<int> hiddenWidths, int classes)
    {
        long parameters = ParameterCount(inputs, hiddenWidths, classes);
        return parameters > MaxParameters
            ? Invariant($"the network {inputs}→{string.Join('→', hiddenWidths)}→{classes} has {parameters} parameters (with padding); at most {MaxParameters} are allowed")
            : null;
    }

    /// <summary>Parameters of a network, counting the lane padding of each hidden layer.</summary>
    public static long ParameterCount(int inputs, ImmutableArray<int> hiddenWidths, int classes)
    {
        long count = 0;
        long fanIn = inputs;
        foreach (int width in hiddenWidths)
        {
            count += (fanIn + 1) * MlpKernels.PadWidth(width);
            fanIn = width;
        }
        return count + (fanIn + 1) * classes;
    }
}
