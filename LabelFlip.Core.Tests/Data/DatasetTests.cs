using LabelFlip.Core.Data;

namespace LabelFlip.Core.Tests.Data;

public class DatasetTests
{
    private static Dataset Small() => new([1f, 2f, 3f, 4f, 5f, 6f], [0, 1, 1], featureCount: 2, classCount: 2);

    [Fact]
    public void Exposes_shape_rows_and_class_counts()
    {
        Dataset data = Small();
        Assert.Equal(3, data.RowCount);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(2, data.ClassCount);
        Assert.Equal([3f, 4f], data.GetRow(1).ToArray());
        Assert.Equal([1, 2], data.CountPerClass());
    }

    [Fact]
    public void Copies_its_inputs_so_later_writes_do_not_leak_in()
    {
        float[] features = [1f, 2f];
        int[] labels = [1];
        var data = new Dataset(features, labels, 2, 3);
        features[0] = 99f;
        labels[0] = 0;
        Assert.Equal(1f, data.Features[0]);
        Assert.Equal(1, data.Labels[0]);
    }

    [Fact]
    public void WithLabels_and_SelectRows_build_new_datasets()
    {
        Dataset data = Small();
        Dataset relabelled = data.WithLabels([1, 0, 0]);
        Assert.Equal([1, 0, 0], relabelled.Labels.ToArray());
        Assert.Equal(data.Features.ToArray(), relabelled.Features.ToArray());
        Assert.Equal([0, 1, 1], data.Labels.ToArray());

        Dataset picked = data.SelectRows([2, 0]);
        Assert.Equal([5f, 6f, 1f, 2f], picked.Features.ToArray());
        Assert.Equal([1, 0], picked.Labels.ToArray());
    }

    [Fact]
    public void Bad_shapes_and_values_name_the_parameter()
    {
        Assert.Throws<ArgumentException>("features", () => new Dataset([1f, 2f, 3f], [0, 1], 2, 2));
        Assert.Throws<ArgumentException>("features", () => new Dataset([1f, float.NaN], [0], 2, 2));
        Assert.Throws<ArgumentException>("features", () => new Dataset([1f, float.PositiveInfinity], [0], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => new Dataset([1f, 2f], [2], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => new Dataset([1f, 2f], [-1], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>("featureCount", () => new Dataset([], [], 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => new Dataset([1f], [0], 1, 1));
        Assert.Throws<ArgumentException>("labels", () => Small().WithLabels([0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => Small().WithLabels([0, 1, 5]));
        Assert.Throws<ArgumentOutOfRangeException>("rows", () => Small().SelectRows([3]));
        Assert.Throws<ArgumentOutOfRangeException>("row", () => Small().GetRow(-1));
    }
}
