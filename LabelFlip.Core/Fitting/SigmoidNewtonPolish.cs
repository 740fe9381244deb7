namespace LabelFlip.Core.Fitting;

/// <summary>
/// Newton's method with the exact Hessian of SS_res for the sigmoid, for the fits where Levenberg–Marquardt
/// converges only linearly: a large residual against a small step (L of the order of the noise), where
/// Gauss–Newton's JᵀJ leaves out the residual curvature Σ rᵢ·∇²fᵢ that is then as large as JᵀJ itself.
/// Box bounds by an active set as in <see cref="LevenbergMarquardt"/>; every accepted step lowers SS_res.
/// </summary>
/// <remarks>
/// With σ = 1/(1 + e^z), z = k(x − x0), d = x − x0 and s = σ(1 − σ) (so dσ/dz = −s, ds/dz = −(1 − 2σ)s):
/// ∂f = (σ, −L·s·d, L·s·k, 1); ∂²f/∂L∂k = −s·d, ∂²f/∂L∂x0 = s·k, ∂²f/∂k² = L(1 − 2σ)s·d²,
/// ∂²f/∂k∂x0 = L·s·(1 − (1 − 2σ)k·d), ∂²f/∂x0² = L(1 − 2σ)s·k², and every second derivative in b or twice
/// in L is 0.
/// </remarks>
internal static class SigmoidNewtonPolish
{
    private const int Count = SigmoidParameters.Count;
    private const int MaxHalvings = 30;
    private const int MaxDoublings = 20;

    // Diagonal damping of an indefinite Hessian: from 1e-12 of its largest diagonal entry, ×10 per attempt.
    private const double InitialDamping = 1e-12;
    private const int MaxDampings = 14;

    /// <summary>
    /// Improves <paramref name="parameters"/> (inside the bounds) by at most <paramref name="maxIterations"/>
    /// Newton steps; stops when the Hessian on the free parameters is not positive definite or no step along
    /// the Newton direction lowers SS_res. Returns the final SS_res. Allocates nothing.
    /// </summary>
    internal static double Polish(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> parameters,
        ReadOnlySpan<double> lower, ReadOnlySpan<double> upper, int maxIterations)
    {
        Span<double> gradient = stackalloc double[Count];
        Span<double> hessian = stackalloc double[Count * Count];
        Span<double> system = stackalloc double[Count * Count];
        Span<double> step = stackalloc double[Count];
        Span<double> trial = stackalloc double[Count];
        Span<int> free = stackalloc int[Count];
        double cost = SumOfSquares(x, y, parameters);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Derivatives(x, y, parameters, gradient, hessian);
            int f = 0;
            for (int j = 0; j < Count; j++)
            {
                bool held = (parameters[j] <= lower[j] && gradient[j] > 0) || (parameters[j] >= upper[j] && gradient[j] < 0);
                if (!held)
                    free[f++] = j;
            }
            if (f == 0)
                break;
            // Along a valley the Hessian is nearly singular and round-off can make it indefinite: damp its diagonal
            // (Levenberg's way, on the exact Hessian) just enough to factor it, so the step still follows the valley.
            double largest = 0.0;
            for (int a = 0; a < f; a++)
                largest = Math.Max(largest, Math.Abs(hessian[free[a] * Count + free[a]]));
            double damping = 0.0;
            bool factored = false;
            for (int attempt = 0; attempt < MaxDampings && !factored; attempt++)
            {
                for (int a = 0; a < f; a++)
                {
                    for (int b = 0; b < f; b++)
                        system[a * Count + b] = hessian[free[a] * Count + free[b]];
                    system[a * Count + a] += damping;
                    trial[a] = -gradient[free[a]];
                }
                factored = Cholesky(system, f);
                damping = damping == 0.0 ? InitialDamping * largest : damping * 10.0;
            }
            if (!factored)
                break; // not a convex neighbourhood even damped: leave it to the caller's fit
            Solve(system, f, trial);
            step.Clear();
            for (int a = 0; a < f; a++)
                step[free[a]] = trial[a];

            bool improved = false;
            double t = 1.0;
            for (int halving = 0; halving < MaxHalvings && !improved; halving++)
            {
                improved = TryStep(x, y, parameters, step, t, lower, upper, trial, ref cost);
                if (!improved)
                    t *= 0.5;
            }
            if (!improved)
                break;
            // A full Newton step that lowered SS_res can fall far short along a valley whose floor is not
            // quadratic (a step beyond the data, where L trades against x0 and b up to a bound): go on along it
            // with steps twice as long while they lower SS_res.
            if (t == 1.0)
            {
                double further = 2.0;
                for (int doubling = 0; doubling < MaxDoublings && TryStep(x, y, parameters, step, further, lower, upper, trial, ref cost); doubling++)
                    further *= 2.0;
            }
        }
        return cost;
    }

    // Moves to parameters + t·step clipped to the box when that lowers SS_res.
    private static bool TryStep(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> parameters, ReadOnlySpan<double> step,
        double t, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper, Span<double> trial, ref double cost)
    {
        bool moved = false;
        for (int j = 0; j < Count; j++)
        {
            trial[j] = Math.Min(Math.Max(parameters[j] + t * step[j], lower[j]), upper[j]);
            moved |= trial[j] != parameters[j];
        }
        if (!moved)
            return false;
        double trialCost = SumOfSquares(x, y, trial);
        if (!(trialCost < cost))
            return false;
        trial.CopyTo(parameters);
        cost = trialCost;
        return true;
    }

    private static double SumOfSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> p)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double sigma = SigmoidModel.Logistic(p[1] * (x[i] - p[2]), out _);
            double r = p[0] * sigma + p[3] - y[i];
            sum += r * r;
        }
        return sum;
    }

    // Gradient and Hessian of ½·SS_res: g = Σ rᵢ∇fᵢ, H = Σ ∇fᵢ∇fᵢᵀ + rᵢ∇²fᵢ (both triangles).
    private static void Derivatives(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> gradient, Span<double> hessian)
    {
        double l = p[0], k = p[1], x0 = p[2], b = p[3];
        gradient.Clear();
        hessian.Clear();
        Span<double> df = stackalloc double[Count];
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - x0;
            double sigma = SigmoidModel.Logistic(k * d, out double s);
            double r = l * sigma + b - y[i];
            double bend = (1.0 - 2.0 * sigma) * s;
            df[0] = sigma;
            df[1] = -l * s * d;
            df[2] = l * s * k;
            df[3] = 1.0;
            for (int a = 0; a < Count; a++)
            {
                gradient[a] += r * df[a];
                for (int c = 0; c < Count; c++)
                    hessian[a * Count + c] += df[a] * df[c];
            }
            double lk = r * (-s * d), lx0 = r * (s * k);
            double kk = r * (l * bend * d * d), kx0 = r * (l * s * (1.0 - (1.0 - 2.0 * sigma) * k * d)), x0x0 = r * (l * bend * k * k);
            hessian[0 * Count + 1] += lk;
            hessian[1 * Count + 0] += lk;
            hessian[0 * Count + 2] += lx0;
            hessian[2 * Count + 0] += lx0;
            hessian[1 * Count + 1] += kk;
            hessian[1 * Count + 2] += kx0;
            hessian[2 * Count + 1] += kx0;
            hessian[2 * Count + 2] += x0x0;
        }
    }

    private static bool Cholesky(Span<double> a, int size)
    {
        for (int j = 0; j < size; j++)
        {
            double d = a[j * Count + j];
            for (int k = 0; k < j; k++)
                d -= a[j * Count + k] * a[j * Count + k];
            if (!(d > 0) || !double.IsFinite(d))
                return false;
            double ljj = Math.Sqrt(d);
            a[j * Count + j] = ljj;
            for (int i = j + 1; i < size; i++)
            {
                double s = a[i * Count + j];
                for (int k = 0; k < j; k++)
                    s -= a[i * Count + k] * a[j * Count + k];
                a[i * Count + j] = s / ljj;
            }
        }
        return true;
    }

    private static void Solve(ReadOnlySpan<double> l, int size, Span<double> b)
    {
        for (int i = 0; i < size; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
                s -= l[i * Count + k] * b[k];
            b[i] = s / l[i * Count + i];
        }
        for (int i = size - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < size; k++)
                s -= l[k * Count + i] * b[k];
            b[i] = s / l[i * Count + i];
        }
    }
}
