using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>The metrics every run record carries, in record order. Adding one here adds it to the run log,
/// <c>results.json</c>, <c>runs.csv</c> and <c>curves.csv</c>.</summary>
public static class RunMetrics
{
    /// <summary>Accuracy on the training rows against their poisoned labels.</summary>
    public static readonly RunMetric TrainAccuracy = new("train_accuracy", "accuracy on the training rows against their (poisoned) labels", 0, 1);

    /// <summary>Accuracy on the clean test rows.</summary>
    public static readonly RunMetric TestAccuracy = new("test_accuracy", "accuracy on the clean test rows", 0, 1);

    /// <summary>Accuracy on the training rows against their clean labels.</summary>
    public static readonly RunMetric TrainCleanAccuracy = new("train_clean_accuracy", "accuracy on the training rows against their clean labels", 0, 1);

    /// <summary>train_accuracy − test_accuracy.</summary>
    public static readonly RunMetric GeneralizationGap = new("generalization_gap", "train_accuracy − test_accuracy", -1, 1);

    /// <summary>Mean loss of the last epoch.</summary>
    public static readonly RunMetric FinalLoss = new("final_loss", "mean training loss (training.loss) of the last epoch", 0, double.MaxValue);

    /// <summary>Training labels flipped.</summary>
    public static readonly RunMetric FlippedCount = new("flipped_count", "training labels flipped", 0, int.MaxValue, IsInteger: true);

    /// <summary>Share of flipped rows predicted with their poisoned label.</summary>
    public static readonly RunMetric MemorizationRate = new("memorization_rate",
        "share of the flipped training rows predicted with their poisoned label (null when none was flipped)", 0, 1, IsOptional: true);

    /// <summary>Classes in the data: chance accuracy is 1/class_count.</summary>
    public static readonly RunMetric ClassCount = new("class_count", "classes in the data (chance accuracy = 1/class_count)", 2, int.MaxValue, IsInteger: true);

    /// <summary>Targeted noise with a source class: the share of the source class's clean test rows predicted as that class.</summary>
    public static readonly RunMetric SourceClassRecall = new("source_class_recall",
        "recall of poison.source_class on the clean test rows (null unless poison.model is \"targeted\" with a source class)", 0, 1, IsOptional: true);

    /// <summary>Early stopping: the last epoch trained (training.epochs when patience never ran out).</summary>
    public static readonly RunMetric StoppedEpoch = new("stopped_epoch",
        "the last epoch trained under early stopping (null without training.validation_fraction)", 1, int.MaxValue, IsInteger: true, IsOptional: true);

    /// <summary>Early stopping: the epoch of the best validation accuracy, whose network the run scores.</summary>
    public static readonly RunMetric BestEpoch = new("best_epoch",
        "the epoch of the best validation accuracy, whose network is scored (null without training.validation_fraction)", 1, int.MaxValue, IsInteger: true, IsOptional: true);

    /// <summary>Defence: flagged rows that were flipped ÷ flagged rows.</summary>
    public static readonly RunMetric DetectionPrecision = new("detection_precision",
        "share of the rows the detector flagged that were flipped (null without a detector or when it flagged none)", 0, 1, IsOptional: true);

    /// <summary>Defence: flipped rows that were flagged ÷ flipped rows.</summary>
    public static readonly RunMetric DetectionRecall = new("detection_recall",
        "share of the flipped rows the detector flagged (null without a detector or when none was flipped)", 0, 1, IsOptional: true);

    /// <summary>Defence: the harmonic mean of precision and recall.</summary>
    public static readonly RunMetric DetectionF1 = new("detection_f1",
        "harmonic mean of detection_precision and detection_recall (0 when both are 0; null when either is null)", 0, 1, IsOptional: true);

    /// <summary>Defence: the AUROC of the detector's suspicion scores against the flipped indicator.</summary>
    public static readonly RunMetric DetectionAuroc = new("detection_auroc",
        "area under the ROC curve of the detector's suspicion scores against the flipped rows, ties counting one half (null without a detector, or with no flipped or no clean row)", 0, 1, IsOptional: true);

    /// <summary>Defence: rows flagged.</summary>
    public static readonly RunMetric FlaggedCount = new("flagged_count",
        "training rows the detector flagged and removed (null without a detector)", 0, int.MaxValue, IsInteger: true, IsOptional: true);

    /// <summary>Defence: the share of flipped labels the detector estimated.</summary>
    public static readonly RunMetric EstimatedNoiseRate = new("estimated_noise_rate",
        "share of flipped training labels the detector estimated (confident learning, and small-loss with defence.noise_rate \"confident-learning\"; null otherwise)", 0, 1, IsOptional: true);

    /// <summary>Defence: estimated_noise_rate − flipped_count / training rows.</summary>
    public static readonly RunMetric NoiseRateError = new("noise_rate_error",
        "estimated_noise_rate − the realised rate flipped_count / training rows (null when nothing was estimated)", -1, 1, IsOptional: true);

    /// <summary>Defence: rows the final network trained on.</summary>
    public static readonly RunMetric KeptCount = new("kept_count",
        "training rows the network trained on after the detector's removals (null without a detector)", 0, int.MaxValue, IsInteger: true, IsOptional: true);

    /// <summary>The defence's metrics, all null for a run without a detector; logs written before them lack them.</summary>
    public static readonly ImmutableArray<RunMetric> Defence =
        [DetectionPrecision, DetectionRecall, DetectionF1, DetectionAuroc, FlaggedCount, EstimatedNoiseRate, NoiseRateError, KeptCount];

    /// <summary>Every metric, in record order.</summary>
    public static readonly ImmutableArray<RunMetric> All =
        [TrainAccuracy, TestAccuracy, TrainCleanAccuracy, GeneralizationGap, FinalLoss, FlippedCount, MemorizationRate, ClassCount, SourceClassRecall,
         StoppedEpoch, BestEpoch, .. Defence];

    /// <summary>The position of <paramref name="metric"/> in <see cref="All"/> (and in <see cref="RunRecord.Metrics"/>).</summary>
    public static int IndexOf(RunMetric metric) => All.IndexOf(metric);
}
