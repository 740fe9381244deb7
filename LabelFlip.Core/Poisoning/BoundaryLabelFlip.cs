using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// Instance-dependent noise near the decision boundary of a class posterior (<see cref="IClassPosterior"/>): the exact
/// Bayes posterior of Gaussian clusters (<see cref="GaussianClusterPosterior"/>) or, for data whose posterior is unknown,
/// the softmax of a reference network trained on the clean labels (<see cref="NetworkPosterior"/>). A row's margin is
/// P(true class | x) − max over the other classes of P(c | x); exactly round(n·p) rows (halves to even) are flipped, each
/// to its most probable wrong class (ties between classes to the smaller class).
/// </summary>
/// <remarks>
/// <para><b>Hard (the default).</b> The round(n·p) rows with the smallest margins; ties in the margin go to the smaller
/// row index. Nothing is drawn: the random stream passed to <see cref="Poison"/> is left untouched.</para>
/// <para><b>Soft</b> (<see cref="Soft"/>, temperature τ). Victims are sampled without replacement with weights
/// w_i = exp(−m_i / τ), so the probability of being flipped rises as the margin falls: the first victim is row i with
/// probability w_i / Σ w, each next one likewise among the rows left (successive sampling). Drawn as in Efraimidis and
/// Spirakis, "Weighted random sampling with a reservoir", Information Processing Letters 97(5), 2006, in exponential
/// form: one u_i = <see cref="RandomSource.NextDouble()"/> per row in ascending row order (n draws, whatever p is),
/// E_i = −ln(1 − u_i) (an exponential variate), so that E_i / w_i is exponential with rate w_i; the round(n·p) rows with
/// the smallest E_i / w_i are flipped, ranked by its logarithm key_i = ln E_i + m_i / τ (no exp to overflow; −∞ when
/// E_i = 0), ties to the smaller row. ln is <c>DeterministicMath</c>'s. As τ → 0 this tends to the hard rule; as τ → ∞ to
/// uniform sampling of the victims.</para>
/// </remarks>
public sealed class BoundaryLabelFlip : ILabelPoisoner
{
    /// <summary>The soft variant's default temperature τ: a row of margin 0 is e¹⁰ ≈ 22,000 times as likely to be
    /// flipped first as a row the posterior is sure of (margin 1), and e¹⁰ times less likely than one it is sure is
    /// another class (margin −1).</summary>
    public const double DefaultSoftTemperature = 0.1;

    /// <summary>Creates hard boundary noise for known Gaussian class centers (their exact posterior).</summary>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="centers">The class centers, row-major (classes × features), as <see cref="GaussianClusters.Centers"/>
    /// returns them; finite.</param>
    /// <param name="classCount">k ≥ 2; the length of <paramref name="centers"/> must be a positive multiple of it.</param>
    /// <param name="clusterStd">σ, finite and &gt; 0.</param>
    public BoundaryLabelFlip(double fraction, ReadOnlySpan<double> centers, int classCount, double clusterStd)
        : this(fraction, new GaussianClusterPosterior(centers, classCount, clusterStd))
    {
    }

    /// <summary>Creates hard boundary noise: the round(n·p) smallest margins of <paramref name="posterior"/>.</summary>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="posterior">The class posterior the margins are read from.</param>
    public BoundaryLabelFlip(double fraction, IClassPosterior posterior)
    {
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        ArgumentNullException.ThrowIfNull(posterior);
        Fraction = fraction;
        PosteriorModel = posterior;
    }

    private BoundaryLabelFlip(double fraction, IClassPosterior posterior, double temperature)
        : this(fraction, posterior)
    {
        Temperature = temperature;
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
        new(fraction, GaussianClusterPosterior.ForGaussianClusters(featureCount, classCount, clusterStd, centerSpread, seed));

    /// <summary>Soft boundary noise: round(n·p) victims sampled with weights exp(−margin / τ) (see the remarks).</summary>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="posterior">The class posterior the margins are read from.</param>
    /// <param name="temperature">τ, finite and &gt; 0; <see cref="DefaultSoftTemperature"/> unless given.</param>
    public static BoundaryLabelFlip Soft(double fraction, IClassPosterior posterior, double temperature = DefaultSoftTemperature)
    {
        ThrowHelper.ThrowIfNotPositiveFinite(temperature);
        return new BoundaryLabelFlip(fraction, posterior, temperature);
    }

    /// <summary>The fraction p of labels to flip.</summary>
    public double Fraction { get; }

    /// <summary>The posterior whose margins rank the rows.</summary>
    public IClassPosterior PosteriorModel { get; }

    /// <summary>The soft variant's temperature τ; null for the hard rule (the smallest margins).</summary>
    public double? Temperature { get; }

    /// <summary>k, the number of classes.</summary>
    public int ClassCount => PosteriorModel.ClassCount;

    /// <summary>Features per row.</summary>
    public int FeatureCount => PosteriorModel.FeatureCount;

    /// <summary>Writes the posterior P(c | <paramref name="features"/>) of every class into <paramref name="destination"/>.</summary>
    /// <param name="features">One row, <see cref="FeatureCount"/> values.</param>
    /// <param name="destination">k values.</param>
    public void Posterior(ReadOnlySpan<float> features, Span<double> destination)
    {
        if (features.Length != FeatureCount)
            ThrowHelper.ThrowArgument(nameof(features), $"Must hold {FeatureCount} features; got {features.Length}.");
        if (destination.Length != ClassCount)
            ThrowHelper.ThrowArgument(nameof(destination), $"Must hold {ClassCount} values; got {destination.Length}.");
        PosteriorModel.Posteriors(features, destination);
    }

    /// <summary>Each row's margin, P(label | x) − max over the other classes of P(c | x), and that likeliest wrong class
    /// (ties to the smaller class).</summary>
    /// <param name="data">Rows of the posterior's shape; their labels are the classes the margins are of.</param>
    /// <exception cref="ArgumentException">The data's class or feature count is not the posterior's.</exception>
    public (double[] Margins, int[] WrongClasses) Margins(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(data);
        return MarginsUnchecked(data);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data's class or feature count is not the posterior's.</exception>
    public PoisonResult Poison(Dataset data, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        CheckShape(data);

        int n = data.RowCount;
        (double[] margins, int[] wrongClass) = MarginsUnchecked(data);
        // The sort key: the margin itself (hard), or ln(E_i / w_i) = ln E_i + m_i / τ (soft); smallest first.
        double[] keys = margins;
        if (Temperature is double tau)
        {
            keys = new double[n];
            for (int row = 0; row < n; row++)
            {
                double exponential = -DeterministicMath.Log(1.0 - random.NextDouble());
                keys[row] = exponential == 0 ? double.NegativeInfinity : DeterministicMath.Log(exponential) + margins[row] / tau;
            }
        }

        int count = UniformLabelFlip.FlipCount(n, Fraction);
        int[] flipped = SmallestFirst(keys, count);
        int[] poisoned = data.LabelSpan.ToArray();
        foreach (int row in flipped)
            poisoned[row] = wrongClass[row];
        return new PoisonResult(
            ImmutableCollectionsMarshal.AsImmutableArray(poisoned),
            ImmutableCollectionsMarshal.AsImmutableArray(flipped));
    }

    /// <summary>The rows of the <paramref name="count"/> smallest keys, ties to the smaller row, in ascending row order.</summary>
    internal static int[] SmallestFirst(double[] keys, int count)
    {
        int[] order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        // Smallest key first, ties by row index: a total order, so the sort's instability cannot matter.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        int[] chosen = order[..count];
        Array.Sort(chosen);
        return chosen;
    }

    private void CheckShape(Dataset data)
    {
        if (data.ClassCount != ClassCount || data.FeatureCount != FeatureCount)
            ThrowHelper.ThrowArgument(nameof(data),
                $"The data has {data.FeatureCount} features and {data.ClassCount} classes; the posterior has {FeatureCount} and {ClassCount}.");
    }

    private (double[] Margins, int[] WrongClasses) MarginsUnchecked(Dataset data)
    {
        int n = data.RowCount, k = ClassCount;
        ReadOnlySpan<int> labels = data.LabelSpan;
        double[] posterior = new double[n * k];
        PosteriorModel.Posteriors(data.FeatureSpan, posterior);
        double[] margins = new double[n];
        int[] wrongClass = new int[n];
        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<double> p = posterior.AsSpan(row * k, k);
            int label = labels[row];
            int best = -1;
            for (int c = 0; c < k; c++)
            {
                if (c != label && (best < 0 || p[c] > p[best]))
                    best = c;
            }
            margins[row] = p[label] - p[best];
            wrongClass[row] = best;
        }
        return (margins, wrongClass);
    }
}
