namespace LabelFlip.Core.Fitting;

/// <summary>Parameters of the descending sigmoid y = L / (1 + e^{k(x − x0)}) + b.</summary>
/// <param name="L">Height of the step: the curve falls from b + L (x → −∞) to b (x → +∞) when k &gt; 0.</param>
/// <param name="K">Steepness k; the slope at x0 is −L·k/4.</param>
/// <param name="X0">Midpoint x0, where the curve is b + L/2.</param>
/// <param name="B">Floor b, the value as x → +∞.</param>
public readonly record struct SigmoidParameters(double L, double K, double X0, double B)
{
    /// <summary>Number of parameters (4).</summary>
    public const int Count = 4;

    /// <summary>The parameter at <paramref name="index"/> in the order L, k, x0, b.</summary>
    /// <param name="index">0 = L, 1 = k, 2 = x0, 3 = b.</param>
    public double this[int index] => index switch
    {
        0 => L,
        1 => K,
        2 => X0,
        3 => B,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "Must be in [0, 3]."),
    };

    internal void CopyTo(Span<double> destination)
    {
        destination[0] = L;
        destination[1] = K;
        destination[2] = X0;
        destination[3] = B;
    }

    internal static SigmoidParameters From(ReadOnlySpan<double> values) => new(values[0], values[1], values[2], values[3]);
}
