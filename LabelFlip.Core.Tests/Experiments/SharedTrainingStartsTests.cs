using LabelFlip.Core.Data;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Experiments;

/// <summary>
/// The runs of one data part share their initial network and epoch orders (<see cref="SharedTrainingStarts"/>) and
/// still train the bits each would train alone, with our streams and with the study's.
/// </summary>
public class SharedTrainingStartsTests
{
    private static readonly RunSpec Small = new()
    {
        Data = new DataSpec { SampleCount = 150, ClassCount = 3, FeatureCount = 6, Seed = 4 },
        Training = new TrainingSpec { Epochs = 12, BatchSize = 16 },
        Model = new ModelSpec { HiddenWidths = [8] },
        Seed = 11,
    };

    private static readonly int FinalLoss = RunMetrics.IndexOf(RunMetrics.FinalLoss);

    [Fact]
    public void Runs_of_one_seed_and_width_share_a_start_and_train_their_own_bits()
    {
        var data = new RunData(Small.Data, RunSpec.OurStreams);
        var executor = new RunExecutor();
        foreach (int[] widths in new[] { new[] { 8 }, new[] { 20 }, new[] { 8, 5 } })
        {
            foreach (double fraction in new[] { 0.0, 0.2, 0.5 })
            {
                RunSpec run = Small with { Model = new ModelSpec { HiddenWidths = [.. widths] }, Poison = new PoisonSpec { Fraction = fraction } };
                double? shared = executor.Execute(run, data, CancellationToken.None)[FinalLoss];

                // Alone: the run's poison, then the trainer drawing the network and the orders from a fresh stream.
                (ILabelPoisoner poisoner, RandomSource random) = RunExecutor.CreatePoisoner(run, data);
                Dataset train = data.Train.WithLabels(poisoner.Poison(data.Train, random).Labels.AsSpan());
                TrainingResult alone = new MlpTrainer().Train(train, widths, run.Training.ToOptions(), new RandomSource(run.Seed, StreamKey.Of("training")));
                Assert.Equal(alone.FinalLoss, shared);
            }
        }
        Assert.Equal(3, data.Starts.KeptCount); // one per shape: the fractions shared theirs
    }

    [Fact]
    public void With_the_studys_streams_every_run_of_a_seed_shares_its_orders_and_trains_its_own_bits()
    {
        RunSpec study = Small with { Streams = RunSpec.StudyStreams };
        var data = new RunData(study.Data, RunSpec.StudyStreams);
        var executor = new RunExecutor();
        foreach (int width in new[] { 8, 20 })
        {
            foreach (double fraction in new[] { 0.0, 0.3 })
            {
                RunSpec run = study with { Model = new ModelSpec { HiddenWidths = [width] }, Poison = new PoisonSpec { Fraction = fraction } };
                double? shared = executor.Execute(run, data, CancellationToken.None)[FinalLoss];

                // Alone: the study's flips, PyTorch's layers, and a sampler of the run's own.
                Dataset all = data.All!;
                PoisonResult poison = StudyLabelFlip.Poison(all.LabelSpan, all.ClassCount, fraction, (long)run.Seed);
                Dataset train = data.StudySplit!.SelectTrain(all.WithLabels(poison.Labels.AsSpan()));
                TorchLinearParameters[] layers = TorchInitialization.Sequential(run.Seed, [all.FeatureCount, width, all.ClassCount]);
                Mlp initial = Mlp.FromLayers(all.FeatureCount, [.. layers.Select(l => l.Weight.ToArray())], [.. layers.Select(l => l.Bias.ToArray())]);
                TrainingResult alone = new MlpTrainer().Train(train, initial, run.Training.ToOptions(), new TorchRandomSampler(train.RowCount, run.Seed));
                Assert.Equal(alone.FinalLoss, shared);
            }
        }
        Assert.Equal(1, data.Starts.KeptCount); // the sampler is seeded by the seed alone: both widths shared it
    }

    [Fact]
    public void Past_its_budget_a_start_is_drawn_for_its_run_alone()
    {
        var starts = new SharedTrainingStarts(budgetBytes: RecordedEpochOrders.Bytes(50, 3));
        int[] order = new int[50], expected = new int[50];
        IEpochOrder kept = starts.Study(1, 50, 3);
        IEpochOrder alone = starts.Study(2, 50, 3);   // over the budget
        Assert.Equal(1, starts.KeptCount);
        Assert.IsType<RecordedEpochOrders.Replaying>(kept);
        Assert.IsType<TorchRandomSampler>(alone);     // drawn epoch by epoch, not recorded for one run
        var sampler1 = new TorchRandomSampler(50, 1);
        var sampler2 = new TorchRandomSampler(50, 2);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            kept.NextEpoch(order);
            sampler1.NextEpoch(expected);
            Assert.Equal(expected, order);
            alone.NextEpoch(order);
            sampler2.NextEpoch(expected);
            Assert.Equal(expected, order);
        }

        // Our streams past the budget: the network and orders the trainer itself would draw.
        (Mlp initial, IEpochOrder orders) = starts.Ours(3, 4, [6], 2, 50, 3, () => new RandomSource(3, StreamKey.Of("training")));
        Assert.Equal(1, starts.KeptCount);
        Assert.IsType<ShuffledEpochOrder>(orders);
        var stream = new RandomSource(3, StreamKey.Of("training"));
        Assert.Equal(Mlp.CreateInitialized(4, [6], 2, stream).Parameters.ToArray(), initial.Parameters.ToArray());
        var shuffled = new ShuffledEpochOrder(stream);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            orders.NextEpoch(order);
            shuffled.NextEpoch(expected);
            Assert.Equal(expected, order);
        }
    }

    [Fact]
    public void A_recording_replays_its_source_and_refuses_what_it_did_not_record()
    {
        RecordedEpochOrders recorded = RecordedEpochOrders.Record(new TorchRandomSampler(30, 9), 30, 4);
        IEpochOrder first = recorded.Replay(), second = recorded.Replay();
        var sampler = new TorchRandomSampler(30, 9);
        int[] a = new int[30], b = new int[30], expected = new int[30];
        for (int epoch = 0; epoch < 4; epoch++)
        {
            first.NextEpoch(a);
            second.NextEpoch(b);
            sampler.NextEpoch(expected);
            Assert.Equal(expected, a);
            Assert.Equal(expected, b);  // each replay starts from the first epoch
        }
        Assert.Throws<InvalidOperationException>(() => first.NextEpoch(a));                // a fifth epoch
        Assert.Throws<InvalidOperationException>(() => recorded.Replay().NextEpoch(new int[29]));

        // A source that is not a permutation is refused when it is recorded, as the trainer refuses it.
        var e = Assert.Throws<ArgumentException>(() => RecordedEpochOrders.Record(new Repeating(), 5, 2));
        Assert.Equal("epochOrder", e.ParamName);
    }

    private sealed class Repeating : IEpochOrder
    {
        public void NextEpoch(Span<int> order) => order.Fill(1);
    }
}
