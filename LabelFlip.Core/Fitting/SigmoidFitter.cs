using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// Fits <see cref="SigmoidModel"/> by bounded <see cref="LevenbergMarquardt"/>, reusing its workspace: after
/// the first fit of a given size, <see cref="Fit"/> allocates nothing. Not thread-safe; use one per thread
/// (or <see cref="SigmoidFit.Fit"/>, which keeps one per thread).
/// </summary>
public sealed class SigmoidFitter
{
    private readonly LevenbergMarquardt _solver;
    private readonly double[] _parameters = new double[SigmoidParameters.Count];
    private readonly double[] _lower = new double[SigmoidParameters.Count];
    private readonly double[] _upper = new double[SigmoidParameters.Count];
    private readonly double[] _covariance = new double[SigmoidParameters.Count * SigmoidParameters.Count];

    /// <summary>Creates a fitter with workspace for <paramref name="pointCapacity"/> points (it grows on demand).</summary>
    /// <param name="pointCapacity">Points to preallocate for, at least 1.</param>
    public SigmoidFitter(int pointCapacity = 64)
    {
        ThrowHelper.ThrowIfLess(pointCapacity, 1);
        _solver = new LevenbergMarquardt(SigmoidParameters.Count, pointCapacity);
    }

    /// <summary>
    /// Least-squares fit of y = L / (1 + e^{k(x − x0)}) + b to the points, within the bounds.
    /// </summary>
    /// <param name="x">Abscissae: at least 2, all finite.</param>
    /// <param name="y">Observations: as many as <paramref name="x"/>, all finite.</param>
    /// <param name="options">Start, bounds and tolerances; null for the study's defaults.</param>
    /// <returns>The fit. Degenerate data (constant, rising) give a valid result with an honest
    /// <see cref="SigmoidFitResult.HasTransition"/> and <see cref="SigmoidFitResult.CovarianceStatus"/>.</returns>
    /// <exception cref="ArgumentException">Lengths differ, fewer than 2 points, a non-finite value, a NaN
    /// bound, lower &gt; upper, or an initial guess outside the bounds (parameter "x", "y" or "options").</exception>
    public SigmoidFitResult Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, SigmoidFitOptions? options = null)
    {
        options ??= SigmoidFitOptions.Default;
        if (x.Length != y.Length)
            ThrowHelper.ThrowArgument(nameof(y), $"Must have as many values as x ({x.Length}), has {y.Length}.");
        if (x.Length < 2)
            ThrowHelper.ThrowArgument(nameof(x), $"Must have at least 2 points, has {x.Length}.");
        CheckFinite(x, nameof(x));
        CheckFinite(y, nameof(y));

        options.Lower.CopyTo(_lower);
        options.Upper.CopyTo(_upper);
        for (int j = 0; j < SigmoidParameters.Count; j++)
        {
            if (double.IsNaN(_lower[j]) || double.IsNaN(_upper[j]) || _lower[j] > _upper[j])
                ThrowHelper.ThrowArgument(nameof(options), $"Bounds of {Name(j)}: [{_lower[j]}, {_upper[j]}] is not an interval (lower must be ≤ upper, neither NaN).");
        }

        SigmoidParameters start = options.InitialGuess ?? SigmoidFit.StudyInitialGuess(y, options.Lower, options.Upper);
        start.CopyTo(_parameters);
        for (int j = 0; j < SigmoidParameters.Count; j++)
        {
            if (!(double.IsFinite(_parameters[j]) && _parameters[j] >= _lower[j] && _parameters[j] <= _upper[j]))
                ThrowHelper.ThrowArgument(nameof(options), $"InitialGuess.{Name(j)} = {_parameters[j]} is not finite or outside [{_lower[j]}, {_upper[j]}].");
        }

        var problem = new SigmoidLeastSquares(x, y);
        LeastSquaresTolerances tolerances = options.Tolerances;
        LeastSquaresResult solved = _solver.Minimize(ref problem, _lower, _upper, _parameters, tolerances);
        var parameters = SigmoidParameters.From(_parameters);

        CovarianceStatus covarianceStatus = _solver.EstimateCovariance(_covariance);
        var standardErrors = new SigmoidParameters(
            Math.Sqrt(_covariance[0]), Math.Sqrt(_covariance[5]), Math.Sqrt(_covariance[10]), Math.Sqrt(_covariance[15]));

        double mean = 0.0, min = y[0], max = y[0];
        for (int i = 0; i < y.Length; i++)
        {
            mean += y[i];
            min = Math.Min(min, y[i]);
            max = Math.Max(max, y[i]);
        }
        mean /= y.Length;
        // Constant data have SS_tot = 0 exactly; the rounded mean of equal values can miss them by an ulp and
        // leave ~1e-31, which would turn R² into an artefact (NumPy gives 1 or −3e11 for y ≡ 0.9).
        double range = max - min, ssTot = 0.0;
        if (range > 0)
        {
            for (int i = 0; i < y.Length; i++)
            {
                double d = y[i] - mean;
                ssTot += d * d;
            }
        }

        var activeBounds = SigmoidActiveBounds.None;
        for (int j = 0; j < SigmoidParameters.Count; j++)
        {
            if ((solved.AtLowerBound & (1UL << j)) != 0)
                activeBounds |= (SigmoidActiveBounds)(1 << (2 * j));
            if ((solved.AtUpperBound & (1UL << j)) != 0)
                activeBounds |= (SigmoidActiveBounds)(1 << (2 * j + 1));
        }

        return new SigmoidFitResult
        {
            Parameters = parameters,
            SsRes = solved.SumOfSquares,
            SsTot = ssTot,
            StandardErrors = standardErrors,
            CovarianceStatus = covarianceStatus,
            ActiveBounds = activeBounds,
            ExitReason = solved.ExitReason,
            Iterations = solved.Iterations,
            HasTransition = range > 0 && parameters.L > SigmoidFitResult.TransitionFraction * range,
        };
    }

    private static void CheckFinite(ReadOnlySpan<double> values, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                ThrowHelper.ThrowArgument(paramName, $"Must be finite; [{i}] = {values[i]}.");
        }
    }

    private static string Name(int index) => index switch
    {
        0 => nameof(SigmoidParameters.L),
        1 => nameof(SigmoidParameters.K),
        2 => nameof(SigmoidParameters.X0),
        _ => nameof(SigmoidParameters.B),
    };
}
