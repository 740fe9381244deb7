using System.Diagnostics;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// Bounded nonlinear least squares by Levenberg–Marquardt with Marquardt's diagonal scaling and a projected
/// active set for box bounds. One instance owns its workspace and is reused across fits: after the first
/// call at a given size, <see cref="Minimize{TProblem}"/> allocates nothing. Not thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// References: D. W. Marquardt, "An algorithm for least-squares estimation of nonlinear parameters", J. SIAM
/// 11(2), 1963 — the damped normal equations (JᵀJ + λ·diag(JᵀJ))·δ = −Jᵀr; J. J. Moré, "The Levenberg–Marquardt
/// algorithm: implementation and theory", Numerical Analysis (Dundee 1977), LNM 630, 1978 — the scaling
/// D = diag of the largest column norms seen so far (so the scale never shrinks), the scaled step and
/// parameter norms, and the convergence tests (as in MINPACK's lmder); H. B. Nielsen, "Damping parameter in
/// Marquardt's method", IMM-REP-1999-05 — the update of the damping from the gain ratio.
/// </para>
/// <para>
/// Symbols → names: x (parameters) → <c>_p</c>; f(x) (residuals) → <c>_r</c>; J → <c>_jacobian</c>;
/// JᵀJ → <c>_normal</c>; Jᵀf (gradient of ½‖f‖²) → <c>_gradient</c>; D² (Moré's squared scaling, the running
/// maximum of diag JᵀJ) → <c>_scale</c>; λ (Marquardt) = μ (Nielsen) → <c>damping</c>; p (the step) →
/// <c>_step</c>; ρ (ratio of actual to predicted reduction) → <c>gainRatio</c>; ftol, xtol, gtol →
/// <see cref="LeastSquaresTolerances.Cost"/>, <see cref="LeastSquaresTolerances.Step"/>,
/// <see cref="LeastSquaresTolerances.Gradient"/>.
/// </para>
/// <para>
/// Bounds: projection with an active set, not a smooth reparameterisation. A parameter whose optimum lies on
/// a bound then sits exactly on it (a reparameterisation such as p = lo + (hi − lo)·sin²θ only approaches
/// it, with a vanishing derivative that stalls convergence and makes the covariance meaningless there).
/// Each iteration fixes the parameters that sit on a bound with the descent direction pointing out of the
/// box (the active set), solves the damped system for the others (a parameter on a bound whose solved step
/// would still leave the box joins the active set and the system is solved again), and, if the step crosses
/// a bound, shortens it along its own direction to the first bound met, putting that parameter exactly on
/// it. The gain ratio is computed for the step actually taken, so a step that does not reduce the cost is
/// rejected and the damping raised, which turns the step towards the projected gradient: each iteration
/// either reduces the cost or shrinks the step. (Clipping each coordinate to the box instead was tried
/// first: the clipped step is often not a descent direction and cost two or three rejected iterations
/// whenever a parameter reached a bound.)
/// </para>
/// <para>
/// Determinism: plain loops in a fixed order with unfused multiply-add; no platform maths. The same inputs
/// give the same bits on every machine, provided the problem's <see cref="ILeastSquaresProblem.Evaluate"/>
/// is itself deterministic.
/// </para>
/// </remarks>
public sealed class LevenbergMarquardt
{
    /// <summary>Largest supported parameter count (the active-bound masks are 64-bit).</summary>
    public const int MaxParameterCount = 64;

    /// <summary>Starting damping, relative to the scaled diagonal (Marquardt's λ₀).</summary>
    public const double InitialDamping = 1e-3;

    // A Cholesky pivot of the unit-diagonal (correlation-scaled) JᵀJ at or below this means JᵀJ is singular to
    // working precision: the parameter is a linear combination of the others to about 7 digits in J.
    private const double SingularPivot = 1e-14;

    // Damping beyond this makes every step vanish against any parameter: stop rather than overflow.
    private const double MaxDamping = 1e300;

    private readonly int _m;
    private int _capacity;
    private double[] _r = [], _trialR = [], _jacobian = [], _trialJacobian = [];
    private readonly double[] _p, _trialP, _step, _gradient, _normal, _scale, _system, _rhs;
    private readonly bool[] _free;
    private int _n;
    private bool _hasSolution;

    /// <summary>Creates a solver for problems with <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">m, in [1, <see cref="MaxParameterCount"/>].</param>
    /// <param name="residualCapacity">Residual count to preallocate for (grows on demand), at least 1.</param>
    public LevenbergMarquardt(int parameterCount, int residualCapacity = 64)
    {
        ThrowHelper.ThrowIfOutside(parameterCount, 1, MaxParameterCount);
        ThrowHelper.ThrowIfLess(residualCapacity, 1);
        _m = parameterCount;
        _p = new double[_m];
        _trialP = new double[_m];
        _step = new double[_m];
        _gradient = new double[_m];
        _scale = new double[_m];
        _rhs = new double[_m];
        _normal = new double[_m * _m];
        _system = new double[_m * _m];
        _free = new bool[_m];
        EnsureCapacity(residualCapacity);
    }

    /// <summary>Number of parameters this solver handles.</summary>
    public int ParameterCount => _m;

    /// <summary>
    /// Residuals at the last solution (empty before the first successful <see cref="Minimize{TProblem}"/>).
    /// Valid until the next call.
    /// </summary>
    public ReadOnlySpan<double> Residuals => _hasSolution ? _r.AsSpan(0, _n) : default;

    /// <summary>Jacobian (row-major n × m) at the last solution; valid until the next call.</summary>
    public ReadOnlySpan<double> Jacobian => _hasSolution ? _jacobian.AsSpan(0, _n * _m) : default;

    /// <summary>
    /// Minimises ½·Σ rᵢ(p)² subject to <paramref name="lower"/> ≤ p ≤ <paramref name="upper"/>, starting from
    /// and overwriting <paramref name="parameters"/>.
    /// </summary>
    /// <typeparam name="TProblem">The problem; a struct (or ref struct) so calls inline.</typeparam>
    /// <param name="problem">The residuals and Jacobian.</param>
    /// <param name="lower">Lower bounds (−∞ allowed), m values.</param>
    /// <param name="upper">Upper bounds (+∞ allowed), m values, each ≥ its lower bound.</param>
    /// <param name="parameters">In: the initial guess, finite and inside the bounds. Out: the solution.</param>
    /// <param name="tolerances">Stopping rules.</param>
    /// <returns>SS_res, iterations, exit reason and which bounds are active.</returns>
    /// <exception cref="ArgumentException">Sizes disagree, a bound is NaN, lower &gt; upper, or the guess is not finite or outside the box.</exception>
    public LeastSquaresResult Minimize<TProblem>(
        ref TProblem problem, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper, Span<double> parameters,
        in LeastSquaresTolerances tolerances)
        where TProblem : ILeastSquaresProblem, allows ref struct
    {
        var never = default(NeverStop);
        return Minimize(ref problem, lower, upper, parameters, tolerances, ref never);
    }

    /// <summary>
    /// <see cref="Minimize{TProblem}"/> that also asks <paramref name="watch"/> after every accepted step whether to
    /// stop there (the global sigmoid fit ends a polish that has come into an optimum found already). A stop by the
    /// watch returns the point reached with <see cref="FitExitReason.IterationLimit"/>; the watch records it. With a
    /// watch that never stops, every bit is that of <see cref="Minimize{TProblem}"/>.
    /// </summary>
    internal LeastSquaresResult Minimize<TProblem, TWatch>(
        ref TProblem problem, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper, Span<double> parameters,
        in LeastSquaresTolerances tolerances, ref TWatch watch)
        where TProblem : ILeastSquaresProblem, allows ref struct
        where TWatch : struct, IStepWatch
    {
        int m = _m;
        if (problem.ParameterCount != m)
            ThrowHelper.ThrowArgument(nameof(problem), $"Has {problem.ParameterCount} parameters; this solver was created for {m}.");
        int n = problem.ResidualCount;
        if (n < 1)
            ThrowHelper.ThrowArgument(nameof(problem), "Must have at least one residual.");
        if (lower.Length != m)
            ThrowHelper.ThrowArgument(nameof(lower), $"Must have {m} values, has {lower.Length}.");
        if (upper.Length != m)
            ThrowHelper.ThrowArgument(nameof(upper), $"Must have {m} values, has {upper.Length}.");
        if (parameters.Length != m)
            ThrowHelper.ThrowArgument(nameof(parameters), $"Must have {m} values, has {parameters.Length}.");
        for (int j = 0; j < m; j++)
        {
            if (double.IsNaN(lower[j]) || double.IsNaN(upper[j]) || lower[j] > upper[j])
                ThrowHelper.ThrowArgument(nameof(lower), $"Bound {j}: [{lower[j]}, {upper[j]}] is not an interval.");
            if (!(double.IsFinite(parameters[j]) && parameters[j] >= lower[j] && parameters[j] <= upper[j]))
                ThrowHelper.ThrowArgument(nameof(parameters), $"Parameter {j} = {parameters[j]} is not finite or outside [{lower[j]}, {upper[j]}].");
        }

        EnsureCapacity(n);
        _n = n;
        _hasSolution = false;
        parameters.CopyTo(_p);
        Array.Clear(_scale);

        problem.Evaluate(_p, _r.AsSpan(0, n), _jacobian.AsSpan(0, n * m));
        double cost = HalfSumOfSquares(_r.AsSpan(0, n));
        if (!double.IsFinite(cost) || !AllFinite(_jacobian.AsSpan(0, n * m)))
            return new LeastSquaresResult(double.NaN, 0, FitExitReason.FailedNonFiniteModel, 0, 0);
        _hasSolution = true;
        FormNormalEquations(n);

        double damping = InitialDamping, dampingGrowth = 2.0;
        int iteration = 0;
        FitExitReason exit;
        while (true)
        {
            // Active set: a parameter on a bound whose descent direction (−gradient) points out of the box is
            // held there. Parameters whose Jacobian column has always been zero cannot move the cost: hold them.
            double residualNorm = Math.Sqrt(2.0 * cost), worstGradient = 0.0;
            int freeCount = 0;
            for (int j = 0; j < m; j++)
            {
                double g = _gradient[j];
                bool free = _scale[j] > 0 && !(_p[j] <= lower[j] && g > 0) && !(_p[j] >= upper[j] && g < 0);
                _free[j] = free;
                if (!free)
                    continue;
                freeCount++;
                double columnNorm = Math.Sqrt(_normal[j * m + j]);
                if (columnNorm > 0 && residualNorm > 0)
                    worstGradient = Math.Max(worstGradient, Math.Abs(g) / (columnNorm * residualNorm));
            }
            if (freeCount == 0 || cost == 0 || worstGradient <= tolerances.Gradient)
            {
                exit = FitExitReason.ConvergedOnGradient;
                break;
            }
            if (iteration >= tolerances.MaxIterations)
            {
                exit = FitExitReason.IterationLimit;
                break;
            }
            iteration++;

            if (!SolveDampedStepInsideBox(damping, lower, upper))
            {
                // Not positive definite to working precision: damp harder and retry.
                damping *= dampingGrowth;
                dampingGrowth *= 2.0;
                if (damping > MaxDamping)
                {
                    exit = FitExitReason.ConvergedOnStepSize;
                    break;
                }
                continue;
            }

            // Keep the trial point in the box by shortening the step along its own direction to the first
            // bound it meets, and put that parameter exactly on the bound (it joins the active set next
            // iteration if the gradient holds it there). Shortening, unlike clipping each coordinate, keeps a
            // descent direction, so the model's prediction stays meaningful and the step is rarely rejected.
            double fraction = 1.0;
            int blocking = -1;
            for (int j = 0; j < m; j++)
            {
                double d = _step[j];
                double room = d < 0 ? lower[j] - _p[j] : d > 0 ? upper[j] - _p[j] : 0.0;
                if (d != 0 && Math.Abs(d) > Math.Abs(room) && room / d < fraction)
                {
                    fraction = room / d;
                    blocking = j;
                }
            }
            bool clipped = blocking >= 0;
            double scaledStep = 0.0, scaledParameters = 0.0;
            for (int j = 0; j < m; j++)
            {
                double target = j == blocking ? (_step[j] < 0 ? lower[j] : upper[j])
                    : clipped ? _p[j] + fraction * _step[j] : _p[j] + _step[j];
                target = Math.Min(Math.Max(target, lower[j]), upper[j]); // rounding can overshoot by an ulp
                _trialP[j] = target;
                double s = target - _p[j];
                _step[j] = s;
                scaledStep += _scale[j] * s * s;
                scaledParameters += _scale[j] * _p[j] * _p[j];
            }
            scaledStep = Math.Sqrt(scaledStep);
            scaledParameters = Math.Sqrt(scaledParameters);

            double predicted = PredictedReduction(n, damping, clipped);
            problem.Evaluate(_trialP, _trialR.AsSpan(0, n), _trialJacobian.AsSpan(0, n * m));
            double trialCost = HalfSumOfSquares(_trialR.AsSpan(0, n));
            bool trialFinite = double.IsFinite(trialCost) && AllFinite(_trialJacobian.AsSpan(0, n * m));

            double actualRelative = trialFinite ? (cost - trialCost) / cost : double.NegativeInfinity;
            double predictedRelative = predicted / cost;
            double gainRatio = predictedRelative > 0 ? actualRelative / predictedRelative : 0.0;

            // A tie is accepted when the model predicts a change below the cost's resolution: the cost can no
            // longer tell the points apart, but the step comes from the gradient, which is still accurate (a
            // parameter like b can be 1e-9 off while the cost agrees to the last bit).
            bool accepted = trialFinite && predicted > 0
                && (trialCost < cost || (trialCost == cost && predictedRelative <= tolerances.Cost));
            if (accepted)
            {
                (_r, _trialR) = (_trialR, _r);
                (_jacobian, _trialJacobian) = (_trialJacobian, _jacobian);
                _trialP.AsSpan().CopyTo(_p);
                cost = trialCost;
                FormNormalEquations(n);
                double t = 2.0 * gainRatio - 1.0;
                damping *= Math.Max(1.0 / 3.0, 1.0 - t * t * t);
                dampingGrowth = 2.0;
                if (watch.ShouldStop(_p, 2.0 * cost))
                {
                    exit = FitExitReason.IterationLimit;
                    break;
                }
            }
            else
            {
                damping *= dampingGrowth;
                dampingGrowth *= 2.0;
            }

            // MINPACK's tests, the first adapted: the model predicts no reduction above the cost tolerance and
            // the trial brought none. MINPACK asks |actual| ≤ ftol, but near the optimum the computed cost is
            // itself noisy at ~1e-14 relative (residuals are differences of nearly equal numbers), so with
            // ftol = 1e-15 that rarely passes and the damping would be doubled a dozen more times until the
            // step test stops the solver at the same point. Only an unclipped step's prediction counts: a
            // shortened one can predict little merely because the box cut it short. Second test: the step is
            // negligible against the parameters.
            if (!accepted && !clipped && predictedRelative <= tolerances.Cost)
            {
                exit = FitExitReason.ConvergedOnCostChange;
                break;
            }
            if (!clipped && scaledStep <= tolerances.Step * scaledParameters)
            {
                exit = FitExitReason.ConvergedOnStepSize;
                break;
            }
            if (damping > MaxDamping)
            {
                // No step, however short, reduces the cost: we are at the optimum to working precision.
                exit = FitExitReason.ConvergedOnStepSize;
                break;
            }
        }

        _p.AsSpan().CopyTo(parameters);
        ulong atLower = 0, atUpper = 0;
        for (int j = 0; j < m; j++)
        {
            if (_p[j] == lower[j])
                atLower |= 1UL << j;
            if (_p[j] == upper[j])
                atUpper |= 1UL << j;
        }
        return new LeastSquaresResult(2.0 * cost, iteration, exit, atLower, atUpper);
    }

    /// <summary>
    /// Writes s²·(JᵀJ)⁻¹ at the last solution into <paramref name="covariance"/> (row-major m × m), with
    /// s² = SS_res/(n − m), as SciPy's <c>curve_fit</c> reports <c>pcov</c> (bounds are ignored, as there).
    /// When not <see cref="CovarianceStatus.Estimated"/> the entries are +∞ (too few points) or NaN.
    /// </summary>
    /// <param name="covariance">Destination, m·m values.</param>
    /// <returns>Whether the covariance could be estimated.</returns>
    public CovarianceStatus EstimateCovariance(Span<double> covariance)
    {
        int m = _m;
        if (covariance.Length != m * m)
            ThrowHelper.ThrowArgument(nameof(covariance), $"Must have {m * m} values, has {covariance.Length}.");
        if (!_hasSolution)
        {
            covariance.Fill(double.NaN);
            return CovarianceStatus.NotAvailable;
        }
        int n = _n;
        if (n <= m)
        {
            covariance.Fill(double.PositiveInfinity);
            return CovarianceStatus.TooFewPoints;
        }

        // JᵀJ (_normal) is kept for the current point, which is the solution. Correlation scaling (unit
        // diagonal) before Cholesky, so the singularity test is scale-free and the factorisation loses no
        // accuracy to parameters of very different sizes (k ~ 10, b ~ 0.1).
        Span<double> a = _system;
        for (int j = 0; j < m; j++)
        {
            if (!(_normal[j * m + j] > 0))
            {
                covariance.Fill(double.NaN);
                return CovarianceStatus.Singular;
            }
            _rhs[j] = 1.0 / Math.Sqrt(_normal[j * m + j]);
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
                a[i * m + j] = _normal[i * m + j] * _rhs[i] * _rhs[j];
        }
        if (!CholeskyInPlace(a, m, SingularPivot))
        {
            covariance.Fill(double.NaN);
            return CovarianceStatus.Singular;
        }

        // Invert column by column: solve (L Lᵀ) c = e_k.
        double sigma2 = 2.0 * HalfSumOfSquares(_r.AsSpan(0, n)) / (n - m);
        Span<double> column = _step;
        for (int k = 0; k < m; k++)
        {
            column.Clear();
            column[k] = 1.0;
            CholeskySolve(a, m, column);
            for (int i = 0; i < m; i++)
                covariance[i * m + k] = column[i] * _rhs[i] * _rhs[k] * sigma2;
        }
        return CovarianceStatus.Estimated;
    }

    private void EnsureCapacity(int n)
    {
        if (n <= _capacity)
            return;
        _capacity = n;
        _r = new double[n];
        _trialR = new double[n];
        _jacobian = new double[n * _m];
        _trialJacobian = new double[n * _m];
    }

    private static double HalfSumOfSquares(ReadOnlySpan<double> r)
    {
        double sum = 0.0;
        for (int i = 0; i < r.Length; i++)
            sum += r[i] * r[i];
        return 0.5 * sum;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                return false;
        }
        return true;
    }

    // JᵀJ, Jᵀr, and Moré's running scale D²ⱼ = max over iterations of (JᵀJ)ⱼⱼ.
    private void FormNormalEquations(int n)
    {
        int m = _m;
        ReadOnlySpan<double> jacobian = _jacobian.AsSpan(0, n * m), r = _r.AsSpan(0, n);
        if (m == 4)
            NormalEquations4(jacobian, r, _normal, _gradient);
        else
            NormalEquations(jacobian, r, m, _normal, _gradient);
        for (int j = 0; j < m; j++)
            _scale[j] = Math.Max(_scale[j], _normal[j * m + j]);
    }

    /// <summary>
    /// JᵀJ (m × m, both triangles) and Jᵀr for a row-major n × m Jacobian. Each entry is summed over the rows
    /// in order from 0, unfused, as one dot product accumulated in a register.
    /// </summary>
    internal static void NormalEquations(ReadOnlySpan<double> jacobian, ReadOnlySpan<double> r, int m, Span<double> normal, Span<double> gradient)
    {
        Debug.Assert(jacobian.Length == r.Length * m && normal.Length >= m * m && gradient.Length >= m);
        for (int j = 0; j < m; j++)
        {
            double g = 0.0;
            for (int i = 0, at = j; i < r.Length; i++, at += m)
                g += jacobian[at] * r[i];
            gradient[j] = g;
            for (int k = j; k < m; k++)
            {
                double sum = 0.0;
                for (int at = 0; at < jacobian.Length; at += m)
                    sum += jacobian[at + j] * jacobian[at + k];
                normal[j * m + k] = sum;
                normal[k * m + j] = sum;
            }
        }
    }

    /// <summary>
    /// <see cref="NormalEquations"/> for m = 4 (the sigmoid), all fourteen sums in registers in one pass over the
    /// rows. Each entry is still summed over the rows in order from 0, so the bits equal the general loop's;
    /// but where that is fourteen chains of n dependent additions one after another, here they overlap.
    /// </summary>
    internal static void NormalEquations4(ReadOnlySpan<double> jacobian, ReadOnlySpan<double> r, Span<double> normal, Span<double> gradient)
    {
        Debug.Assert(jacobian.Length == r.Length * 4 && normal.Length >= 16 && gradient.Length >= 4);
        double g0 = 0, g1 = 0, g2 = 0, g3 = 0;
        double a00 = 0, a01 = 0, a02 = 0, a03 = 0, a11 = 0, a12 = 0, a13 = 0, a22 = 0, a23 = 0, a33 = 0;
        for (int i = 0; i < r.Length; i++)
        {
            ReadOnlySpan<double> row = jacobian.Slice(4 * i, 4);
            double j0 = row[0], j1 = row[1], j2 = row[2], j3 = row[3], ri = r[i];
            g0 += j0 * ri;
            g1 += j1 * ri;
            g2 += j2 * ri;
            g3 += j3 * ri;
            a00 += j0 * j0;
            a01 += j0 * j1;
            a02 += j0 * j2;
            a03 += j0 * j3;
            a11 += j1 * j1;
            a12 += j1 * j2;
            a13 += j1 * j3;
            a22 += j2 * j2;
            a23 += j2 * j3;
            a33 += j3 * j3;
        }
        gradient[0] = g0;
        gradient[1] = g1;
        gradient[2] = g2;
        gradient[3] = g3;
        normal[0] = a00;
        normal[1] = normal[4] = a01;
        normal[2] = normal[8] = a02;
        normal[3] = normal[12] = a03;
        normal[5] = a11;
        normal[6] = normal[9] = a12;
        normal[7] = normal[13] = a13;
        normal[10] = a22;
        normal[11] = normal[14] = a23;
        normal[15] = a33;
    }

    // Solves the damped system; a free parameter on a bound whose step would leave the box (possible through
    // coupling even when its own gradient points inwards) joins the active set and the system is solved again.
    // Without this, the clipped step could be zero and stop the solver on a spurious "step too small".
    private bool SolveDampedStepInsideBox(double damping, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        int m = _m;
        while (true)
        {
            if (!SolveDampedStep(damping))
                return false;
            bool changed = false;
            int freeCount = 0;
            for (int j = 0; j < m; j++)
            {
                if (!_free[j])
                    continue;
                if ((_p[j] <= lower[j] && _step[j] < 0) || (_p[j] >= upper[j] && _step[j] > 0))
                {
                    _free[j] = false;
                    changed = true;
                }
                else
                {
                    freeCount++;
                }
            }
            if (!changed)
                return true;
            if (freeCount == 0)
                return false; // damp harder: for large damping the step follows −gradient, into the box
        }
    }

    // Solves (JᵀJ + μ·D²)_FF δ_F = −(Jᵀr)_F over the free parameters; δ = 0 on the active ones.
    private bool SolveDampedStep(double damping)
    {
        int m = _m, f = 0;
        Span<double> a = _system;
        for (int j = 0; j < m; j++)
        {
            if (!_free[j])
                continue;
            int g = 0;
            for (int k = 0; k < m; k++)
            {
                if (!_free[k])
                    continue;
                a[f * m + g] = _normal[j * m + k];
                g++;
            }
            a[f * m + f] += damping * _scale[j];
            _rhs[f] = -_gradient[j];
            f++;
        }
        Debug.Assert(f > 0);
        if (!CholeskyInPlace(a, m, 0.0, f))
            return false;
        Span<double> solution = _rhs.AsSpan(0, f);
        CholeskySolve(a, m, solution, f);
        for (int j = m - 1; j >= 0; j--)
            _step[j] = _free[j] ? solution[--f] : 0.0;
        return true;
    }

    // Predicted reduction of ½‖r‖² by the linear model for the step taken. Unclipped, the LM identity gives it
    // as a sum of squares (no cancellation; MINPACK's prered): ½‖Jδ‖² + μ·Σ D²ⱼδⱼ². Clipped, the identity no
    // longer holds and we use −(gᵀs + ½‖Js‖²) directly.
    private double PredictedReduction(int n, double damping, bool clipped)
    {
        int m = _m;
        double jsNorm2 = 0.0;
        for (int i = 0; i < n; i++)
        {
            double sum = 0.0;
            for (int j = 0; j < m; j++)
                sum += _jacobian[i * m + j] * _step[j];
            jsNorm2 += sum * sum;
        }
        if (!clipped)
        {
            double dampingTerm = 0.0;
            for (int j = 0; j < m; j++)
                dampingTerm += _scale[j] * _step[j] * _step[j];
            return 0.5 * jsNorm2 + damping * dampingTerm;
        }
        double gs = 0.0;
        for (int j = 0; j < m; j++)
            gs += _gradient[j] * _step[j];
        return -(gs + 0.5 * jsNorm2);
    }

    // In-place lower Cholesky of the leading size × size block of a (row stride `stride`); false when a pivot
    // is not above minPivot (or not finite).
    private static bool CholeskyInPlace(Span<double> a, int stride, double minPivot, int size = -1)
    {
        if (size < 0)
            size = stride;
        for (int j = 0; j < size; j++)
        {
            double d = a[j * stride + j];
            for (int k = 0; k < j; k++)
                d -= a[j * stride + k] * a[j * stride + k];
            if (!(d > minPivot) || !double.IsFinite(d))
                return false;
            double ljj = Math.Sqrt(d);
            a[j * stride + j] = ljj;
            for (int i = j + 1; i < size; i++)
            {
                double s = a[i * stride + j];
                for (int k = 0; k < j; k++)
                    s -= a[i * stride + k] * a[j * stride + k];
                a[i * stride + j] = s / ljj;
            }
        }
        return true;
    }

    // Solves L Lᵀ x = b in place for the factor left by CholeskyInPlace.
    private static void CholeskySolve(ReadOnlySpan<double> l, int stride, Span<double> b, int size = -1)
    {
        if (size < 0)
            size = stride;
        for (int i = 0; i < size; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
                s -= l[i * stride + k] * b[k];
            b[i] = s / l[i * stride + i];
        }
        for (int i = size - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < size; k++)
                s -= l[k * stride + i] * b[k];
            b[i] = s / l[i * stride + i];
        }
    }
}
