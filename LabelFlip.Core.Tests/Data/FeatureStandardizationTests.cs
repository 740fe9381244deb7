using LabelFlip.Core.Data;

namespace LabelFlip.Core.Tests.Data;

public class FeatureStandardizationTests
{
    [Fact]
    public void Fits_mean_and_population_std_and_applies_them_unchanged()
    {
        // Feature 0: 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, population std 2); feature 1 constant 3.
        float[] x = [2, 3, 4, 3, 4, 3, 4, 3, 5, 3, 5, 3, 7, 3, 9, 3];
        var train = new Dataset(x, [0, 1, 0, 1, 0, 1, 0, 1], 2, 2);
        FeatureStandardization s = FeatureStandardization.Fit(train);
        Assert.Equal([5.0, 3.0], s.Means.ToArray());
        Assert.Equal([2.0, 1.0], s.Scales.ToArray());

        Dataset z = s.Apply(train);
        Assert.Equal([-1.5f, 0f, -0.5f, 0f, -0.5f, 0f, -0.5f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 2f, 0f], z.Features.ToArray());
        Assert.Equal(train.Labels, z.Labels.ToArray());

        Dataset other = s.Apply(new Dataset([11f, 4f], [1], 2, 2));
        Assert.Equal([3f, 1f], other.Features.ToArray());
    }

    [Fact]
    public void Bad_inputs_name_the_parameter()
    {
        FeatureStandardization s = FeatureStandardization.Fit(new Dataset([1f, 2f], [0, 1], 1, 2));
        Assert.Throws<ArgumentException>("data", () => s.Apply(new Dataset([1f, 2f], [0], 2, 2)));
        Assert.Throws<ArgumentException>("data", () => FeatureStandardization.Fit(new Dataset([], [], 1, 2)));
        Assert.Throws<ArgumentNullException>("data", () => FeatureStandardization.Fit(null!));
        // A scale of 0.5 (1 and 2) turns a huge test value into one past float's range.
        Assert.Throws<ArgumentException>("features", () => s.Apply(new Dataset([float.MaxValue], [0], 1, 2)));
    }
}
