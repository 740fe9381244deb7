using LabelFlip.Core.Data;
using LabelFlip.Core.Tests.Random;

namespace LabelFlip.Core.Tests.Data;

public class StudyClustersTests
{
    [Fact]
    public void Features_and_labels_equal_numpys_bit_for_bit()
    {
        StudyClusterSample sample = StudyClusters.Sample();
        double[] expected = StudyStreams.Features;
        Assert.Equal(expected.Length, sample.Features.Length);
        int[] differing = Enumerable.Range(0, expected.Length)
            .Where(i => BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(sample.Features[i]))
            .ToArray();
        Assert.True(differing.Length == 0,
            $"{differing.Length} of {expected.Length} features differ from {StudyStreams.SourcePath}, first at index {differing.FirstOrDefault()}.");
        Assert.Equal(StudyStreams.Labels, sample.Labels.ToArray());
        Assert.Equal((500, 10, 5), (sample.RowCount, sample.FeatureCount, sample.ClassCount));
    }

    [Fact]
    public void The_float_dataset_rounds_each_feature_to_nearest()
    {
        StudyClusterSample sample = StudyClusters.Sample(sampleCount: 37, featureCount: 3, classCount: 4, seed: 9);
        Dataset data = StudyClusters.Generate(sampleCount: 37, featureCount: 3, classCount: 4, seed: 9);
        Assert.Equal(sample.Features.Select(f => (float)f).ToArray(), data.Features.ToArray());
        Assert.Equal(sample.Labels.ToArray(), data.Labels.ToArray());
        // 37 rows in 4 classes: 10, 9, 9, 9.
        Assert.Equal([10, 9, 9, 9], data.CountPerClass());
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("sampleCount", () => StudyClusters.Sample(sampleCount: 4, classCount: 5));
        Assert.Throws<ArgumentOutOfRangeException>("featureCount", () => StudyClusters.Sample(featureCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => StudyClusters.Sample(classCount: 1));
        Assert.Throws<ArgumentOutOfRangeException>("clusterStd", () => StudyClusters.Sample(clusterStd: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("centerScale", () => StudyClusters.Sample(centerScale: -1));
        Assert.Throws<ArgumentOutOfRangeException>("seed", () => StudyClusters.Sample(seed: -1));
    }
}
