using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// The exact Bayes posterior of isotropic Gaussian classes with equal priors, such as <see cref="GaussianClusters"/>:
/// with centers μ_c and a common standard deviation σ, P(c | x) = exp(a_c) / Σ_c' exp(a_c'), a_c = −‖x − μ_c‖² / (2σ²),
/// computed as exp(a_c − max a) with <c>DeterministicMath.Exp</c>, so it is the same bits on every platform.
/// </summary>
public sealed class GaussianClusterPosterior : IClassPosterior
{
    private readonly double[] _centers;

    /// <summary>Creates the posterior of known class centers.</summary>
    /// <param name="centers">The class centers, row-major (classes × features), as <see cref="GaussianClusters.Centers"/>
    /// returns them; finite.</param>
    /// <param name="classCount">k ≥ 2; the length of <paramref name="centers"/> must be a positive multiple of it.</param>
    /// <param name="clusterStd">σ, finite and &gt; 0.</param>
    public GaussianClusterPosterior(ReadOnlySpan<double> centers, int classCount, double clusterStd)
    {
        ThrowHelper.ThrowIfLess(classCount, 2);
        ThrowHelper.ThrowIfNotPositiveFinite(clusterStd);
        if (centers.Length == 0 || centers.Length % classCount != 0)
            ThrowHelper.ThrowArgument(nameof(centers), $"Must hold classCount × features values: {centers.Length} is not a positive multiple of {classCount}.");
        foreach (double c in centers)
        {
            if (!double.IsFinite(c))
                ThrowHelper.ThrowArgument(nameof(centers), "Every center coordinate must be finite.");
        }
        ClassCount = classCount;
        FeatureCount = centers.Length / classCount;
        ClusterStd = clusterStd;
        _centers = centers.ToArray();
    }

    /// <summary>The posterior of data drawn by <see cref="GaussianClusters.Generate"/> with these parameters.</summary>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="classCount">Classes, at least 2.</param>
    /// <param name="clusterStd">σ, finite and &gt; 0.</param>
    /// <param name="centerSpread">Standard deviation of the centers, finite and ≥ 0.</param>
    /// <param name="seed">The data seed.</param>
    public static GaussianClusterPosterior ForGaussianClusters(int featureCount, int classCount, double clusterStd, double centerSpread, ulong seed) =>
        new(GaussianClusters.Centers(featureCount, classCount, centerSpread, seed), classCount, clusterStd);

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <summary>σ, the standard deviation of every class.</summary>
    public double ClusterStd { get; }

    /// <inheritdoc />
    public void Posteriors(ReadOnlySpan<float> rows, Span<double> destination)
    {
        int count = PosteriorShape.CheckRows(rows, destination, FeatureCount, ClassCount);
        for (int r = 0; r < count; r++)
            PosteriorOfRow(rows.Slice(r * FeatureCount, FeatureCount), destination.Slice(r * ClassCount, ClassCount));
    }

    private void PosteriorOfRow(ReadOnlySpan<float> features, Span<double> destination)
    {
        double scale = 1.0 / (2.0 * ClusterStd * ClusterStd);
        double max = double.NegativeInfinity;
        for (int c = 0; c < ClassCount; c++)
        {
            ReadOnlySpan<double> center = _centers.AsSpan(c * FeatureCount, FeatureCount);
            double squared = 0;
            for (int f = 0; f < FeatureCount; f++)
            {
                double d = features[f] - center[f];
                squared += d * d;
            }
            destination[c] = -squared * scale;
            max = Math.Max(max, destination[c]);
        }
        double sum = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            destination[c] = DeterministicMath.Exp(destination[c] - max);
            sum += destination[c];
        }
        for (int c = 0; c < ClassCount; c++)
            destination[c] /= sum;
    }
}
