using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Data;

[Properties(Arbitrary = [typeof(Generators)])]
public class TrainTestSplitTests
{
    [Fact]
    public void The_studys_split_is_350_and_150()
    {
        TrainTestSplit split = TrainTestSplit.Create(GaussianClusters.Generate(), new RandomSource(42));
        Assert.Equal(350, split.Train.RowCount);
        Assert.Equal(150, split.Test.RowCount);
    }

    [Property(MaxTest = 100)]
    public Property Parts_are_disjoint_cover_every_row_and_keep_their_rows(ClusterCase c)
    {
        Dataset data = GaussianClusters.Generate(c.SampleCount, c.FeatureCount, c.ClassCount, seed: c.Seed);
        TrainTestSplit split = TrainTestSplit.Create(data, new RandomSource(c.Seed), c.TrainFraction);
        int expectedTrain = (int)Math.Round(c.SampleCount * c.TrainFraction, MidpointRounding.ToEven);
        bool rowsMatch = split.TrainRows.Select((row, i) => data.GetRow(row).SequenceEqual(split.Train.GetRow(i)) && data.Labels[row] == split.Train.Labels[i]).All(x => x)
            && split.TestRows.Select((row, i) => data.GetRow(row).SequenceEqual(split.Test.GetRow(i)) && data.Labels[row] == split.Test.Labels[i]).All(x => x);
        return (split.Train.RowCount == expectedTrain && split.Test.RowCount == c.SampleCount - expectedTrain).Label("sizes")
            .And(!split.TrainRows.Intersect(split.TestRows).Any()).Label("disjoint")
            .And(split.TrainRows.Concat(split.TestRows).Order().SequenceEqual(Enumerable.Range(0, c.SampleCount)).Label("covers every row"))
            .And(rowsMatch.Label("each part holds its rows' features and labels"));
    }

    [Property(MaxTest = 50)]
    public Property Same_seed_same_split(ClusterCase c)
    {
        Dataset data = GaussianClusters.Generate(c.SampleCount, c.FeatureCount, c.ClassCount, seed: c.Seed);
        TrainTestSplit a = TrainTestSplit.Create(data, new RandomSource(c.Seed, 1), c.TrainFraction);
        TrainTestSplit b = TrainTestSplit.Create(data, new RandomSource(c.Seed, 1), c.TrainFraction);
        return a.TrainRows.SequenceEqual(b.TrainRows).ToProperty();
    }

    [Fact]
    public void Different_seeds_split_differently()
    {
        Dataset data = GaussianClusters.Generate();
        TrainTestSplit a = TrainTestSplit.Create(data, new RandomSource(1));
        TrainTestSplit b = TrainTestSplit.Create(data, new RandomSource(2));
        Assert.NotEqual(a.TrainRows.ToArray(), b.TrainRows.ToArray());
    }

    [Fact]
    public void Poisoned_split_keeps_test_and_clean_train_labels()
    {
        Dataset data = GaussianClusters.Generate();
        TrainTestSplit split = TrainTestSplit.Create(data, new RandomSource(42));
        PoisonedSplit poisoned = PoisonedSplit.Create(split, new UniformLabelFlip(0.3), new RandomSource(42, 3));

        Assert.Equal(105, poisoned.FlippedRows.Length);
        Assert.Equal(split.Test.Labels.ToArray(), poisoned.Test.Labels.ToArray());
        Assert.Equal(split.Train.Labels.ToArray(), poisoned.CleanTrainLabels.ToArray());
        Assert.Equal(split.Train.Labels.ToArray(), poisoned.CleanTrain.Labels.ToArray());
        Assert.Equal(split.Train.Features.ToArray(), poisoned.Train.Features.ToArray());
        for (int i = 0; i < poisoned.Train.RowCount; i++)
            Assert.Equal(poisoned.FlippedRows.Contains(i), poisoned.Train.Labels[i] != poisoned.CleanTrainLabels[i]);
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        Dataset data = GaussianClusters.Generate(sampleCount: 10, classCount: 2);
        Assert.Throws<ArgumentOutOfRangeException>("trainFraction", () => TrainTestSplit.Create(data, new RandomSource(1), 1.0));
        Assert.Throws<ArgumentOutOfRangeException>("trainFraction", () => TrainTestSplit.Create(data, new RandomSource(1), 0.01));
        Assert.Throws<ArgumentOutOfRangeException>("trainFraction", () => TrainTestSplit.Create(data, new RandomSource(1), double.NaN));
        Assert.Throws<ArgumentNullException>("data", () => TrainTestSplit.Create(null!, new RandomSource(1)));
    }
}
