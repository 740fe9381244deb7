using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// Fits <see cref="SigmoidModel"/> by bounded <see cref="LevenbergMarquardt"/>, reusing its workspace: after
/// the first fit of a given size, <see cref="Fit"/> allocates nothing. Not thread-safe; use one per thread
/// (or <see cref="SigmoidFit.Fit"/>, which keeps one per thread).
/// </summary>
public sealed class SigmoidFitter
{
    // Relative margin by which a fit from the grid must beat the fit from the start to replace it: the two often
    // reach the same optimum and differ only by round-off, and then the fit from the start is kept, so the
    // global search changes a result only where it finds a genuinely lower minimum.
    private const double ReplaceMargin = 1e-12;

    // Absolute floor of that margin: sums of squares at the rounding level of the data (~1e-31) are noise.
    private const double ReplaceFloor = 1e-30;

    // Iteration cap of a polish from the grid (a converging polish takes 10 to 30).
    private const int GridPolishIterations = 100;

    // |k(x − x0)| beyond which a point sees almost nothing of k: σ(1 − σ) ≤ 0.105, and it falls as e^{−|z|}.
    private const double SaturatedExponent = 2.0;

    // Newton steps at most for a winning fit that stopped on the iteration cap or the cost change. One converging
    // quadratically takes a few; one following a valley beyond the data to a bound took 75 on a 50-point curve.
    private const int NewtonIterations = 200;

    // Two solvers: the best fit so far stays in one (its Jacobian serves the covariance) while the next
    // start runs in the other; they swap when the new fit wins.
    private LevenbergMarquardt _solver, _trialSolver;
    private readonly SigmoidGridSearch _grid = new();
    private readonly double[] _starts = new double[SigmoidGridSearch.MaxStarts * SigmoidParameters.Count];
    private readonly double[] _trialParameters = new double[SigmoidParameters.Count];
    private readonly double[] _parameters = new double[SigmoidParameters.Count];
    private readonly double[] _lower = new double[SigmoidParameters.Count];
    private readonly double[] _upper = new double[SigmoidParameters.Count];
    private readonly double[] _covariance = new double[SigmoidParameters.Count * SigmoidParameters.Count];
    private KnownOptima _known = new(SigmoidGridSearch.MaxStarts + 2);

    /// <summary>Creates a fitter with workspace for <paramref name="pointCapacity"/> points (it grows on demand).</summary>
    /// <param name="pointCapacity">Points to preallocate for, at least 1.</param>
    public SigmoidFitter(int pointCapacity = 64)
    {
        ThrowHelper.ThrowIfLess(pointCapacity, 1);
        _solver = new LevenbergMarquardt(SigmoidParameters.Count, pointCapacity);
        _trialSolver = new LevenbergMarquardt(SigmoidParameters.Count, pointCapacity);
    }

    /// <summary>
    /// Least-squares fit of y = L / (1 + e^{k(x − x0)}) + b to the points, within the bounds. By default
    /// (<see cref="SigmoidFitSearch.Global"/>) the global optimum: the bounded Levenberg–Marquardt fit from the
    /// start, and the same solver from the best basins of a variable-projection grid over (k, x0) with (L, b)
    /// solved in closed form; the lowest SS_res wins, and the fit from the start is kept unless another is
    /// lower by more than 1e-12 relative. <see cref="SigmoidFitSearch.Local"/> runs only the fit from the start.
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
        if (options.Search == SigmoidFitSearch.Global)
        {
            // Most polishes from the grid end in an optimum found already (on the study's curves, every one in the
            // fit from the start): a polish that comes into one is stopped there (see KnownOptima).
            _known.Reset(x, _lower, _upper);
            if (solved.Converged)
                _known.Add(_parameters, solved.SumOfSquares);
            // A polish from the grid that needs more than a few dozen iterations is converging only linearly
            // (see below): Newton finishes it far sooner than the full iteration cap would.
            LeastSquaresTolerances polishTolerances = tolerances with
            {
                MaxIterations = Math.Min(tolerances.MaxIterations, GridPolishIterations),
            };
            int startCount = _grid.FindStarts(x, y, _lower, _upper, _starts);
            for (int s = 0; s < startCount; s++)
            {
                _starts.AsSpan(s * SigmoidParameters.Count, SigmoidParameters.Count).CopyTo(_trialParameters);
                _known.Stopped = false;
                LeastSquaresResult trial = _trialSolver.Minimize(ref problem, _lower, _upper, _trialParameters, polishTolerances, ref _known);
                if (_known.Stopped)
                    continue;
                if (trial.ExitReason == FitExitReason.IterationLimit)
                {
                    SigmoidNewtonPolish.Polish(x, y, _trialParameters, _lower, _upper, NewtonIterations);
                    _known.Stopped = false;
                    trial = _trialSolver.Minimize(ref problem, _lower, _upper, _trialParameters, polishTolerances, ref _known);
                    if (_known.Stopped)
                        continue;
                }
                if (trial.Converged)
                    _known.Add(_trialParameters, trial.SumOfSquares);
                if (IsClearlyBetter(trial, solved))
                {
                    solved = trial;
                    _trialParameters.AsSpan().CopyTo(_parameters);
                    (_solver, _trialSolver) = (_trialSolver, _solver);
                }
            }

            // A steep step between two abscissae sees almost nothing of k: beyond some k every point is far from x0
            // in units of 1/k, SS_res keeps falling towards k's upper bound only by a sliver per iteration, and the
            // solver stops on the cost change short of it. Polishing the winner once more from k's upper bound
            // (the solver holds k there when the gradient pushes it up) reaches that end of the plateau. A winner with
            // a point within SaturatedExponent/k of x0 sees k (its slope there is not small), so it is not on such
            // a plateau: the polish would only walk back to it (on 6,750 generated curves it never won; 2026-11-30).
            if (double.IsFinite(_upper[1]) && _parameters[1] < _upper[1] && AllSaturated(x, _parameters[1], _parameters[2]))
            {
                _parameters.AsSpan().CopyTo(_trialParameters);
                _trialParameters[1] = _upper[1];
                _known.Stopped = false;
                LeastSquaresResult trial = _trialSolver.Minimize(ref problem, _lower, _upper, _trialParameters, polishTolerances, ref _known);
                if (!_known.Stopped && IsClearlyBetter(trial, solved))
                {
                    solved = trial;
                    _trialParameters.AsSpan().CopyTo(_parameters);
                    (_solver, _trialSolver) = (_trialSolver, _solver);
                }
            }

            // A fit stopped by the iteration cap was converging only linearly: a step about as small as the
            // noise, where Gauss–Newton's JᵀJ misses the residual curvature. Newton's method with the exact
            // Hessian finishes it; Levenberg–Marquardt then restarts from there, so the result, its exit reason
            // and the Jacobian for the covariance are the solver's as for every other fit.
            // Also when it stopped on a small cost change along a valley that ends on a bound (L and b trading
            // against each other, or x0 against L): Newton reaches the end of the valley in a few steps.
            if (solved.ExitReason is FitExitReason.IterationLimit or FitExitReason.ConvergedOnCostChange)
            {
                _parameters.AsSpan().CopyTo(_trialParameters);
                SigmoidNewtonPolish.Polish(x, y, _trialParameters, _lower, _upper, NewtonIterations);
                LeastSquaresResult trial = _trialSolver.Minimize(ref problem, _lower, _upper, _trialParameters, tolerances);
                if (IsClearlyBetter(trial, solved) || (solved.ExitReason == FitExitReason.IterationLimit && trial.SumOfSquares < solved.SumOfSquares))
                {
                    solved = trial;
                    _trialParameters.AsSpan().CopyTo(_parameters);
                    (_solver, _trialSolver) = (_trialSolver, _solver);
                }
            }
        }

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

    // Whether every point is at least SaturatedExponent from the step in units of 1/k: |k(xᵢ − x0)| ≥ that for all i.
    private static bool AllSaturated(ReadOnlySpan<double> x, double k, double x0)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!(Math.Abs(k * (x[i] - x0)) >= SaturatedExponent))
                return false;
        }
        return true;
    }

    private static bool IsClearlyBetter(in LeastSquaresResult candidate, in LeastSquaresResult incumbent)
    {
        if (!double.IsFinite(candidate.SumOfSquares))
            return false;
        if (!double.IsFinite(incumbent.SumOfSquares))
            return true;
        return candidate.SumOfSquares < incumbent.SumOfSquares - ReplaceMargin * incumbent.SumOfSquares - ReplaceFloor;
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
