using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>A small training problem: data shape, hidden widths (1–3 layers) and options, all valid.</summary>
public sealed record TrainingCase(int Rows, int Features, int Classes, int[] Widths, TrainingOptions Options, ulong Seed)
{
    public Dataset Data() => GaussianClusters.Generate(Rows, Features, Classes, seed: Seed);

    /// <inheritdoc />
    public override string ToString() =>
        $"TrainingCase(n={Rows}, d={Features}, k={Classes}, h=[{string.Join(", ", Widths)}], epochs={Options.Epochs}, lr={Options.LearningRate}, " +
        $"batch={Options.BatchSize}, momentum={Options.Momentum}, wd={Options.WeightDecay}, seed={Seed})";
}

/// <summary>Generators for the network tests.</summary>
public static class NnGenerators
{
    /// <summary>Up to 150 rows, 1–12 features, 2–6 classes, 1–3 hidden layers of width 1–70 (mostly not multiples
    /// of 16), 1–3 epochs.</summary>
    public static Arbitrary<TrainingCase> TrainingCases() =>
        Arb.From(
            from classes in Gen.Choose(2, 6)
            from rows in Gen.Choose(classes, 150)
            from features in Gen.Choose(1, 12)
            from depth in Gen.Choose(1, 3)
            from widths in Gen.ArrayOf(Gen.OneOf(Gen.Choose(1, 70), Gen.Elements(16, 32, 48)), depth)
            from epochs in Gen.Choose(1, 3)
            from batch in Gen.OneOf(Gen.Choose(1, 40), Gen.Elements(64, 200))
            from rate in Gen.Elements(0.01, 0.05, 0.3)
            from momentum in Gen.Elements(0.0, 0.0, 0.9)
            from decay in Gen.Elements(0.0, 0.0, 1e-3)
            from seed in Gen.Choose(0, int.MaxValue)
            select new TrainingCase(rows, features, classes, widths,
                new TrainingOptions { Epochs = epochs, BatchSize = batch, LearningRate = rate, Momentum = momentum, WeightDecay = decay },
                (ulong)seed));
}

[Properties(Arbitrary = [typeof(NnGenerators)])]
public class MlpTrainerTests
{
    [Property(MaxTest = 40)]
    public Property Vectorised_training_equals_the_scalar_reference_bit_for_bit(TrainingCase testCase)
    {
        Dataset data = testCase.Data();
        ReferenceRun reference = MlpReference.Train(data, testCase.Widths, testCase.Options, new RandomSource(testCase.Seed));
        try
        {
            TrainingResult result = new MlpTrainer().Train(data, testCase.Widths, testCase.Options, new RandomSource(testCase.Seed));
            return SameBits(result, reference);
        }
        catch (TrainingDivergedException)
        {
            // Some generated cases (a high rate with momentum) really diverge: then the reference must diverge too.
            return Diverged(reference).Label("the reference diverges too");
        }
    }

    private static bool Diverged(ReferenceRun reference) =>
        reference.EpochLosses.Any(l => !double.IsFinite(l)) ||
        reference.Weights.Concat(reference.Biases).Any(layer => layer.Any(w => !float.IsFinite(w)));

    // Another start and another order: the reference trains the same given weights with the same given orders.
    [Property(MaxTest = 20)]
    public Property Training_a_given_network_with_a_given_order_equals_the_reference(TrainingCase testCase)
    {
        Dataset data = testCase.Data();
        Mlp initial = Mlp.CreateInitialized(data.FeatureCount, testCase.Widths, data.ClassCount, new RandomSource(testCase.Seed + 1));
        ulong before = NnTestData.Hash(initial);
        var order = new RotatingOrder();
        float[][] layers = NnTestData.Layers(initial);
        ReferenceRun reference = MlpReference.Train(data, [.. layers.Where((_, i) => i % 2 == 0)], [.. layers.Where((_, i) => i % 2 == 1)],
            testCase.Options, new RotatingOrder().NextEpoch);
        TrainingResult result;
        try
        {
            result = new MlpTrainer().Train(data, initial, testCase.Options, order);
        }
        catch (TrainingDivergedException)
        {
            return Diverged(reference).Label("the reference diverges too");
        }
        return SameBits(result, reference)
            .And((NnTestData.Hash(initial) == before).Label("the initial network is not changed"))
            .And((order.Epochs == testCase.Options.Epochs).Label("one call per epoch"));
    }

    /// <summary>Epoch e visits the rows rotated by e·7, in reverse: deterministic, different every epoch.</summary>
    private sealed class RotatingOrder : IEpochOrder
    {
        public int Epochs { get; private set; }

        public void NextEpoch(Span<int> order)
        {
            for (int i = 0; i < order.Length; i++)
                order[i] = (order.Length - 1 - i + Epochs * 7) % order.Length;
            Epochs++;
        }

        public void NextEpoch(int[] order) => NextEpoch(order.AsSpan());
    }

    private static Property SameBits(TrainingResult result, ReferenceRun reference)
    {
        Mlp model = result.Model;
        Property property = (model.LayerCount == reference.Weights.Length).Label("layer count");
        for (int l = 0; l < Math.Min(model.LayerCount, reference.Weights.Length); l++)
        {
            property = property
                .And(Bits(model.GetWeights(l)).SequenceEqual(Bits(reference.Weights[l])).Label($"W{l}"))
                .And(Bits(model.GetBiases(l)).SequenceEqual(Bits(reference.Biases[l])).Label($"b{l}"));
        }
        return property.And(result.EpochLosses.SequenceEqual(reference.EpochLosses).Label("epoch losses"));
    }

    [Theory]
    [InlineData(new[] { 100, 37 })]
    [InlineData(new[] { 64, 64, 64 })]
    public void A_study_sized_deeper_run_equals_the_reference(int[] widths)
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 3, Momentum = 0.9, WeightDecay = 1e-3 };
        TrainingResult result = new MlpTrainer().Train(train, widths, options, new RandomSource(6, StreamKey.Of("training")));
        ReferenceRun reference = MlpReference.Train(train, widths, options, new RandomSource(6, StreamKey.Of("training")));
        Assert.Equal(reference.Hash(), NnTestData.Hash(result.Model));
        Assert.Equal(reference.EpochLosses, result.EpochLosses.ToArray());
    }

    [Fact]
    public void One_width_in_a_list_and_a_given_initial_network_give_the_bits_of_the_width_overload()
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 3, BatchSize = 50 };
        TrainingResult byWidth = new MlpTrainer().Train(train, 40, options, new RandomSource(3));
        TrainingResult byList = new MlpTrainer().Train(train, [40], options, new RandomSource(3));
        var random = new RandomSource(3);
        Mlp initial = Mlp.CreateInitialized(train.FeatureCount, 40, train.ClassCount, random);
        TrainingResult byInitial = new MlpTrainer().Train(train, initial, options, new ShuffledEpochOrder(random));
        Assert.Equal(NnTestData.Hash(byWidth.Model), NnTestData.Hash(byList.Model));
        Assert.Equal(NnTestData.Hash(byWidth.Model), NnTestData.Hash(byInitial.Model));
        Assert.Equal(byWidth.EpochLosses.ToArray(), byInitial.EpochLosses.ToArray());
        Assert.NotSame(initial, byInitial.Model);
    }

    [Fact]
    public void An_epoch_order_that_is_not_a_permutation_is_refused()
    {
        Dataset train = NnTestData.StudyTrain();
        Mlp initial = Mlp.CreateInitialized(train.FeatureCount, 8, train.ClassCount, new RandomSource(1));
        var trainer = new MlpTrainer();
        var options = new TrainingOptions { Epochs = 2 };
        Assert.Throws<ArgumentException>("epochOrder", () => trainer.Train(train, initial, options, new FixedOrder(o => o.Clear())));
        Assert.Throws<ArgumentException>("epochOrder", () => trainer.Train(train, initial, options, new FixedOrder(o => o.Fill(-1))));
        Assert.Throws<ArgumentException>("epochOrder", () => trainer.Train(train, initial, options, new FixedOrder(o =>
        {
            for (int i = 0; i < o.Length; i++) o[i] = i + 1;
        })));
    }

    private sealed class FixedOrder(SpanAction fill) : IEpochOrder
    {
        public void NextEpoch(Span<int> order) => fill(order);
    }

    private delegate void SpanAction(Span<int> order);

    [Fact]
    public void A_study_sized_run_at_a_width_not_a_multiple_of_16_equals_the_reference()
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 4 };
        TrainingResult result = new MlpTrainer().Train(train, 100, options, new RandomSource(5, StreamKey.Of("training")));
        ReferenceRun reference = MlpReference.Train(train, 100, options, new RandomSource(5, StreamKey.Of("training")));
        Assert.Equal(reference.Hash(), NnTestData.Hash(result.Model));
        Assert.Equal(reference.EpochLosses, result.EpochLosses.ToArray());
    }

    // Widths whose rows take an extra block of padding (MlpKernels.PadWidth): in the first layer, in a second one,
    // and above a padded layer, the padding must stay invisible.
    [Theory]
    [InlineData(new[] { 1_024 })]
    [InlineData(new[] { 20, 2_048 })]
    [InlineData(new[] { 1_024, 24 })]
    public void A_run_whose_rows_take_an_extra_block_of_padding_equals_the_reference(int[] widths)
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 2 };
        TrainingResult result = new MlpTrainer().Train(train, widths, options, new RandomSource(8, StreamKey.Of("training")));
        ReferenceRun reference = MlpReference.Train(train, widths, options, new RandomSource(8, StreamKey.Of("training")));
        Assert.Equal(reference.Hash(), NnTestData.Hash(result.Model));
        Assert.Equal(reference.EpochLosses, result.EpochLosses.ToArray());
    }

    // Pins the arithmetic: any change of summation order, fusion, exp, shuffle or draw order changes these bits.
    // The value was produced by this implementation and equals MlpReference's (checked by the tests above).
    [Fact]
    public void A_fixed_small_training_has_the_pinned_weights()
    {
        TrainingResult result = GoldenRun();
        Assert.Equal(GoldenHash, NnTestData.Hash(result.Model));
    }

    internal const ulong GoldenHash = 10515796043918744899UL;

    internal static TrainingResult GoldenRun() =>
        new MlpTrainer().Train(NnTestData.StudyTrain(), 40, new TrainingOptions { Epochs = 10 }, new RandomSource(2026, StreamKey.Of("training")));

    [Fact]
    public void A_separable_problem_is_learned_to_full_training_accuracy()
    {
        // Two tight clusters far apart (spread 10, std 0.5): linearly separable.
        Dataset data = GaussianClusters.Generate(200, 4, 3, clusterStd: 0.5, centerSpread: 10, seed: 3);
        TrainingResult result = new MlpTrainer().Train(data, 16, new TrainingOptions { Epochs = 100 }, new RandomSource(1));
        Assert.Equal(1.0, result.Model.Accuracy(data));
    }

    [Fact]
    public void Loss_decreases_on_the_study_data()
    {
        Dataset train = NnTestData.StudyTrain();
        TrainingResult result = new MlpTrainer().Train(train, 64, new TrainingOptions(), new RandomSource(1, StreamKey.Of("training")));
        Assert.Equal(200, result.EpochLosses.Length);
        Assert.Equal(result.EpochLosses[^1], result.FinalLoss);
        Assert.True(result.FinalLoss < 0.6 * result.EpochLosses[0], $"first {result.EpochLosses[0]}, last {result.FinalLoss}");
        // Smoothed: the mean of the last 20 epochs is below that of the 20 before them.
        Assert.True(result.EpochLosses.Skip(180).Average() < result.EpochLosses.Skip(160).Take(20).Average());
        Assert.True(result.Model.Accuracy(train) > 0.6);
    }

    [Theory]
    [InlineData(new[] { 128 })]
    [InlineData(new[] { 128, 128 })]
    [InlineData(new[] { 64, 64, 64 })]
    public void Training_allocates_nothing_per_epoch(int[] widths)
    {
        Dataset train = NnTestData.StudyTrain();
        var trainer = new MlpTrainer();
        TrainingResult warm = trainer.Train(train, widths, new TrainingOptions { Epochs = 2 }, new RandomSource(1)); // buffers and JIT warm
        Mlp initial = warm.Model;
        trainer.Train(train, initial, new TrainingOptions { Epochs = 2 }, new ShuffledEpochOrder(new RandomSource(2)));

        long Allocated(int epochs, bool given)
        {
            var options = new TrainingOptions { Epochs = epochs };
            long before = GC.GetAllocatedBytesForCurrentThread();
            if (given)
                trainer.Train(train, initial, options, new ShuffledEpochOrder(new RandomSource(2)));
            else
                trainer.Train(train, widths, options, new RandomSource(1));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // A whole run allocates only the result: model, parameters, losses (and small objects of fixed size).
        long parameterBytes = initial.Parameters.Length * sizeof(float);
        foreach (bool given in new[] { false, true })
        {
            // The runtime may allocate once on this thread while a run is measured (code that tiered compilation
            // replaced in the background is first entered then, and that timing depends on the machine's load), so
            // each measurement is taken up to three times: an allocation per epoch shows in every one of them.
            long one = 0, many = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                one = Allocated(1, given);
                many = Allocated(41, given);
                if (many - one == 40 * sizeof(double))
                    break;
            }
            // The only thing that grows with the epochs is the array of epoch losses: 8 bytes per epoch.
            Assert.Equal(40 * sizeof(double), many - one);
            Assert.True(one < parameterBytes + 2048, $"{one} bytes for {parameterBytes} bytes of parameters");
        }
    }

    [Fact]
    public void A_reused_trainer_gives_the_same_bits_as_a_fresh_one()
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 3, Momentum = 0.9 };
        var reused = new MlpTrainer();
        reused.Train(train, 128, options, new RandomSource(9));
        reused.Train(train, 20, options with { BatchSize = 7 }, new RandomSource(9));
        reused.Train(train, [16, 100, 24], options with { BatchSize = 7 }, new RandomSource(9));
        TrainingResult again = reused.Train(train, 48, options, new RandomSource(9));
        TrainingResult fresh = new MlpTrainer().Train(train, 48, options, new RandomSource(9));
        Assert.Equal(NnTestData.Hash(fresh.Model), NnTestData.Hash(again.Model));
        Assert.Equal(fresh.EpochLosses.ToArray(), again.EpochLosses.ToArray());
    }

    [Fact]
    public void Runs_on_several_threads_give_the_same_bits_as_one_after_another()
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 3 };
        int[][] widths = [[32], [64], [100], [128], [7], [48], [64, 64], [20, 33, 16]];
        ulong Run(MlpTrainer trainer, int i) =>
            NnTestData.Hash(trainer.Train(train, widths[i], options, new RandomSource((ulong)i, StreamKey.Of("training"))).Model);

        var sequentialTrainer = new MlpTrainer();
        ulong[] sequential = Enumerable.Range(0, widths.Length).Select(i => Run(sequentialTrainer, i)).ToArray();
        ulong[] parallel = new ulong[widths.Length];
        Parallel.For(0, widths.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, () => new MlpTrainer(),
            (i, _, trainer) => { parallel[i] = Run(trainer, i); return trainer; }, _ => { });
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void Initialisation_draws_in_the_documented_order_and_range()
    {
        var model = Mlp.CreateInitialized(3, 5, 2, new RandomSource(77));
        var random = new RandomSource(77);
        float b1 = (float)(1 / Math.Sqrt(3)), b2 = (float)(1 / Math.Sqrt(5));
        float[] Draw(int count, float bound) => Enumerable.Range(0, count).Select(_ => random.NextSingle(-bound, bound)).ToArray();
        Assert.Equal(Draw(15, b1), model.GetHiddenWeights());
        Assert.Equal(Draw(5, b1), model.GetHiddenBiases());
        Assert.Equal(Draw(10, b2), model.GetOutputWeights());
        Assert.Equal(Draw(2, b2), model.GetOutputBiases());
        Assert.Equal((3, 5, 2), (model.InputCount, model.HiddenWidth, model.ClassCount));
    }

    [Fact]
    public void Deeper_initialisation_draws_layer_by_layer_with_each_fan_in()
    {
        var model = Mlp.CreateInitialized(3, [5, 17, 4], 2, new RandomSource(78));
        var random = new RandomSource(78);
        float[] Draw(int count, int fanIn)
        {
            float bound = (float)(1 / Math.Sqrt(fanIn));
            return Enumerable.Range(0, count).Select(_ => random.NextSingle(-bound, bound)).ToArray();
        }
        int[] sizes = [3, 5, 17, 4, 2];
        for (int l = 0; l < 4; l++)
        {
            Assert.Equal(Draw(sizes[l + 1] * sizes[l], sizes[l]), model.GetWeights(l));
            Assert.Equal(Draw(sizes[l + 1], sizes[l]), model.GetBiases(l));
        }
        Assert.Equal([5, 17, 4], model.HiddenWidths.ToArray());
        Assert.Equal((3, 4, 5, 2), (model.HiddenLayerCount, model.LayerCount, model.HiddenWidth, model.ClassCount));
        Assert.Equal(model.GetWeights(0), model.GetHiddenWeights());
        Assert.Equal(model.GetBiases(3), model.GetOutputBiases());
    }

    [Fact]
    public void A_huge_learning_rate_reports_divergence_with_its_epoch()
    {
        var exception = Assert.Throws<TrainingDivergedException>(() =>
            new MlpTrainer().Train(NnTestData.StudyTrain(), 64, new TrainingOptions { LearningRate = 1000 }, new RandomSource(1)));
        Assert.InRange(exception.Epoch, 1, 200);
        Assert.Contains($"epoch {exception.Epoch}", exception.Message);
    }

    [Fact]
    public void An_observer_that_only_reads_sees_every_epoch_and_changes_no_bit()
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 12 };
        TrainingResult plain = new MlpTrainer().Train(train, 16, options, new RandomSource(5));
        var observer = new RecordingObserver(stopAfter: int.MaxValue);
        TrainingResult observed = new MlpTrainer().Train(train, 16, options, new RandomSource(5), observer);

        Assert.Equal(Enumerable.Range(1, 12), observer.Epochs);
        Assert.Equal(plain.EpochLosses, observer.Losses);
        Assert.Equal(plain.Model.Parameters.ToArray(), observed.Model.Parameters.ToArray());
        // The network the observer saw after the last epoch is the one returned.
        Assert.Equal(observed.Model.Parameters.ToArray(), observer.LastParameters);
    }

    [Fact]
    public void An_observer_stops_training_after_the_epoch_it_declines_and_the_result_is_that_epochs_network()
    {
        Dataset train = NnTestData.StudyTrain();
        TrainingResult five = new MlpTrainer().Train(train, 16, new TrainingOptions { Epochs = 5 }, new RandomSource(5));
        var observer = new RecordingObserver(stopAfter: 5);
        TrainingResult stopped = new MlpTrainer().Train(train, 16, new TrainingOptions { Epochs = 40 }, new RandomSource(5), observer);

        Assert.Equal(5, stopped.EpochLosses.Length);
        Assert.Equal(five.EpochLosses.ToArray(), stopped.EpochLosses.ToArray());
        Assert.Equal(five.Model.Parameters.ToArray(), stopped.Model.Parameters.ToArray());
    }

    private sealed class RecordingObserver(int stopAfter) : IEpochObserver
    {
        public List<int> Epochs { get; } = [];
        public List<double> Losses { get; } = [];
        public float[] LastParameters { get; private set; } = [];

        public bool EpochCompleted(int epoch, Mlp model, double meanLoss)
        {
            Epochs.Add(epoch);
            Losses.Add(meanLoss);
            LastParameters = model.Parameters.ToArray();
            return epoch < stopAfter;
        }
    }

    [Fact]
    public void Cancellation_is_honoured_between_epochs()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new MlpTrainer().Train(NnTestData.StudyTrain(), 8, new TrainingOptions(), new RandomSource(1), cancellationToken: source.Token));
    }

    [Fact]
    public void Bad_arguments_name_their_parameter()
    {
        Dataset train = NnTestData.StudyTrain();
        var trainer = new MlpTrainer();
        var options = new TrainingOptions();
        Assert.Throws<ArgumentOutOfRangeException>("hiddenWidth", () => trainer.Train(train, 0, options, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("hiddenWidth", () => trainer.Train(train, -3, options, new RandomSource(1)));
        Assert.Throws<ArgumentNullException>("train", () => trainer.Train(null!, 8, options, new RandomSource(1)));
        Assert.Throws<ArgumentNullException>("options", () => trainer.Train(train, 8, null!, new RandomSource(1)));
        Assert.Throws<ArgumentNullException>("random", () => trainer.Train(train, 8, options, null!));
        Assert.Throws<ArgumentException>("hiddenWidths", () => trainer.Train(train, Array.Empty<int>(), options, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("hiddenWidths", () => trainer.Train(train, [8, 0], options, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("hiddenWidths", () => trainer.Train(train, [8, Mlp.MaxWidth + 1], options, new RandomSource(1)));
        Assert.Throws<ArgumentNullException>("hiddenWidths", () => trainer.Train(train, (int[])null!, options, new RandomSource(1)));
        Mlp other = Mlp.CreateInitialized(train.FeatureCount + 1, 8, train.ClassCount, new RandomSource(1));
        Assert.Throws<ArgumentException>("initial", () => trainer.Train(train, other, options, new ShuffledEpochOrder(new RandomSource(1))));
        Assert.Throws<ArgumentNullException>("initial", () => trainer.Train(train, (Mlp)null!, options, new ShuffledEpochOrder(new RandomSource(1))));
        Assert.Throws<ArgumentNullException>("epochOrder", () => trainer.Train(train, other, options, null!));
        Assert.Throws<ArgumentNullException>("random", () => new ShuffledEpochOrder(null!));

        // Datasets that bypass the public constructor's checks are still refused.
        var nonFinite = new Dataset([1f, float.NaN, 0f, 1f], [0, 1], 2, 2, validate: false);
        Assert.Throws<ArgumentException>("train", () => trainer.Train(nonFinite, 8, options, new RandomSource(1)));
        var badLabel = new Dataset([1f, 2f, 0f, 1f], [0, 2], 2, 2, validate: false);
        Assert.Throws<ArgumentOutOfRangeException>("train", () => trainer.Train(badLabel, 8, options, new RandomSource(1)));
        var empty = new Dataset([], [], 2, 2, validate: false);
        Assert.Throws<ArgumentException>("train", () => trainer.Train(empty, 8, options, new RandomSource(1)));
        // The public constructor refuses a feature/label shape mismatch.
        Assert.Throws<ArgumentException>("features", () => new Dataset([1f, 2f, 3f], [0, 1], 2, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Options_refuse_counts_below_one(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>("Epochs", () => new TrainingOptions { Epochs = value });
        Assert.Throws<ArgumentOutOfRangeException>("BatchSize", () => new TrainingOptions { BatchSize = value });
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Options_refuse_a_learning_rate_that_is_not_positive_and_finite(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>("LearningRate", () => new TrainingOptions { LearningRate = value });

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Options_refuse_momentum_outside_zero_to_one(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>("Momentum", () => new TrainingOptions { Momentum = value });

    [Theory]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Options_refuse_negative_or_non_finite_weight_decay(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>("WeightDecay", () => new TrainingOptions { WeightDecay = value });

    [Fact]
    public void Options_default_to_the_study()
    {
        var options = new TrainingOptions();
        Assert.Equal((200, 0.05, 64, 0.0, 0.0), (options.Epochs, options.LearningRate, options.BatchSize, options.Momentum, options.WeightDecay));
    }

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();
}
