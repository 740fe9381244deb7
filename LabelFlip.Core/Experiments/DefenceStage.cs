using LabelFlip.Core.Data;
using LabelFlip.Core.Detection;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The stage between poisoning and training: runs the run's detector on the poisoned rows, scores it against the
/// flipped rows and keeps the rows it did not flag (see <see cref="DefenceSpec"/> for the streams).
/// </summary>
internal static class DefenceStage
{
    private static readonly ulong s_defenceKey = StreamKey.Of("defence");

    /// <summary>Null for a run without a detector; else the kept rows and the detection's metrics.</summary>
    public static DefenceOutcome? Run(RunSpec run, Dataset poisoned, PoisonResult poison, MlpTrainer trainer, CancellationToken cancellationToken)
    {
        DefenceSpec d = run.Defence;
        if (d.Detector == DefenceSpec.NoDetector)
            return null;
        if (RunFields.CheckDefenceSize(run, poisoned.RowCount) is string problem)
            throw new ArgumentException(problem, nameof(run));
        ulong seed = RandomSource.DeriveSeed(run.Seed, s_defenceKey);
        DetectionResult detection = d.Detector switch
        {
            DefenceSpec.NearestNeighboursDetector => new NearestNeighbourDetector(d.K ?? NearestNeighbourDetector.DefaultNeighbourCount).Detect(poisoned),
            DefenceSpec.ConfidentLearningDetector => ConfidentLearning(run, poisoned, seed, trainer, cancellationToken),
            DefenceSpec.SmallLossDetector => SmallLoss(run, poisoned, seed, trainer, cancellationToken),
            DefenceSpec.RandomDetector => RandomDetector.Detect(poisoned.RowCount, poison.FlippedCount, new RandomSource(seed, StreamKey.Of(d.Detector))),
            DefenceSpec.OracleDetector => OracleDetector.Detect(poisoned.RowCount, poison.FlippedRows),
            _ => throw new ArgumentException($"defence.detector \"{d.Detector}\" is not one of {string.Join(", ", DefenceSpec.Detectors)}", nameof(run)),
        };
        int[] kept = detection.KeptRows();
        if (kept.Length == 0)
            throw new ArgumentException($"defence.detector \"{d.Detector}\" flagged all {poisoned.RowCount} training rows; none is left to train on", nameof(run));
        return new DefenceOutcome(poisoned.SelectRows(kept), DetectionQuality.Measure(detection, poison.FlippedRows.AsSpan()),
            detection.EstimatedNoiseRate, (double)poison.FlippedCount / poisoned.RowCount);
    }

    // Confident learning always seeds from (seed, "defence", "confident-learning"), so small-loss with its estimate
    // uses the very estimate the confident-learning detector makes in the same run.
    private static DetectionResult ConfidentLearning(RunSpec run, Dataset poisoned, ulong seed, MlpTrainer trainer, CancellationToken cancellationToken) =>
        new ConfidentLearning(run.Defence.Folds ?? Detection.ConfidentLearning.DefaultFoldCount, run.Model.HiddenWidths, run.Training.ToOptions())
            .Detect(poisoned, RandomSource.DeriveSeed(seed, StreamKey.Of(DefenceSpec.ConfidentLearningDetector)), trainer, cancellationToken).Detection;

    // The share flagged is poison.fraction, or confident learning's estimate, which the result then reports.
    private static DetectionResult SmallLoss(RunSpec run, Dataset poisoned, ulong seed, MlpTrainer trainer, CancellationToken cancellationToken)
    {
        DefenceSpec d = run.Defence;
        double? estimate = d.NoiseRate == DefenceSpec.ConfidentLearningNoiseRate
            ? ConfidentLearning(run, poisoned, seed, trainer, cancellationToken).EstimatedNoiseRate
            : null;
        DetectionResult found = new SmallLossDetector(d.WarmupEpochs ?? SmallLossDetector.DefaultWarmupEpochs, run.Model.HiddenWidths, run.Training.ToOptions())
            .Detect(poisoned, estimate ?? run.Poison.Fraction, new RandomSource(seed, StreamKey.Of(DefenceSpec.SmallLossDetector)), trainer, cancellationToken);
        return estimate is null ? found : new DetectionResult(found.Scores, found.FlaggedRows, estimate);
    }
}
