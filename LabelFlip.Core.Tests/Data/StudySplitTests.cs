using LabelFlip.Core.Data;
using LabelFlip.Core.Tests.Random;

namespace LabelFlip.Core.Tests.Data;

public class StudySplitTests
{
    [Fact]
    public void Train_and_test_rows_equal_the_studys_in_order()
    {
        StudySplit split = StudySplit.Create();
        Assert.Equal(StudyStreams.TrainIndex, split.TrainRows.ToArray());
        Assert.Equal(StudyStreams.TestIndex, split.TestRows.ToArray());
    }

    [Fact]
    public void Selected_rows_follow_the_split_order()
    {
        Dataset data = StudyClusters.Generate();
        StudySplit split = StudySplit.Create();
        Dataset train = split.SelectTrain(data);
        Dataset test = split.SelectTest(data);
        Assert.Equal((350, 150), (train.RowCount, test.RowCount));
        int row = split.TrainRows[17];
        Assert.Equal(data.GetRow(row).ToArray(), train.GetRow(17).ToArray());
        Assert.Equal(data.Labels[split.TestRows[149]], test.Labels[149]);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("rowCount", () => StudySplit.Create(rowCount: 1));
        Assert.Throws<ArgumentOutOfRangeException>("trainFraction", () => StudySplit.Create(rowCount: 10, trainFraction: 0.01));
        Assert.Throws<ArgumentOutOfRangeException>("seed", () => StudySplit.Create(seed: 1L << 32));
        Assert.Throws<ArgumentException>("data", () => StudySplit.Create(rowCount: 10).SelectTrain(StudyClusters.Generate()));
    }
}
