using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// A trained network's softmax as the class posterior, for data whose true posterior is unknown (a file source): the
/// network's logits z (float32, <see cref="Mlp.Logits(ReadOnlySpan{float}, Span{float})"/>), then in double
/// P(c | x) = exp(z_c − max z) / Σ_c' exp(z_c' − max z) with <c>DeterministicMath.Exp</c>, so the probabilities are the
/// same bits on every platform and instruction set.
/// </summary>
public sealed class NetworkPosterior : IClassPosterior
{
    /// <summary>Wraps a network; it is read, never changed.</summary>
    /// <param name="network">The network whose softmax is the posterior.</param>
    public NetworkPosterior(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
    }

    /// <summary>The network.</summary>
    public Mlp Network { get; }

    /// <inheritdoc />
    public int FeatureCount => Network.InputCount;

    /// <inheritdoc />
    public int ClassCount => Network.ClassCount;

    /// <inheritdoc />
    public void Posteriors(ReadOnlySpan<float> rows, Span<double> destination)
    {
        int count = PosteriorShape.CheckRows(rows, destination, FeatureCount, ClassCount);
        int k = ClassCount;
        float[] logits = new float[count * k];
        Network.Logits(rows, logits);
        for (int r = 0; r < count; r++)
            DeterministicMath.Softmax(logits.AsSpan(r * k, k), destination.Slice(r * k, k));
    }
}
