using System.Collections.Immutable;
using LabelFlip.Core.Data;
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
        (Dataset train, ImmutableArray<int> cleanTrainLabels, Dataset test, TrainingResult trained) =
            data.Streams == RunSpec.StudyStreams ? TrainWithStudyStreams(run, data, cancellationToken) : TrainWithOurStreams(run, data, cancellationToken);

        int[] predicted = trained.Model.Predict(train);
        ReadOnlySpan<int> labels = train.LabelSpan;
        ReadOnlySpan<int> clean = cleanTrainLabels.AsSpan();
        int agreePoisoned = 0, agreeClean = 0, flipped = 0, memorised = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            agreePoisoned += predicted[i] == labels[i] ? 1 : 0;
            agreeClean += predicted[i] == clean[i] ? 1 : 0;
            // A flip always changes the label, so the flipped rows are those whose label differs from the clean one.
            if (labels[i] != clean[i])
            {
                flipped++;
                memorised += predicted[i] == labels[i] ? 1 : 0;
            }
        }

        double trainAccuracy = (double)agreePoisoned / predicted.Length;
        double testAccuracy = trained.Model.Accuracy(test);
        var metrics = new double?[RunMetrics.All.Length];
        metrics[RunMetrics.IndexOf(RunMetrics.TrainAccuracy)] = trainAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.TestAccuracy)] = testAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.TrainCleanAccuracy)] = (double)agreeClean / predicted.Length;
        metrics[RunMetrics.IndexOf(RunMetrics.GeneralizationGap)] = trainAccuracy - testAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)] = trained.FinalLoss;
        metrics[RunMetrics.IndexOf(RunMetrics.FlippedCount)] = flipped;
        metrics[RunMetrics.IndexOf(RunMetrics.MemorizationRate)] = flipped == 0 ? null : (double)memorised / flipped;
        metrics[RunMetrics.IndexOf(RunMetrics.ClassCount)] = train.ClassCount;
        return [.. metrics];
    }

    // Ours: poison from (seed, "poison", fraction), initialisation and shuffles from (seed, "training").
    private (Dataset, ImmutableArray<int>, Dataset, TrainingResult) TrainWithOurStreams(RunSpec run, RunData data, CancellationToken cancellationToken)
    {
        var poisonRandom = new RandomSource(RandomSource.DeriveSeed(run.Seed, s_poisonKey), StreamKey.Of(run.Poison.Fraction));
        PoisonedSplit poisoned = PoisonedSplit.Create(data.Split!, new UniformLabelFlip(run.Poison.Fraction), poisonRandom);
        TrainingResult trained = _trainer.Train(poisoned.Train, run.Model.HiddenWidths, run.Training.ToOptions(),
            new RandomSource(run.Seed, s_trainingKey), cancellationToken);
        return (poisoned.Train, poisoned.CleanTrainLabels, poisoned.Test, trained);
    }

    // The study's: labels of the whole set flipped from RandomState(seed + int(1000·p)), then the split's training rows
    // in the study's order; torch.manual_seed(seed) for the layers; a torch.Generator seeded with seed for the shuffles.
    private (Dataset, ImmutableArray<int>, Dataset, TrainingResult) TrainWithStudyStreams(RunSpec run, RunData data, CancellationToken cancellationToken)
    {
        Dataset all = data.All!;
        StudySplit split = data.StudySplit!;
        PoisonResult poison = StudyLabelFlip.Poison(all.LabelSpan, all.ClassCount, run.Poison.Fraction, (long)run.Seed);
        Dataset train = split.SelectTrain(all.WithLabels(poison.Labels.AsSpan()));
        ImmutableArray<int> cleanTrainLabels = split.SelectTrain(all).Labels;

        int[] sizes = [all.FeatureCount, .. run.Model.HiddenWidths, all.ClassCount];
        TorchLinearParameters[] layers = TorchInitialization.Sequential(run.Seed, sizes);
        Mlp initial = Mlp.FromLayers(all.FeatureCount, [.. layers.Select(l => l.Weight.ToArray())], [.. layers.Select(l => l.Bias.ToArray())]);
        TrainingResult trained = _trainer.Train(train, initial, run.Training.ToOptions(), new TorchRandomSampler(train.RowCount, run.Seed), cancellationToken);
        return (train, cleanTrainLabels, data.CleanTest!, trained);
    }
}
