using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// The descending sigmoid f(x) = L / (1 + e^{z}) + b, z = k(x − x0), and its analytic gradient in (L, k, x0, b).
/// </summary>
/// <remarks>
/// Overflow-free for any z: with e = exp(−|z|) ∈ (0, 1], σ = 1/(1 + e^z) is 1/(1 + e) for z ≤ 0 and e/(1 + e)
/// for z &gt; 0, and σ(1 − σ) = e/(1 + e)² in both cases. Derivatives: ∂f/∂L = σ, ∂f/∂k = −L·σ(1 − σ)·(x − x0),
/// ∂f/∂x0 = L·σ(1 − σ)·k, ∂f/∂b = 1. The exponential is <see cref="DeterministicMath.Exp"/>, so values are
/// the same bits on every platform.
/// </remarks>
public static class SigmoidModel
{
    /// <summary>f(<paramref name="x"/>) for <paramref name="parameters"/>.</summary>
    /// <param name="parameters">L, k, x0, b.</param>
    /// <param name="x">Where to evaluate.</param>
    public static double Evaluate(in SigmoidParameters parameters, double x)
    {
        double sigma = Logistic(parameters.K * (x - parameters.X0), out _);
        return parameters.L * sigma + parameters.B;
    }

    /// <summary>f(<paramref name="x"/>), writing ∂f/∂(L, k, x0, b) to <paramref name="gradient"/>.</summary>
    /// <param name="parameters">L, k, x0, b.</param>
    /// <param name="x">Where to evaluate.</param>
    /// <param name="gradient">Destination for the four partial derivatives.</param>
    /// <returns>The value f(x).</returns>
    public static double Evaluate(in SigmoidParameters parameters, double x, Span<double> gradient)
    {
        if (gradient.Length != SigmoidParameters.Count)
            ThrowHelper.ThrowArgument(nameof(gradient), $"Must have 4 values, has {gradient.Length}.");
        double d = x - parameters.X0;
        double sigma = Logistic(parameters.K * d, out double slope);
        gradient[0] = sigma;
        gradient[1] = -parameters.L * slope * d;
        gradient[2] = parameters.L * slope * parameters.K;
        gradient[3] = 1.0;
        return parameters.L * sigma + parameters.B;
    }

    /// <summary>σ = 1/(1 + e^z) and σ(1 − σ), without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Logistic(double z, out double slope)
    {
        double e = DeterministicMath.Exp(-Math.Abs(z));
        double inverse = 1.0 / (1.0 + e); // one division serves σ and σ(1 − σ)
        double sigma = z > 0 ? e * inverse : inverse;
        slope = e * inverse * inverse;
        return sigma;
    }
}

/// <summary>
/// The least-squares problem of fitting <see cref="SigmoidModel"/> to points (xᵢ, yᵢ): residuals
/// rᵢ = f(xᵢ) − yᵢ and the analytic Jacobian, parameters in the order L, k, x0, b.
/// </summary>
/// <param name="x">The abscissae.</param>
/// <param name="y">The observations, as many as <paramref name="x"/>.</param>
public readonly ref struct SigmoidLeastSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> y) : ILeastSquaresProblem
{
    private readonly ReadOnlySpan<double> _x = x, _y = y;

    /// <inheritdoc />
    public int ParameterCount => SigmoidParameters.Count;

    /// <inheritdoc />
    public int ResidualCount => _x.Length;

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<double> parameters, Span<double> residuals, Span<double> jacobian)
    {
        double l = parameters[0], k = parameters[1], x0 = parameters[2], b = parameters[3];
        ReadOnlySpan<double> xs = _x, ys = _y;
        if (ys.Length < xs.Length || residuals.Length < xs.Length || jacobian.Length < 4 * xs.Length)
            ThrowHelper.ThrowArgument(nameof(residuals), "Destinations are shorter than the data.");
        // Lengths checked once above; refs avoid a bounds check per element in this innermost loop.
        ref double row = ref MemoryMarshal.GetReference(jacobian);
        for (int i = 0; i < xs.Length; i++)
        {
            double d = xs[i] - x0;
            double sigma = SigmoidModel.Logistic(k * d, out double slope);
            residuals[i] = l * sigma + b - ys[i];
            row = sigma;
            Unsafe.Add(ref row, 1) = -l * slope * d;
            Unsafe.Add(ref row, 2) = l * slope * k;
            Unsafe.Add(ref row, 3) = 1.0;
            row = ref Unsafe.Add(ref row, 4);
        }
    }
}
