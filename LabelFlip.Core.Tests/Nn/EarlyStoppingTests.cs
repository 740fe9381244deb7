using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

public class EarlyStoppingTests
{
    // One input x, one hidden unit relu(x), logits (t, relu(x)): class 1 exactly when x > t. On x = 1, 2, 3, 4 labelled
    // 0, 0, 1, 1 the accuracy is 1 at t = 2.5, 0.75 at t = 1.5 or 3.5, 0.5 at t = 0.5 or 10.
    private static Mlp Threshold(float t) => Mlp.FromLayers(1, [[1f], [0f, 1f]], [[0f], [t, 0f]]);

    private static readonly Dataset s_validation = new([1f, 2f, 3f, 4f], [0, 0, 1, 1], 1, 2);

    [Fact]
    public void It_keeps_the_best_validation_epoch_and_stops_after_patience_epochs_without_a_better_one()
    {
        // Accuracies by epoch: 0.5, 0.75, 0.75, 1, 0.75, 1 (a tie: not better), 0.5, …
        float[] thresholds = [0.5f, 1.5f, 3.5f, 2.5f, 1.5f, 2.5f, 10f, 2.5f];
        var stopping = new EarlyStopping(s_validation, patience: 3);
        var answers = new List<bool>();
        Mlp? best = null;
        for (int epoch = 1; epoch <= thresholds.Length; epoch++)
        {
            Mlp model = Threshold(thresholds[epoch - 1]);
            if (epoch == 4)
                best = model.Clone();
            bool goOn = stopping.EpochCompleted(epoch, model, meanLoss: 1.0 / epoch);
            answers.Add(goOn);
            if (!goOn)
                break;
        }
        Assert.Equal([true, true, true, true, true, true, false], answers);
        Assert.Equal(4, stopping.BestEpoch);
        Assert.Equal(1.0, stopping.BestAccuracy);
        Assert.Equal(7, stopping.LastEpoch);
        Assert.True(stopping.Stopped);
        Assert.Equal(NnTestData.Hash(best!), NnTestData.Hash(stopping.BestModel));
    }

    [Fact]
    public void Ties_keep_the_first_epoch_and_the_copy_does_not_follow_the_network()
    {
        var stopping = new EarlyStopping(s_validation, patience: 5);
        Mlp model = Threshold(2.5f);
        stopping.EpochCompleted(1, model, 0);
        ulong first = NnTestData.Hash(model);
        Mlp other = Threshold(2.6f); // the same accuracy, other weights
        stopping.EpochCompleted(2, other, 0);
        Assert.Equal(1, stopping.BestEpoch);
        Assert.Equal(first, NnTestData.Hash(stopping.BestModel));
    }

    // With patience beyond the epochs nothing stops: the run is the plain run bit for bit, and the kept epoch is the
    // first best of the validation accuracies a second, independent observer records.
    [Fact]
    public void Patience_beyond_the_epochs_trains_the_plain_runs_bits_and_keeps_the_best_epoch()
    {
        Dataset all = NnTestData.StudyTrain();
        Dataset train = all.SelectRows([.. Enumerable.Range(0, 250)]), validation = all.SelectRows([.. Enumerable.Range(250, all.RowCount - 250)]);
        var options = new TrainingOptions { Epochs = 30, LearningRate = 0.1 };
        TrainingResult plain = new MlpTrainer().Train(train, 16, options, new RandomSource(3));
        var stopping = new EarlyStopping(validation, patience: 31);
        var recorder = new Recorder(validation, stopping);
        TrainingResult watched = new MlpTrainer().Train(train, 16, options, new RandomSource(3), recorder);

        Assert.Equal(NnTestData.Hash(plain.Model), NnTestData.Hash(watched.Model));
        Assert.Equal(plain.EpochLosses.Select(BitConverter.DoubleToInt64Bits), watched.EpochLosses.Select(BitConverter.DoubleToInt64Bits));
        Assert.False(stopping.Stopped);
        Assert.Equal(30, stopping.LastEpoch);
        int best = recorder.Accuracies.IndexOf(recorder.Accuracies.Max()) + 1;
        Assert.Equal(best, stopping.BestEpoch);
        Assert.Equal(recorder.Hashes[best - 1], NnTestData.Hash(stopping.BestModel));
        Assert.True(recorder.Accuracies.Distinct().Count() > 1, "the accuracy must vary for the test to mean anything");
    }

    // A short patience: training stops patience epochs after the best, its losses the plain run's first epochs.
    [Fact]
    public void A_short_patience_stops_patience_epochs_after_the_best_with_the_plain_runs_first_epochs()
    {
        Dataset all = NnTestData.StudyTrain();
        Dataset train = all.SelectRows([.. Enumerable.Range(0, 250)]), validation = all.SelectRows([.. Enumerable.Range(250, all.RowCount - 250)]);
        var options = new TrainingOptions { Epochs = 200, LearningRate = 0.1 };
        TrainingResult plain = new MlpTrainer().Train(train, 16, options, new RandomSource(3));
        var stopping = new EarlyStopping(validation, patience: 2);
        TrainingResult stopped = new MlpTrainer().Train(train, 16, options, new RandomSource(3), stopping);
        Assert.True(stopping.Stopped);
        Assert.Equal(stopping.BestEpoch + 2, stopping.LastEpoch);
        Assert.Equal(stopping.LastEpoch, stopped.EpochLosses.Length);
        Assert.Equal(plain.EpochLosses.Take(stopping.LastEpoch).Select(BitConverter.DoubleToInt64Bits), stopped.EpochLosses.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("patience", () => new EarlyStopping(s_validation, 0));
        Assert.Throws<ArgumentException>("validation", () => new EarlyStopping(new Dataset([], [], 1, 2), 1));
        Assert.Throws<InvalidOperationException>(() => new EarlyStopping(s_validation, 1).BestModel);
    }

    private sealed class Recorder(Dataset validation, IEpochObserver inner) : IEpochObserver
    {
        public List<double> Accuracies { get; } = [];

        public List<ulong> Hashes { get; } = [];

        public bool EpochCompleted(int epoch, Mlp model, double meanLoss)
        {
            Accuracies.Add(model.Accuracy(validation));
            Hashes.Add(NnTestData.Hash(model));
            return inner.EpochCompleted(epoch, model, meanLoss);
        }
    }
}
