using System.Runtime.CompilerServices;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// One loss on the softmax of a row's logits, as the trainer's type parameter: the JIT specialises the batch loop
/// per struct, so choosing a loss costs no branch in the hot loop. Every member works on one row, in double.
/// </summary>
/// <remarks>
/// The trainer hands each row its shifted logits u_c = z_c − max z, their exponentials e_c = exp(u_c) and
/// s = Σ_c e_c (c in order, from +0); p_c = e_c·(1/s) is the softmax. A loss writes the gradient of the batch mean
/// (its row's share, ∂ℓ/∂z_c · (1/B), in double; the trainer rounds it to float32) and returns the row's loss, either whole or, when
/// <see cref="AddsLogSum"/>, without its ln s term, which the trainer then adds once per batch through a running
/// product of the rows' s (the cross-entropy's way: one logarithm per batch, not per row).
/// </remarks>
internal interface ISoftmaxLoss
{
    /// <summary>Whether <see cref="Row"/> leaves out a term + ln s that the trainer adds.</summary>
    static abstract bool AddsLogSum { get; }

    /// <summary>The row's loss (without ln s when <see cref="AddsLogSum"/>); writes its gradient times <paramref name="inverseRows"/>,
    /// in double: the trainer rounds the batch's gradients to float together.</summary>
    /// <param name="label">The row's (noisy) label y.</param>
    /// <param name="shifted">u_c = z_c − max z, k of them.</param>
    /// <param name="exponentials">e_c = exp(u_c).</param>
    /// <param name="sum">s = Σ_c e_c, in [1, k].</param>
    /// <param name="inverseRows">1/B, B the batch's rows.</param>
    /// <param name="gradient">k values: (∂ℓ/∂z_c)·(1/B), each rounded to float once, by the trainer.</param>
    double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient);
}

/// <summary>ℓ = ln s − u_y, ∂ℓ/∂z_c = p_c − [c = y]: the softmax cross-entropy, the trainer's bits since the start.</summary>
internal readonly struct CrossEntropyLoss : ISoftmaxLoss
{
    public static bool AddsLogSum => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient)
    {
        double inverseSum = 1.0 / sum;
        for (int c = 0; c < gradient.Length; c++)
            gradient[c] = exponentials[c] * inverseSum * inverseRows;
        gradient[label] = (exponentials[label] * inverseSum - 1.0) * inverseRows;
        return -shifted[label];
    }
}

/// <summary>
/// Label smoothing (Szegedy et al. 2016): the cross-entropy against the target t = (1 − ε)·onehot(y) + ε/k.
/// ℓ = ln s − ((1 − ε)·u_y + (ε/k)·Σ_c u_c) (as Σ_c t_c = 1), ∂ℓ/∂z_c = p_c − t_c. With ε = 0 every product by
/// 1 − ε = 1 and ε/k = 0 is exact, so it is <see cref="CrossEntropyLoss"/> bit for bit.
/// </summary>
internal readonly struct LabelSmoothingLoss(double epsilon, int classCount) : ISoftmaxLoss
{
    private readonly double _keep = 1.0 - epsilon;                          // 1 − ε
    private readonly double _spread = epsilon / classCount;                // ε/k, every class's share
    private readonly double _target = 1.0 - epsilon + epsilon / classCount; // t_y

    public static bool AddsLogSum => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient)
    {
        double inverseSum = 1.0 / sum, shiftedSum = 0;
        for (int c = 0; c < gradient.Length; c++)
        {
            shiftedSum += shifted[c];
            gradient[c] = (exponentials[c] * inverseSum - _spread) * inverseRows;
        }
        gradient[label] = (exponentials[label] * inverseSum - _target) * inverseRows;
        return -(_keep * shifted[label] + _spread * shiftedSum);
    }
}

/// <summary>
/// Generalized cross-entropy (Zhang and Sabuncu 2018), their L_q: ℓ = (1 − p_y^q)/q with q in (0, 1];
/// ∂ℓ/∂z_c = p_y^q·(p_c − [c = y]). p_y^q = exp(q·(u_y − ln s)), with our own exp and log. Limits: q → 0 gives the
/// cross-entropy (p_y^q → 1, (1 − p_y^q)/q → −ln p_y), q = 1 the mean absolute error's 1 − p_y.
/// </summary>
internal readonly struct GeneralizedCrossEntropyLoss(double q) : ISoftmaxLoss
{
    private readonly double _q = q;
    private readonly double _inverseQ = 1.0 / q;

    public static bool AddsLogSum => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient)
    {
        double inverseSum = 1.0 / sum;
        double power = PolynomialExp.Exp(_q * (shifted[label] - DeterministicMath.Log(sum))); // p_y^q
        double weight = power * inverseRows;
        for (int c = 0; c < gradient.Length; c++)
            gradient[c] = exponentials[c] * inverseSum * weight;
        gradient[label] = (exponentials[label] * inverseSum - 1.0) * weight;
        return (1.0 - power) * _inverseQ;
    }
}

/// <summary>
/// Symmetric cross-entropy (Wang et al. 2019): ℓ = α·CE + β·RCE with the reverse cross-entropy
/// RCE = −Σ_c p_c·ln t_c against the one-hot label t, where ln 0 is clamped to A = −4 (the paper's choice), so
/// RCE = −A·(1 − p_y) = 4·(1 − p_y). ∂ℓ/∂z_c = (p_c − [c = y])·(α − A·β·p_y).
/// </summary>
internal readonly struct SymmetricCrossEntropyLoss(double alpha, double beta) : ISoftmaxLoss
{
    /// <summary>A, the value ln 0 is clamped to in the reverse cross-entropy.</summary>
    public const double LogZero = -4.0;

    private readonly double _alpha = alpha;
    private readonly double _beta = beta;

    public static bool AddsLogSum => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient)
    {
        double inverseSum = 1.0 / sum;
        double py = exponentials[label] * inverseSum;
        double weight = (_alpha - LogZero * _beta * py) * inverseRows;
        for (int c = 0; c < gradient.Length; c++)
            gradient[c] = exponentials[c] * inverseSum * weight;
        gradient[label] = (py - 1.0) * weight;
        return _alpha * (DeterministicMath.Log(sum) - shifted[label]) - LogZero * _beta * (1.0 - py);
    }
}

/// <summary>
/// Soft bootstrapping (Reed et al. 2015): the cross-entropy against t = β·onehot(y) + (1 − β)·p with the prediction
/// p inside the target differentiated too, which is their reading of it as entropy regularisation:
/// ℓ = β·CE + (1 − β)·H(p) = ln s − β·u_y − (1 − β)·ū with ū = Σ_c p_c·u_c, and
/// ∂ℓ/∂z_c = β·(p_c − [c = y]) − (1 − β)·p_c·(u_c − ū). With β = 1 the (1 − β) terms are exact zeros: the
/// cross-entropy bit for bit.
/// </summary>
internal readonly struct SoftBootstrappingLoss(double beta) : ISoftmaxLoss
{
    private readonly double _beta = beta;
    private readonly double _rest = 1.0 - beta;

    public static bool AddsLogSum => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient)
    {
        double inverseSum = 1.0 / sum, mean = 0;
        for (int c = 0; c < gradient.Length; c++)
            mean += exponentials[c] * inverseSum * shifted[c];
        for (int c = 0; c < gradient.Length; c++)
        {
            double p = exponentials[c] * inverseSum;
            gradient[c] = (_beta * p - _rest * (p * (shifted[c] - mean))) * inverseRows;
        }
        double py = exponentials[label] * inverseSum;
        gradient[label] = (_beta * (py - 1.0) - _rest * (py * (shifted[label] - mean))) * inverseRows;
        return -(_beta * shifted[label] + _rest * mean);
    }
}

/// <summary>
/// Hard bootstrapping (Reed et al. 2015): the cross-entropy against t = β·onehot(y) + (1 − β)·onehot(ẑ), ẑ the
/// predicted class (the first of the largest logits), held constant: ℓ = ln s − β·u_y − (1 − β)·u_ẑ = ln s − β·u_y
/// (u_ẑ = 0), ∂ℓ/∂z_c = p_c − β·[c = y] − (1 − β)·[c = ẑ] (p_y − 1 when ẑ = y). With β = 1 it is the
/// cross-entropy bit for bit.
/// </summary>
internal readonly struct HardBootstrappingLoss(double beta) : ISoftmaxLoss
{
    private readonly double _beta = beta;
    private readonly double _rest = 1.0 - beta;

    public static bool AddsLogSum => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient)
    {
        double inverseSum = 1.0 / sum;
        int predicted = 0;
        while (predicted < shifted.Length - 1 && shifted[predicted] != 0)
            predicted++;
        for (int c = 0; c < gradient.Length; c++)
            gradient[c] = exponentials[c] * inverseSum * inverseRows;
        if (predicted == label)
        {
            gradient[label] = (exponentials[label] * inverseSum - 1.0) * inverseRows;
        }
        else
        {
            gradient[label] = (exponentials[label] * inverseSum - _beta) * inverseRows;
            gradient[predicted] = (exponentials[predicted] * inverseSum - _rest) * inverseRows;
        }
        return -(_beta * shifted[label]);
    }
}

/// <summary>
/// Forward loss correction (Patrini et al. 2017): the cross-entropy of the noisy label under the noisy-label
/// distribution p̃ = Tᵀp, T[i, j] = P(reported j | clean i): ℓ = −ln p̃_y with p̃_y = Σ_i T[i, y]·p_i (i in order,
/// from +0), ∂ℓ/∂z_c = p_c·(1 − T[c, y]/p̃_y). With T = I it is the cross-entropy up to rounding (not bit for bit:
/// −ln p_y is computed directly rather than as ln s − u_y). A p̃_y of 0 gives an infinite loss, which stops training
/// as diverged.
/// </summary>
internal readonly struct ForwardCorrectedLoss(double[] columns) : ISoftmaxLoss
{
    // T by columns: T[i, y] at y·k + i, so a row reads one contiguous column.
    private readonly double[] _columns = columns;

    public static bool AddsLogSum => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Row(int label, ReadOnlySpan<double> shifted, ReadOnlySpan<double> exponentials, double sum, double inverseRows, Span<double> gradient)
    {
        int k = gradient.Length;
        ReadOnlySpan<double> column = _columns.AsSpan(label * k, k);
        double inverseSum = 1.0 / sum, noisy = 0;
        for (int i = 0; i < k; i++)
            noisy += column[i] * (exponentials[i] * inverseSum);
        double inverseNoisy = 1.0 / noisy;
        for (int c = 0; c < k; c++)
            gradient[c] = exponentials[c] * inverseSum * (1.0 - column[c] * inverseNoisy) * inverseRows;
        return -DeterministicMath.Log(noisy);
    }
}
