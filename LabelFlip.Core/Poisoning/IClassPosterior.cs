namespace LabelFlip.Core.Poisoning;

/// <summary>
/// A model's class probabilities P(c | x) for rows of features: the exact Bayes posterior of known clusters
/// (<see cref="GaussianClusterPosterior"/>) or the softmax of a trained network (<see cref="NetworkPosterior"/>).
/// Instance-dependent noise (<see cref="BoundaryLabelFlip"/>) ranks rows by it.
/// </summary>
public interface IClassPosterior
{
    /// <summary>Features per row.</summary>
    int FeatureCount { get; }

    /// <summary>k, the number of classes.</summary>
    int ClassCount { get; }

    /// <summary>Writes P(c | row) of every class of every row to <paramref name="destination"/>.</summary>
    /// <param name="rows">Row-major rows of <see cref="FeatureCount"/> finite features each.</param>
    /// <param name="destination">rows × <see cref="ClassCount"/> probabilities, row-major; each row sums to 1 up to rounding.</param>
    /// <exception cref="ArgumentException">The spans are not whole rows of the model's shape.</exception>
    void Posteriors(ReadOnlySpan<float> rows, Span<double> destination);
}
