using LabelFlip.Core.Data;
using LabelFlip.Core.Detection;

namespace LabelFlip.Core.Experiments;

/// <summary>What the defence stage of a run did: the rows left to train on and how well it found the flips.</summary>
/// <param name="Kept">The training rows the detector did not flag, in their order.</param>
/// <param name="Quality">Precision, recall, F1 and AUROC against the flipped rows.</param>
/// <param name="EstimatedNoiseRate">The noise rate the detector estimated, or null.</param>
/// <param name="RealisedNoiseRate">Flipped rows ÷ training rows.</param>
internal sealed record DefenceOutcome(Dataset Kept, DetectionQuality Quality, double? EstimatedNoiseRate, double RealisedNoiseRate)
{
    /// <summary>Writes the defence's metrics into <paramref name="metrics"/> (in <see cref="RunMetrics.All"/> order).</summary>
    public void WriteTo(double?[] metrics)
    {
        metrics[RunMetrics.IndexOf(RunMetrics.DetectionPrecision)] = Quality.Precision;
        metrics[RunMetrics.IndexOf(RunMetrics.DetectionRecall)] = Quality.Recall;
        metrics[RunMetrics.IndexOf(RunMetrics.DetectionF1)] = Quality.F1;
        metrics[RunMetrics.IndexOf(RunMetrics.DetectionAuroc)] = Quality.Auroc;
        metrics[RunMetrics.IndexOf(RunMetrics.FlaggedCount)] = Quality.FlaggedCount;
        metrics[RunMetrics.IndexOf(RunMetrics.EstimatedNoiseRate)] = EstimatedNoiseRate;
        metrics[RunMetrics.IndexOf(RunMetrics.NoiseRateError)] = EstimatedNoiseRate - RealisedNoiseRate;
        metrics[RunMetrics.IndexOf(RunMetrics.KeptCount)] = Kept.RowCount;
    }
}
