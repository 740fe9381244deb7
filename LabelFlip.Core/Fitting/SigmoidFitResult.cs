using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// A fitted sigmoid y = L / (1 + e^{k(x − x0)}) + b with its goodness of fit, uncertainty and solver status.
/// A struct, so fitting through a reused <see cref="SigmoidFitter"/> allocates nothing.
/// </summary>
public readonly record struct SigmoidFitResult
{
    /// <summary>
    /// L must exceed this fraction of the data's range, max(y) − min(y), for <see cref="HasTransition"/>.
    /// </summary>
    public const double TransitionFraction = 1e-3;

    /// <summary>The fitted parameters.</summary>
    public SigmoidParameters Parameters { get; init; }

    /// <summary>Fitted step height L.</summary>
    public double L => Parameters.L;

    /// <summary>Fitted steepness k.</summary>
    public double K => Parameters.K;

    /// <summary>Fitted midpoint x0.</summary>
    public double X0 => Parameters.X0;

    /// <summary>Fitted floor b.</summary>
    public double B => Parameters.B;

    /// <summary>Residual sum of squares Σ (f(xᵢ) − yᵢ)².</summary>
    public double SsRes { get; init; }

    /// <summary>Total sum of squares Σ (yᵢ − ȳ)².</summary>
    public double SsTot { get; init; }

    /// <summary>R² = 1 − SS_res/SS_tot, and 0 when SS_tot = 0 (constant data: nothing to explain).</summary>
    public double RSquared => SsTot == 0 ? 0.0 : 1.0 - SsRes / SsTot;

    /// <summary>
    /// Standard errors √diag(s²·(JᵀJ)⁻¹), s² = SS_res/(n − 4), as from SciPy's <c>pcov</c>. +∞ when
    /// <see cref="CovarianceStatus"/> is <see cref="Fitting.CovarianceStatus.TooFewPoints"/> (n ≤ 4), NaN when
    /// it is <see cref="Fitting.CovarianceStatus.Singular"/> or <see cref="Fitting.CovarianceStatus.NotAvailable"/>.
    /// </summary>
    public SigmoidParameters StandardErrors { get; init; }

    /// <summary>Whether <see cref="StandardErrors"/> could be estimated.</summary>
    public CovarianceStatus CovarianceStatus { get; init; }

    /// <summary>Which parameters sit exactly on a bound.</summary>
    public SigmoidActiveBounds ActiveBounds { get; init; }

    /// <summary>Why the solver stopped.</summary>
    public FitExitReason ExitReason { get; init; }

    /// <summary>Solver iterations (trial steps).</summary>
    public int Iterations { get; init; }

    /// <summary>
    /// True when the fit has a real descending step: the data vary (max(y) &gt; min(y)) and L exceeds
    /// <see cref="TransitionFraction"/> of that range. Flat or rising data drive L to its lower bound 0 (the
    /// best descending fit is a constant), so this is false there and k, x0 carry no information.
    /// </summary>
    public bool HasTransition { get; init; }

    /// <summary>The fitted curve at <paramref name="x"/>.</summary>
    /// <param name="x">Where to evaluate.</param>
    public double Evaluate(double x) => SigmoidModel.Evaluate(Parameters, x);

    /// <summary>
    /// The study's threshold: the first of <paramref name="points"/> evenly spaced x on [0, <paramref name="max"/>]
    /// (x_i = i·max/(points − 1), the last exactly max, as NumPy's linspace) where the curve is ≤
    /// <paramref name="target"/>; +∞ when there is none.
    /// </summary>
    /// <param name="target">The level t, finite.</param>
    /// <param name="max">End of the grid, finite and &gt; 0.</param>
    /// <param name="points">Grid size, at least 2.</param>
    public double ThresholdOnGrid(double target, double max = SigmoidFit.DefaultGridMax, int points = SigmoidFit.DefaultGridPoints)
    {
        int index = ThresholdIndexOnGrid(target, max, points);
        return index < 0 ? double.PositiveInfinity : GridPoint(index, max, points);
    }

    /// <summary>Index i of <see cref="ThresholdOnGrid"/>'s point, or −1 when there is none.</summary>
    /// <param name="target">The level t, finite.</param>
    /// <param name="max">End of the grid, finite and &gt; 0.</param>
    /// <param name="points">Grid size, at least 2.</param>
    public int ThresholdIndexOnGrid(double target, double max = SigmoidFit.DefaultGridMax, int points = SigmoidFit.DefaultGridPoints)
    {
        ThrowHelper.ThrowIfOutside(target, double.MinValue, double.MaxValue);
        ThrowHelper.ThrowIfNotPositiveFinite(max);
        ThrowHelper.ThrowIfLess(points, 2);
        SigmoidParameters p = Parameters;
        for (int i = 0; i < points; i++)
        {
            if (SigmoidModel.Evaluate(p, GridPoint(i, max, points)) <= target)
                return i;
        }
        return -1;
    }

    /// <summary>
    /// Where the curve crosses <paramref name="target"/>: x0 + ln(L/(t − b) − 1)/k. For the descending curve
    /// (L &gt; 0, k &gt; 0): +∞ when it never comes down to t (t ≤ b), −∞ when it is below t everywhere
    /// (t ≥ b + L). For a constant curve (L = 0 or k = 0): −∞ if it is at or below t, else +∞. For other signs
    /// (custom bounds) the crossing if there is one, else +∞.
    /// </summary>
    /// <param name="target">The level t, finite.</param>
    public double ThresholdClosedForm(double target)
    {
        ThrowHelper.ThrowIfOutside(target, double.MinValue, double.MaxValue);
        double l = L, k = K, b = B;
        if (l == 0 || k == 0)
            return Evaluate(0.0) <= target ? double.NegativeInfinity : double.PositiveInfinity;
        double q = (target - b) / l; // fraction of the step still to fall: σ(z) = q
        if (l > 0 && k > 0)
        {
            if (q <= 0)
                return double.PositiveInfinity;
            if (q >= 1)
                return double.NegativeInfinity;
        }
        else if (!(q > 0 && q < 1))
        {
            return double.PositiveInfinity;
        }
        return X0 + DeterministicMath.Log(l / (target - b) - 1.0) / k;
    }

    private static double GridPoint(int i, double max, int points) =>
        i == points - 1 ? max : i * (max / (points - 1));
}
