using LabelFlip.Core.Data;
using LabelFlip.Core.Tests.Random;

namespace LabelFlip.Core.Tests.Data;

public class StudyClustersTests
{
    [Fact]
    public void Features_and_labels_equal_numpy_bit_for_bit()
    {
        StudyClusterSample sample = StudyClusters.Sample();
        double[] expected = StudyStreams.Features;
        Assert.Equal(expected.Length, sample.Features.Length);
        int mismatches = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(sample.Features[i]))
            {
                mismatches++;
                if (first < 0)
                    first = i;
            }
        }
        Assert.True(mismatches == 0,
            $"{mismatches} of {expected.Length} features differ; first at {first}: expected {(first < 0 ? 0 : expected[first]):R}, got {(first < 0 ? 0 : sample.Features[first]):R}");
        Assert.Equal(StudyStreams.Labels, sample.Labels.ToArray());
    }
}
