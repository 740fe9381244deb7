using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// Instance-dependent noise near the decision boundary, for data whose Bayes posterior is known exactly: isotropic
/// Gaussian classes with equal priors, such as <see cref="GaussianClusters"/>. Flips the round(n·p) rows (halves to even)
/// with the smallest posterior margin, P(true class | x) − max over the other classes of P(c | x), each to its most
/// probable wrong class; ties in the margin go to the smaller row index, ties between classes to the smaller class.
/// </summary>
/// <remarks>
/// <para>With centers μ_c and a common standard deviation σ, P(c | x) = exp(a_c) / Σ_c' exp(a_c'), a_c = −‖x − μ_c‖² / (2σ²),
/// computed as exp(a_c − max a) with <c>DeterministicMath.Exp</c>, so the ranking is the same bits on every platform.</para>
/// <para>Nothing is drawn: the random stream passed to <see cref="Poison"/> is left untouched.</para>
/// </remarks>
public sealed class BoundaryLabelFlip : ILabelPoisoner
{
    private readonly double[] _centers;

    /// <summary>Creates the noise for known class centers.</summary>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="centers">The class centers, row-major (classes × features), as <see cref="GaussianClusters.Centers"/>
    /// returns them; finite.</param>
    /// <param name="classCount">k ≥ 2; the length of <paramref name="centers"/> must be a positive multiple of it.</param>
    /// <param name="clusterStd">σ, finite and &gt; 0.</param>
    public BoundaryLabelFlip(double fraction, ReadOnlySpan<double> centers, int classCount, double clusterStd)
    {
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        ThrowHelper.ThrowIfLess(classCount, 2);
        ThrowHelper.ThrowIfNotPositiveFinite(clusterStd);
        if (centers.Length == 0 || centers.Length % classCount != 0)
            ThrowHelper.ThrowArgument(nameof(centers), $"Must hold classCount × features values: {centers.Length} is not a positive multiple of {classCount}.");
        foreach (double c in centers)
        {
            if (!double.IsFinite(c))
                ThrowHelper.ThrowArgument(nameof(centers), "Every center coordinate must be finite.");
        }
        Fraction = fraction;
        ClassCount = classCount;
        FeatureCount = centers.Length / classCount;
        ClusterStd = clusterStd;
        _centers = centers.ToArray();
    }

    /// <summary>The noise for data drawn by <see cref="GaussianClusters.Generate"/> with these parameters.</summary>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="classCount">Classes, at least 2.</param>
    /// <param name="clusterStd">σ, finite and &gt; 0.</param>
    /// <param name="centerSpread">Standard deviation of the centers, finite and ≥ 0.</param>
    /// <param name="seed">The data seed.</param>
    public static BoundaryLabelFlip ForGaussianClusters(double fraction, int featureCount, int classCount, double clusterStd,
        double centerSpread, ulong seed) =>
        new(fraction, GaussianClusters.Centers(featureCount, classCount, centerSpread, seed), classCount, clusterStd);

    /// <summary>The fraction p of labels to flip.</summary>
    public double Fraction { get; }

    /// <summary>k, the number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>σ, the standard deviation of every class.</summary>
    public double ClusterStd { get; }

    /// <summary>Writes the Bayes posterior P(c | <paramref name="features"/>) of every class into <paramref name="destination"/>.</summary>
    /// <param name="features">One row, <see cref="FeatureCount"/> values.</param>
    /// <param name="destination">k values.</param>
    public void Posterior(ReadOnlySpan<float> features, Span<double> destination)
    {
        if (features.Length != FeatureCount)
            ThrowHelper.ThrowArgument(nameof(features), $"Must hold {FeatureCount} features; got {features.Length}.");
        if (destination.Length != ClassCount)
            ThrowHelper.ThrowArgument(nameof(destination), $"Must hold {ClassCount} values; got {destination.Length}.");
        PosteriorUnchecked(features, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data's class or feature count is not this model's.</exception>
    public PoisonResult Poison(Dataset data, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        if (data.ClassCount != ClassCount || data.FeatureCount != FeatureCount)
            ThrowHelper.ThrowArgument(nameof(data),
                $"The data has {data.FeatureCount} features and {data.ClassCount} classes; the centers have {FeatureCount} and {ClassCount}.");

        int n = data.RowCount;
        ReadOnlySpan<int> labels = data.LabelSpan;
        double[] margins = new double[n];
        int[] wrongClass = new int[n];
        double[] posterior = new double[ClassCount];
        for (int row = 0; row < n; row++)
        {
            PosteriorUnchecked(data.GetRow(row), posterior);
            int label = labels[row];
            int best = -1;
            for (int c = 0; c < ClassCount; c++)
            {
                if (c != label && (best < 0 || posterior[c] > posterior[best]))
                    best = c;
            }
            margins[row] = posterior[label] - posterior[best];
            wrongClass[row] = best;
        }

        int count = UniformLabelFlip.FlipCount(n, Fraction);
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        // Smallest margin first, ties by row index: a total order, so the sort's instability cannot matter.
        Array.Sort(order, (a, b) => margins[a] != margins[b] ? margins[a].CompareTo(margins[b]) : a.CompareTo(b));
        int[] flipped = order[..count];
        Array.Sort(flipped);
        int[] poisoned = labels.ToArray();
        foreach (int row in flipped)
            poisoned[row] = wrongClass[row];
        return new PoisonResult(
            ImmutableCollectionsMarshal.AsImmutableArray(poisoned),
            ImmutableCollectionsMarshal.AsImmutableArray(flipped));
    }

    private void PosteriorUnchecked(ReadOnlySpan<float> features, Span<double> destination)
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
