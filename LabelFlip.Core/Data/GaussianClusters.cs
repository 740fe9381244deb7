using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Data;

/// <summary>
/// Isotropic Gaussian clusters, one per class, like scikit-learn's <c>make_blobs</c>: the study's data.
/// </summary>
/// <remarks>
/// Class c has center μ_c ~ N(0, spread²·I), drawn from the stream (seed, "cluster-centers"). Classes get
/// n / k rows each, the remainder one more to each of the first classes; row i of class c is
/// μ_c + std·N(0, I), drawn from (seed, "cluster-samples") in class order and computed in double before
/// rounding to float. The rows are then put in an order drawn from (seed, "cluster-order") by Fisher–Yates.
/// </remarks>
public static class GaussianClusters
{
    /// <summary>The study's number of samples.</summary>
    public const int DefaultSampleCount = 500;

    /// <summary>The study's number of features.</summary>
    public const int DefaultFeatureCount = 10;

    /// <summary>The study's number of classes.</summary>
    public const int DefaultClassCount = 5;

    /// <summary>The study's standard deviation of each cluster.</summary>
    public const double DefaultClusterStd = 2.0;

    /// <summary>The study's standard deviation of the cluster centers around the origin.</summary>
    public const double DefaultCenterSpread = 2.0;

    /// <summary>The study's data seed.</summary>
    public const ulong DefaultSeed = 42;

    /// <summary>Generates the dataset; the defaults are the study's.</summary>
    /// <param name="sampleCount">Rows, at least <paramref name="classCount"/>.</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="classCount">Classes, at least 2.</param>
    /// <param name="clusterStd">Standard deviation within each cluster, finite and ≥ 0.</param>
    /// <param name="centerSpread">Standard deviation of the centers, finite and ≥ 0.</param>
    /// <param name="seed">The data seed.</param>
    public static Dataset Generate(
        int sampleCount = DefaultSampleCount,
        int featureCount = DefaultFeatureCount,
        int classCount = DefaultClassCount,
        double clusterStd = DefaultClusterStd,
        double centerSpread = DefaultCenterSpread,
        ulong seed = DefaultSeed)
        => GenerateFrom(sampleCount, featureCount, classCount, clusterStd, centerSpread, seed, s_samplesKey, s_orderKey);

    /// <summary>
    /// Generates a held-out set: more rows from the same clusters as <see cref="Generate"/> with the same
    /// parameters and seed (the same centers), drawn from streams of their own, so they are independent of
    /// <see cref="Generate"/>'s rows and do not change them. Classes are balanced the same way.
    /// </summary>
    /// <param name="sampleCount">Rows, at least <paramref name="classCount"/>.</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="classCount">Classes, at least 2.</param>
    /// <param name="clusterStd">Standard deviation within each cluster, finite and ≥ 0.</param>
    /// <param name="centerSpread">Standard deviation of the centers, finite and ≥ 0.</param>
    /// <param name="seed">The data seed.</param>
    public static Dataset GenerateHeldOut(
        int sampleCount,
        int featureCount = DefaultFeatureCount,
        int classCount = DefaultClassCount,
        double clusterStd = DefaultClusterStd,
        double centerSpread = DefaultCenterSpread,
        ulong seed = DefaultSeed)
        => GenerateFrom(sampleCount, featureCount, classCount, clusterStd, centerSpread, seed, s_heldOutSamplesKey, s_heldOutOrderKey);

    private static readonly ulong s_samplesKey = StreamKey.Of("cluster-samples");
    private static readonly ulong s_orderKey = StreamKey.Of("cluster-order");
    private static readonly ulong s_heldOutSamplesKey = StreamKey.Of("cluster-held-out-samples");
    private static readonly ulong s_heldOutOrderKey = StreamKey.Of("cluster-held-out-order");

    private static Dataset GenerateFrom(int sampleCount, int featureCount, int classCount, double clusterStd, double centerSpread,
                                    ulong seed, ulong samplesKey, ulong orderKey)
    {
        ThrowHelper.ThrowIfLess(classCount, 2);
        ThrowHelper.ThrowIfLess(sampleCount, classCount);
        ThrowHelper.ThrowIfOutside(clusterStd, 0, double.MaxValue);
        double[] centers = Centers(featureCount, classCount, centerSpread, seed);

        var samples = new RandomSource(seed, samplesKey);
        float[] ordered = new float[sampleCount * featureCount];
        int[] orderedLabels = new int[sampleCount];
        int row = 0;
        for (int c = 0; c < classCount; c++)
        {
            int size = sampleCount / classCount + (c < sampleCount % classCount ? 1 : 0);
            for (int i = 0; i < size; i++, row++)
            {
                orderedLabels[row] = c;
                for (int f = 0; f < featureCount; f++)
                    ordered[row * featureCount + f] = (float)(centers[c * featureCount + f] + clusterStd * samples.NextGaussian());
            }
        }

        int[] order = new int[sampleCount];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        new RandomSource(seed, orderKey).Shuffle(order.AsSpan());

        float[] features = new float[ordered.Length];
        int[] labels = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            ordered.AsSpan(order[i] * featureCount, featureCount).CopyTo(features.AsSpan(i * featureCount));
            labels[i] = orderedLabels[order[i]];
        }
        // Values are finite by construction for finite parameters, but a huge spread can overflow a float.
        return new Dataset(features, labels, featureCount, classCount, validate: true);
    }

    /// <summary>The cluster centers <see cref="Generate"/> uses, row-major (classes × features).</summary>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="classCount">Classes, at least 2.</param>
    /// <param name="centerSpread">Standard deviation of the centers, finite and ≥ 0.</param>
    /// <param name="seed">The data seed.</param>
    public static double[] Centers(
        int featureCount = DefaultFeatureCount,
        int classCount = DefaultClassCount,
        double centerSpread = DefaultCenterSpread,
        ulong seed = DefaultSeed)
    {
        ThrowHelper.ThrowIfLess(featureCount, 1);
        ThrowHelper.ThrowIfLess(classCount, 2);
        ThrowHelper.ThrowIfOutside(centerSpread, 0, double.MaxValue);
        var random = new RandomSource(seed, StreamKey.Of("cluster-centers"));
        double[] centers = new double[classCount * featureCount];
        for (int i = 0; i < centers.Length; i++)
            centers[i] = centerSpread * random.NextGaussian();
        return centers;
    }
}
