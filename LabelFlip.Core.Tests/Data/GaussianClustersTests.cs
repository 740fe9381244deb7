using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;

namespace LabelFlip.Core.Tests.Data;

[Properties(Arbitrary = [typeof(Generators)])]
public class GaussianClustersTests
{
    [Fact]
    public void Defaults_are_the_studys_data()
    {
        Dataset data = GaussianClusters.Generate();
        Assert.Equal(500, data.RowCount);
        Assert.Equal(10, data.FeatureCount);
        Assert.Equal(5, data.ClassCount);
        Assert.Equal([100, 100, 100, 100, 100], data.CountPerClass());
        Assert.All(data.Features, f => Assert.True(float.IsFinite(f)));
    }

    [Fact]
    public void Rows_are_shuffled_not_grouped_by_class()
    {
        int[] labels = [.. GaussianClusters.Generate().Labels];
        int changes = labels.Zip(labels.Skip(1)).Count(p => p.First != p.Second);
        // Grouped rows change class 4 times; a random order of 5 balanced classes about 400 times.
        Assert.InRange(changes, 300, 499);
    }

    [Property(MaxTest = 50)]
    public Property Same_seed_same_data_different_seed_different_data(ClusterCase c)
    {
        Dataset a = GaussianClusters.Generate(c.SampleCount, c.FeatureCount, c.ClassCount, seed: c.Seed);
        Dataset b = GaussianClusters.Generate(c.SampleCount, c.FeatureCount, c.ClassCount, seed: c.Seed);
        Dataset other = GaussianClusters.Generate(c.SampleCount, c.FeatureCount, c.ClassCount, seed: c.Seed + 1);
        return (a.Features.SequenceEqual(b.Features) && a.Labels.SequenceEqual(b.Labels)).Label("same seed, same bits")
            .And((!a.Features.SequenceEqual(other.Features)).Label("next seed, other data"));
    }

    [Property(MaxTest = 50)]
    public Property Shape_class_balance_and_finiteness_hold_for_any_size(ClusterCase c)
    {
        Dataset data = GaussianClusters.Generate(c.SampleCount, c.FeatureCount, c.ClassCount, seed: c.Seed);
        int[] counts = data.CountPerClass();
        int[] expected = Enumerable.Range(0, c.ClassCount)
            .Select(k => c.SampleCount / c.ClassCount + (k < c.SampleCount % c.ClassCount ? 1 : 0)).ToArray();
        return (data.RowCount == c.SampleCount && data.Features.Length == c.SampleCount * c.FeatureCount).Label("shape")
            .And(counts.SequenceEqual(expected).Label("balanced, remainder to the first classes"))
            .And(data.Features.All(float.IsFinite).Label("finite"));
    }

    [Fact]
    public void Class_means_approach_the_centers_for_large_n()
    {
        const int N = 50_000, D = 4, K = 3;
        const double Std = 2.0;
        Dataset data = GaussianClusters.Generate(N, D, K, Std, centerSpread: 3.0, seed: 11);
        double[] centers = GaussianClusters.Centers(D, K, 3.0, seed: 11);
        double[] sums = new double[K * D];
        int[] counts = data.CountPerClass();
        for (int r = 0; r < N; r++)
        {
            for (int f = 0; f < D; f++)
                sums[data.Labels[r] * D + f] += data.Features[r * D + f];
        }
        for (int k = 0; k < K; k++)
        {
            for (int f = 0; f < D; f++)
            {
                double standardError = Std / Math.Sqrt(counts[k]);
                Assert.InRange(sums[k * D + f] / counts[k] - centers[k * D + f], -5 * standardError, 5 * standardError);
            }
        }
    }

    [Fact]
    public void Within_class_spread_is_the_cluster_std()
    {
        Dataset data = GaussianClusters.Generate(30_000, 2, 2, clusterStd: 0.5, centerSpread: 1.0, seed: 4);
        double[] centers = GaussianClusters.Centers(2, 2, 1.0, seed: 4);
        double sumSquares = 0;
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int f = 0; f < 2; f++)
            {
                double d = data.Features[r * 2 + f] - centers[data.Labels[r] * 2 + f];
                sumSquares += d * d;
            }
        }
        Assert.InRange(Math.Sqrt(sumSquares / (data.RowCount * 2)), 0.49, 0.51);
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => GaussianClusters.Generate(classCount: 1));
        Assert.Throws<ArgumentOutOfRangeException>("sampleCount", () => GaussianClusters.Generate(sampleCount: 4, classCount: 5));
        Assert.Throws<ArgumentOutOfRangeException>("featureCount", () => GaussianClusters.Generate(featureCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>("clusterStd", () => GaussianClusters.Generate(clusterStd: -1));
        Assert.Throws<ArgumentOutOfRangeException>("clusterStd", () => GaussianClusters.Generate(clusterStd: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("centerSpread", () => GaussianClusters.Generate(centerSpread: double.PositiveInfinity));
    }
}
