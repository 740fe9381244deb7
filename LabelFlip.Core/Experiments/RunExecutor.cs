using System.Collections.Immutable;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>Trains and scores runs; one per worker thread, so its trainer's buffers are reused run after run.</summary>
internal sealed class RunExecutor
{
    private static readonly ulong s_poisonKey = StreamKey.Of("poison");
    private static readonly ulong s_trainingKey = StreamKey.Of("training");

    private readonly MlpTrainer _trainer = new();

    /// <summary>The run's metrics, in <see cref="RunMetrics.All"/> order.</summary>
    public ImmutableArray<double?> Execute(RunSpec run, RunData data, CancellationToken cancellationToken)
    {
        // The streams are named by the run's own parts: (seed, "poison", fraction) and (seed, "training").
        var poisonRandom = new RandomSource(RandomSource.DeriveSeed(run.Seed, s_poisonKey), StreamKey.Of(run.Poison.Fraction));
        PoisonedSplit poisoned = PoisonedSplit.Create(data.Split, new UniformLabelFlip(run.Poison.Fraction), poisonRandom);

        TrainingResult trained = _trainer.Train(poisoned.Train, run.Model.HiddenWidths, run.Training.ToOptions(),
            new RandomSource(run.Seed, s_trainingKey), cancellationToken);

        int[] predicted = trained.Model.Predict(poisoned.Train);
        ReadOnlySpan<int> labels = poisoned.Train.LabelSpan;
        ReadOnlySpan<int> clean = poisoned.CleanTrainLabels.AsSpan();
        int agreePoisoned = 0, agreeClean = 0, memorised = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            agreePoisoned += predicted[i] == labels[i] ? 1 : 0;
            agreeClean += predicted[i] == clean[i] ? 1 : 0;
        }
        foreach (int row in poisoned.FlippedRows)
            memorised += predicted[row] == labels[row] ? 1 : 0;

        double trainAccuracy = (double)agreePoisoned / predicted.Length;
        double testAccuracy = trained.Model.Accuracy(poisoned.Test);
        int flipped = poisoned.FlippedRows.Length;
        var metrics = new double?[RunMetrics.All.Length];
        metrics[RunMetrics.IndexOf(RunMetrics.TrainAccuracy)] = trainAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.TestAccuracy)] = testAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.TrainCleanAccuracy)] = (double)agreeClean / predicted.Length;
        metrics[RunMetrics.IndexOf(RunMetrics.GeneralizationGap)] = trainAccuracy - testAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)] = trained.FinalLoss;
        metrics[RunMetrics.IndexOf(RunMetrics.FlippedCount)] = flipped;
        metrics[RunMetrics.IndexOf(RunMetrics.MemorizationRate)] = flipped == 0 ? null : (double)memorised / flipped;
        metrics[RunMetrics.IndexOf(RunMetrics.ClassCount)] = poisoned.Train.ClassCount;
        return [.. metrics];
    }
}
