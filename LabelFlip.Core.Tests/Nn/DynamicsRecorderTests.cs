using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

public class DynamicsRecorderTests
{
    // A hand-checkable network: 2 inputs → 2 hidden units → 3 classes. Hidden unit 0 = relu(x0), unit 1 = relu(x1);
    // logits: class 0 = h0, class 1 = h1, class 2 = 0.5 (a bias only).
    private static Mlp SmallNetwork() => Mlp.FromLayers(2,
        [[1, 0, 0, 1], [1, 0, 0, 1, 0, 0]],
        [[0, 0], [0, 0, 0.5f]]);

    // Rows whose predicted class is plain: (2, 0) → 0, (0, 2) → 1, (0, 0) → 2, (1, 0.25) → 0, (0.2, 0.1) → 2.
    private static readonly float[] s_features = [2, 0, 0, 2, 0, 0, 1, 0.25f, 0.2f, 0.1f];

    [Fact]
    public void Group_accuracies_and_losses_match_a_plain_computation_on_a_small_case()
    {
        Mlp model = SmallNetwork();
        int[] noisy = [0, 2, 2, 1, 2];        // rows 1 and 3 flipped
        int[] truth = [0, 1, 2, 0, 2];
        var train = new Dataset(s_features, noisy, 2, 3);
        var test = new Dataset([2, 0, 0, 2, 0, 0, 3, 1], [0, 0, 2, 0], 2, 3); // 3 of 4 right
        var recorder = new DynamicsRecorder();
        recorder.Start(train, truth, test, recordEvery: 1, epochs: 1);
        Assert.True(recorder.EpochCompleted(1, model, 0.0));
        TrainingDynamics d = recorder.Result();

        // By hand: predictions 0, 1, 2, 0, 2. Clean rows 0, 2, 4 all right; flipped row 1 (noisy 2, true 1) predicted
        // 1: not memorised, truly right; flipped row 3 (noisy 1, true 0) predicted 0: not memorised, truly right.
        Assert.Equal([1], d.Epochs.ToArray());
        Assert.Equal([0.75], d.TestAccuracy.ToArray());
        Assert.Equal([1.0], d.CleanAccuracy.ToArray());
        Assert.Equal([0.0], d.MemorizationRate.ToArray());
        Assert.Equal([1.0], d.FlippedTrueAccuracy.ToArray());

        // The plain computation: every logit by loops, the loss as ln Σ exp(z) − z_y in double with Math's functions.
        double[] losses = [.. Enumerable.Range(0, 5).Select(r => Loss(PlainLogits(s_features[2 * r], s_features[2 * r + 1]), noisy[r]))];
        Assert.Equal((losses[0] + losses[2] + losses[4]) / 3, d.CleanLoss[0], 1e-14);
        Assert.Equal((losses[1] + losses[3]) / 2, d.FlippedLoss[0], 1e-14);
        // One value checked against arithmetic done on paper: row 1 is z = (0, 2, 0.5) against label 2.
        Assert.Equal(Math.Log(1 + Math.Exp(2) + Math.Exp(0.5)) - 0.5, losses[1], 1e-15);
    }

    [Fact]
    public void A_memorising_network_is_measured_against_the_noisy_labels()
    {
        Mlp model = SmallNetwork();
        int[] truth = [1, 0, 0, 1, 0];       // every row flipped to what the network predicts
        int[] noisy = [0, 1, 2, 0, 2];
        var train = new Dataset(s_features, noisy, 2, 3);
        var recorder = new DynamicsRecorder();
        recorder.Start(train, truth, train, recordEvery: 1, epochs: 1);
        recorder.EpochCompleted(1, model, 0.0);
        TrainingDynamics d = recorder.Result();
        Assert.False(d.HasCleanRows);
        Assert.True(d.CleanAccuracy.IsEmpty);
        Assert.True(d.CleanLoss.IsEmpty);
        Assert.Equal([1.0], d.MemorizationRate.ToArray());
        Assert.Equal([0.0], d.FlippedTrueAccuracy.ToArray());
    }

    [Theory]
    [InlineData(7, 3, new[] { 3, 6, 7 })]
    [InlineData(6, 3, new[] { 3, 6 })]
    [InlineData(5, 5, new[] { 5 })]
    [InlineData(4, 1, new[] { 1, 2, 3, 4 })]
    public void Epochs_m_2m_and_the_last_are_recorded(int epochs, int every, int[] expected)
    {
        Dataset train = NnTestData.StudyTrain();
        var recorder = new DynamicsRecorder();
        recorder.Start(train, train.Labels.AsSpan(), train, every, epochs);
        new MlpTrainer().Train(train, 8, new TrainingOptions { Epochs = epochs }, new RandomSource(3), recorder);
        TrainingDynamics d = recorder.Result();
        Assert.Equal(expected, d.Epochs.ToArray());
        Assert.Equal(expected.Length, DynamicsRecorder.RecordedEpochCount(epochs, every));
        Assert.Equal(expected.Length, d.TestAccuracy.Length);
        Assert.False(d.HasFlippedRows); // no label differs from the true one
    }

    [Fact]
    public void Recording_changes_no_bit_of_training_and_its_last_epoch_is_the_trained_network()
    {
        Dataset clean = NnTestData.StudyTrain();
        int[] noisy = clean.Labels.ToArray();
        for (int i = 0; i < noisy.Length; i += 3)
            noisy[i] = (noisy[i] + 1) % clean.ClassCount; // a third of the rows flipped
        Dataset train = clean.WithLabels(noisy);
        var options = new TrainingOptions { Epochs = 20, Momentum = 0.9 };
        TrainingResult plain = new MlpTrainer().Train(train, [16, 8], options, new RandomSource(11));
        var recorder = new DynamicsRecorder();
        recorder.Start(train, clean.Labels.AsSpan(), clean, 6, options.Epochs);
        TrainingResult recorded = new MlpTrainer().Train(train, [16, 8], options, new RandomSource(11), recorder);

        Assert.Equal(plain.Model.Parameters, recorded.Model.Parameters);
        Assert.Equal(plain.EpochLosses.ToArray(), recorded.EpochLosses.ToArray());
        TrainingDynamics d = recorder.Result();
        Assert.Equal([6, 12, 18, 20], d.Epochs.ToArray());
        int[] predicted = recorded.Model.Predict(train);
        int flipped = 0, memorised = 0, cleanRows = 0, cleanRight = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (noisy[i] != clean.Labels[i])
            {
                flipped++;
                memorised += predicted[i] == noisy[i] ? 1 : 0;
            }
            else
            {
                cleanRows++;
                cleanRight += predicted[i] == noisy[i] ? 1 : 0;
            }
        }
        Assert.Equal(recorded.Model.Accuracy(clean), d.TestAccuracy[^1]);
        Assert.Equal((double)memorised / flipped, d.MemorizationRate[^1]);
        Assert.Equal((double)cleanRight / cleanRows, d.CleanAccuracy[^1]);
    }

    [Fact]
    public void An_epoch_it_records_allocates_nothing_once_its_buffers_exist()
    {
        Dataset train = NnTestData.StudyTrain();
        Mlp model = Mlp.CreateInitialized(train.FeatureCount, 32, train.ClassCount, new RandomSource(1));
        var recorder = new DynamicsRecorder();
        recorder.Start(train, train.Labels.AsSpan(), train, 1, 3);
        recorder.EpochCompleted(1, model, 0); // grows the buffers
        long before = GC.GetAllocatedBytesForCurrentThread();
        recorder.EpochCompleted(2, model, 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Bad_arguments_name_their_parameter()
    {
        Dataset train = NnTestData.StudyTrain();
        var recorder = new DynamicsRecorder();
        Assert.Throws<ArgumentOutOfRangeException>("recordEvery", () => recorder.Start(train, train.Labels.AsSpan(), train, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>("recordEvery", () => recorder.Start(train, train.Labels.AsSpan(), train, 6, 5));
        Assert.Throws<ArgumentOutOfRangeException>("epochs", () => recorder.Start(train, train.Labels.AsSpan(), train, 1, 0));
        Assert.Throws<ArgumentException>("trueLabels", () => recorder.Start(train, train.Labels.AsSpan()[1..], train, 1, 5));
        var wide = new Dataset(new float[11], [0], 11, 5);
        Assert.Throws<ArgumentException>("test", () => recorder.Start(train, train.Labels.AsSpan(), wide, 1, 5));
        Assert.Throws<InvalidOperationException>(() => new DynamicsRecorder().EpochCompleted(1, SmallNetwork(), 0));
        recorder.Start(train, train.Labels.AsSpan(), train, 1, 5);
        Assert.Throws<ArgumentException>("model", () => recorder.EpochCompleted(1, SmallNetwork(), 0));
    }

    private static double[] PlainLogits(float x0, float x1)
    {
        double h0 = Math.Max(0, x0), h1 = Math.Max(0, x1);
        return [h0, h1, 0.5];
    }

    private static double Loss(double[] z, int label) => Math.Log(z.Sum(Math.Exp)) - z[label];
}
