using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Data;

/// <summary>
/// The study's data exactly as its NumPy code drew it from one <c>numpy.random.RandomState(seed)</c>
/// (<see cref="NumPyRandomState"/>), for the "study" stream mode. LabelFlip's own data is
/// <see cref="GaussianClusters"/>.
/// </summary>
/// <remarks>
/// Draw order, all from the one stream: centers = centerScale · randn(k, d) (row-major, class by class);
/// then for each class c in order, its rows = center_c + std · randn(count_c, d), computed in double; then
/// order = permutation(n) and row i of the result is generated row order[i] (features and label). Class
/// sizes are n / k each, the remainder one more to each of the first classes (scikit-learn's rule; the
/// study's 500 rows in 5 classes divide evenly).
/// </remarks>
public static class StudyClusters
{
    /// <summary>The study's scale of the cluster centers: centers are 2·N(0, I).</summary>
    public const double DefaultCenterScale = 2.0;

    /// <summary>Draws the study's data in double precision; the defaults are the study's.</summary>
    /// <param name="sampleCount">Rows n, at least <paramref name="classCount"/>.</param>
    /// <param name="featureCount">Features d, at least 1.</param>
    /// <param name="classCount">Classes k, at least 2.</param>
    /// <param name="clusterStd">Standard deviation within each cluster, finite and ≥ 0.</param>
    /// <param name="centerScale">Factor on the standard normal centers, finite and ≥ 0.</param>
    /// <param name="seed">The data seed, in [0, 2³² − 1].</param>
    public static StudyClusterSample Sample(
        int sampleCount = GaussianClusters.DefaultSampleCount,
        int featureCount = GaussianClusters.DefaultFeatureCount,
        int classCount = GaussianClusters.DefaultClassCount,
        double clusterStd = GaussianClusters.DefaultClusterStd,
        double centerScale = DefaultCenterScale,
        long seed = (long)GaussianClusters.DefaultSeed)
    {
        ThrowHelper.ThrowIfLess(featureCount, 1);
        ThrowHelper.ThrowIfLess(classCount, 2);
        ThrowHelper.ThrowIfLess(sampleCount, classCount);
        ThrowHelper.ThrowIfOutside(clusterStd, 0, double.MaxValue);
        ThrowHelper.ThrowIfOutside(centerScale, 0, double.MaxValue);
        var random = new NumPyRandomState(seed);

        double[] centers = random.Randn(classCount * featureCount);
        for (int i = 0; i < centers.Length; i++)
            centers[i] = centerScale * centers[i];

        double[] generated = new double[(long)sampleCount * featureCount];
        int[] generatedLabels = new int[sampleCount];
        int row = 0;
        for (int c = 0; c < classCount; c++)
        {
            int size = sampleCount / classCount + (c < sampleCount % classCount ? 1 : 0);
            for (int i = 0; i < size; i++, row++)
            {
                generatedLabels[row] = c;
                for (int f = 0; f < featureCount; f++)
                    generated[row * featureCount + f] = centers[c * featureCount + f] + clusterStd * random.StandardNormal();
            }
        }

        int[] order = random.Permutation(sampleCount);
        double[] features = new double[generated.Length];
        int[] labels = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            generated.AsSpan(order[i] * featureCount, featureCount).CopyTo(features.AsSpan(i * featureCount));
            labels[i] = generatedLabels[order[i]];
        }
        return new StudyClusterSample(features, labels, featureCount, classCount);
    }

    /// <summary>The study's data with float features, as it trained on them: <see cref="Sample"/> then
    /// <see cref="StudyClusterSample.ToDataset"/>.</summary>
    /// <param name="sampleCount">Rows n, at least <paramref name="classCount"/>.</param>
    /// <param name="featureCount">Features d, at least 1.</param>
    /// <param name="classCount">Classes k, at least 2.</param>
    /// <param name="clusterStd">Standard deviation within each cluster, finite and ≥ 0.</param>
    /// <param name="centerScale">Factor on the standard normal centers, finite and ≥ 0.</param>
    /// <param name="seed">The data seed, in [0, 2³² − 1].</param>
    public static Dataset Generate(
        int sampleCount = GaussianClusters.DefaultSampleCount,
        int featureCount = GaussianClusters.DefaultFeatureCount,
        int classCount = GaussianClusters.DefaultClassCount,
        double clusterStd = GaussianClusters.DefaultClusterStd,
        double centerScale = DefaultCenterScale,
        long seed = (long)GaussianClusters.DefaultSeed) =>
        Sample(sampleCount, featureCount, classCount, clusterStd, centerScale, seed).ToDataset();
}
