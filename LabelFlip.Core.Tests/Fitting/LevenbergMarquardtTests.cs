using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Tests.Fitting;

/// <summary>A linear least-squares problem ‖A p − y‖² (row-major A, n × m): its Jacobian is A.</summary>
public readonly struct LinearProblem(double[] a, double[] y, int m) : ILeastSquaresProblem
{
    public int ParameterCount => m;

    public int ResidualCount => y.Length;

    public void Evaluate(ReadOnlySpan<double> parameters, Span<double> residuals, Span<double> jacobian)
    {
        for (int i = 0; i < y.Length; i++)
        {
            double sum = 0;
            for (int j = 0; j < m; j++)
            {
                sum += a[i * m + j] * parameters[j];
                jacobian[i * m + j] = a[i * m + j];
            }
            residuals[i] = sum - y[i];
        }
    }
}

/// <summary>Rosenbrock's function as least squares: r = (10(p₁ − p₀²), 1 − p₀), minimum at (1, 1).</summary>
public readonly struct RosenbrockProblem : ILeastSquaresProblem
{
    public int ParameterCount => 2;

    public int ResidualCount => 2;

    public void Evaluate(ReadOnlySpan<double> parameters, Span<double> residuals, Span<double> jacobian)
    {
        ReadOnlySpan<double> p = parameters;
        residuals[0] = 10 * (p[1] - p[0] * p[0]);
        residuals[1] = 1 - p[0];
        jacobian[0] = -20 * p[0];
        jacobian[1] = 10;
        jacobian[2] = -1;
        jacobian[3] = 0;
    }
}

/// <summary>A bounded linear least-squares problem with 3 parameters.</summary>
public sealed record BoundedLinearCase(double[] A, double[] Y, double[] Lower, double[] Upper)
{
    public override string ToString() =>
        $"A=[{string.Join(", ", A.Select(v => v.ToString("F3")))}] y=[{string.Join(", ", Y.Select(v => v.ToString("F3")))}] " +
        $"lower=[{string.Join(", ", Lower)}] upper=[{string.Join(", ", Upper)}]";
}

public static class LinearGenerators
{
    private static Gen<double> Uniform(double min, double max) =>
        Gen.Choose(0, 1_000_000).Select(i => min + (max - min) * (i / 1e6));

    /// <summary>n ∈ [4, 20] rows, 3 columns, y anywhere; each bound either ±∞ or a box around 0 of width ≥ 0.2.</summary>
    public static Arbitrary<BoundedLinearCase> BoundedLinearCases() =>
        Arb.From(
            from n in Gen.Choose(4, 20)
            from a in Uniform(-1, 1).ArrayOf(n * 3)
            from y in Uniform(-2, 2).ArrayOf(n)
            from lower in Gen.OneOf(Gen.Constant(double.NegativeInfinity), Uniform(-1, -0.1)).ArrayOf(3)
            from upper in Gen.OneOf(Gen.Constant(double.PositiveInfinity), Uniform(0.1, 1)).ArrayOf(3)
            select new BoundedLinearCase(a, y, lower, upper));
}

[Properties(Arbitrary = [typeof(LinearGenerators)])]
public class LevenbergMarquardtTests
{
    // Plain reference for bounded linear least squares with 3 parameters: try every assignment of each
    // parameter to {lower, upper, free} (27 faces of the box), solve the free ones by normal equations with
    // Cramer's rule, keep the feasible solution of least cost. The optimum of a convex problem lies on one.
    private static (double[] P, double Cost) ReferenceBoundedLinear(BoundedLinearCase c)
    {
        int n = c.Y.Length;
        double bestCost = double.PositiveInfinity;
        double[] best = [];
        for (int code = 0; code < 27; code++)
        {
            int[] state = [code % 3, code / 3 % 3, code / 9]; // 0 free, 1 lower, 2 upper
            double[] p = new double[3];
            bool finite = true;
            for (int j = 0; j < 3; j++)
            {
                p[j] = state[j] == 1 ? c.Lower[j] : state[j] == 2 ? c.Upper[j] : 0;
                finite &= double.IsFinite(p[j]);
            }
            if (!finite)
                continue;
            int[] free = Enumerable.Range(0, 3).Where(j => state[j] == 0).ToArray();
            if (free.Length > 0)
            {
                // Normal equations for the free columns against y minus the fixed columns' contribution.
                int f = free.Length;
                double[,] m = new double[f, f];
                double[] rhs = new double[f];
                for (int i = 0; i < n; i++)
                {
                    double target = c.Y[i];
                    for (int j = 0; j < 3; j++)
                    {
                        if (state[j] != 0)
                            target -= c.A[i * 3 + j] * p[j];
                    }
                    for (int u = 0; u < f; u++)
                    {
                        rhs[u] += c.A[i * 3 + free[u]] * target;
                        for (int v = 0; v < f; v++)
                            m[u, v] += c.A[i * 3 + free[u]] * c.A[i * 3 + free[v]];
                    }
                }
                double[] solution = SolveSmall(m, rhs);
                for (int u = 0; u < f; u++)
                    p[free[u]] = solution[u];
            }
            bool feasible = true;
            for (int j = 0; j < 3; j++)
                feasible &= p[j] >= c.Lower[j] - 1e-12 && p[j] <= c.Upper[j] + 1e-12;
            if (!feasible)
                continue;
            double cost = 0;
            for (int i = 0; i < n; i++)
            {
                double r = c.A[i * 3] * p[0] + c.A[i * 3 + 1] * p[1] + c.A[i * 3 + 2] * p[2] - c.Y[i];
                cost += r * r;
            }
            if (cost < bestCost)
            {
                bestCost = cost;
                best = p;
            }
        }
        return (best, bestCost);
    }

    private static double[] SolveSmall(double[,] m, double[] rhs)
    {
        int f = rhs.Length;
        double Det(double[,] a) => f switch
        {
            1 => a[0, 0],
            2 => a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0],
            _ => a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0])
                 + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]),
        };
        double d = Det(m);
        var x = new double[f];
        for (int k = 0; k < f; k++)
        {
            var mk = (double[,])m.Clone();
            for (int i = 0; i < f; i++)
                mk[i, k] = rhs[i];
            x[k] = Det(mk) / d;
        }
        return x;
    }

    [Property(MaxTest = 300)]
    public Property Bounded_linear_least_squares_matches_the_enumerated_reference(BoundedLinearCase c)
    {
        (double[] expected, double expectedCost) = ReferenceBoundedLinear(c);
        var problem = new LinearProblem(c.A, c.Y, 3);
        var solver = new LevenbergMarquardt(3);
        double[] p = new double[3]; // 0 is inside every generated box
        LeastSquaresResult result = solver.Minimize(ref problem, c.Lower, c.Upper, p, new LeastSquaresTolerances());

        bool onBounds = true;
        for (int j = 0; j < 3; j++)
        {
            bool atLower = (result.AtLowerBound & (1UL << j)) != 0, atUpper = (result.AtUpperBound & (1UL << j)) != 0;
            onBounds &= atLower == (p[j] == c.Lower[j]) && atUpper == (p[j] == c.Upper[j]) && p[j] >= c.Lower[j] && p[j] <= c.Upper[j];
        }
        double scale = 1e-7 * Math.Max(1, expected.Max(Math.Abs));
        return result.Converged.Label($"exit {result.ExitReason}")
            .And((result.SumOfSquares <= expectedCost * (1 + 1e-9) + 1e-20).Label($"SS {result.SumOfSquares:R} vs reference {expectedCost:R}"))
            .And(Enumerable.Range(0, 3).All(j => Math.Abs(p[j] - expected[j]) <= scale)
                .Label($"p [{string.Join(", ", p)}] vs reference [{string.Join(", ", expected)}]"))
            .And(onBounds.Label("bound masks agree with the parameters, which stay in the box"));
    }

    [Fact]
    public void Rosenbrock_is_solved_and_a_binding_bound_holds_exactly()
    {
        var problem = new RosenbrockProblem();
        var solver = new LevenbergMarquardt(2);
        double[] p = [-1.2, 1.0];
        LeastSquaresResult free = solver.Minimize(ref problem, [double.NegativeInfinity, double.NegativeInfinity],
            [double.PositiveInfinity, double.PositiveInfinity], p, new LeastSquaresTolerances());
        Assert.True(free.Converged, free.ExitReason.ToString());
        Assert.Equal(1.0, p[0], 12);
        Assert.Equal(1.0, p[1], 12);

        // With p₀ ≤ 0.5 the optimum is p₀ = 0.5 on the bound and p₁ = p₀² = 0.25.
        p = [-1.2, 1.0];
        LeastSquaresResult bounded = solver.Minimize(ref problem, [-2.0, -2.0], [0.5, 2.0], p, new LeastSquaresTolerances());
        Assert.True(bounded.Converged, bounded.ExitReason.ToString());
        Assert.Equal(0.5, p[0]);
        Assert.Equal(0.25, p[1], 12);
        Assert.Equal(1UL, bounded.AtUpperBound);
        Assert.Equal(0UL, bounded.AtLowerBound);
        Assert.Equal(0.25, bounded.SumOfSquares, 12);
    }

    [Fact]
    public void Covariance_of_a_linear_fit_is_the_textbook_formula()
    {
        // y = a + b·x: Var(b) = s²/Σ(x − x̄)², Var(a) = s²·(1/n + x̄²/Σ(x − x̄)²), s² = SS/(n − 2).
        double[] x = [0, 1, 2, 3, 4, 5], y = [0.1, 0.9, 2.2, 2.8, 4.1, 5.3];
        double[] a = x.SelectMany(v => new[] { 1.0, v }).ToArray();
        var problem = new LinearProblem(a, y, 2);
        var solver = new LevenbergMarquardt(2);
        double[] p = [0, 0];
        LeastSquaresResult result = solver.Minimize(ref problem, [double.NegativeInfinity, double.NegativeInfinity],
            [double.PositiveInfinity, double.PositiveInfinity], p, new LeastSquaresTolerances());
        double[] covariance = new double[4];
        Assert.Equal(CovarianceStatus.Estimated, solver.EstimateCovariance(covariance));

        double mean = x.Average(), sxx = x.Sum(v => (v - mean) * (v - mean));
        double s2 = result.SumOfSquares / (x.Length - 2);
        Assert.Equal(s2 / sxx, covariance[3], 1e-14);
        Assert.Equal(s2 * (1.0 / x.Length + mean * mean / sxx), covariance[0], 1e-14);
        Assert.Equal(-s2 * mean / sxx, covariance[1], 1e-14);
        Assert.Equal(covariance[1], covariance[2]);
    }

    [Fact]
    public void Non_finite_model_fails_honestly_and_bad_arguments_throw()
    {
        var problem = new LinearProblem([1.0, double.NaN], [1.0, 2.0], 1);
        var solver = new LevenbergMarquardt(1);
        double[] p = [0.0];
        LeastSquaresResult result = solver.Minimize(ref problem, [double.NegativeInfinity], [double.PositiveInfinity], p, new LeastSquaresTolerances());
        Assert.Equal(FitExitReason.FailedNonFiniteModel, result.ExitReason);
        double[] covariance = new double[1];
        Assert.Equal(CovarianceStatus.NotAvailable, solver.EstimateCovariance(covariance));

        var good = new LinearProblem([1.0, 1.0], [1.0, 2.0], 1);
        Assert.Throws<ArgumentException>("lower", () => solver.Minimize(ref good, [1.0], [0.0], new double[1], new LeastSquaresTolerances()));
        double[] outside = [2.0];
        Assert.Throws<ArgumentException>("parameters", () => solver.Minimize(ref good, [0.0], [1.0], outside, new LeastSquaresTolerances()));
        Assert.Throws<ArgumentException>("upper", () => solver.Minimize(ref good, [0.0], [1.0, 2.0], new double[1], new LeastSquaresTolerances()));
        Assert.Throws<ArgumentOutOfRangeException>("parameterCount", () => new LevenbergMarquardt(0));
        var twoParameters = new LinearProblem([1.0, 1.0], [1.0], 2);
        Assert.Throws<ArgumentException>("problem", () => solver.Minimize(ref twoParameters, [0.0], [1.0], new double[1], new LeastSquaresTolerances()));
    }
}

public class SigmoidModelTests
{
    // Plain reference: the textbook formula with the C runtime's exp, and central differences for the gradient.
    [Theory]
    [InlineData(0.7, 10, 0.3, 0.2, 0.0)]
    [InlineData(0.7, 10, 0.3, 0.2, 0.3)]
    [InlineData(0.5, 80, 0.25, 0.2, 0.27)]
    [InlineData(1.2, 0.5, 0.9, 0.0, 0.1)]
    public void Value_and_gradient_match_the_formula_and_central_differences(double l, double k, double x0, double b, double x)
    {
        var p = new SigmoidParameters(l, k, x0, b);
        Span<double> gradient = stackalloc double[4];
        double value = SigmoidModel.Evaluate(p, x, gradient);
        Assert.Equal(l / (1 + Math.Exp(k * (x - x0))) + b, value, 1e-15);
        Assert.Equal(value, SigmoidModel.Evaluate(p, x));

        double[] values = [l, k, x0, b];
        for (int j = 0; j < 4; j++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(values[j]));
            double[] up = (double[])values.Clone(), down = (double[])values.Clone();
            up[j] += h;
            down[j] -= h;
            double numeric = (SigmoidModel.Evaluate(new SigmoidParameters(up[0], up[1], up[2], up[3]), x)
                - SigmoidModel.Evaluate(new SigmoidParameters(down[0], down[1], down[2], down[3]), x)) / (2 * h);
            Assert.Equal(numeric, gradient[j], 1e-7 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void Extreme_exponents_do_not_overflow()
    {
        var p = new SigmoidParameters(0.7, 100, 0.0, 0.2);
        Span<double> gradient = stackalloc double[4];
        Assert.Equal(0.2, SigmoidModel.Evaluate(p, 1e6, gradient)); // z = 1e8: e^z would overflow
        Assert.Equal(0.0, gradient[0]);
        Assert.Equal(0.0, gradient[1]);
        Assert.Equal(0.9, SigmoidModel.Evaluate(p, -1e6, gradient), 15);
        Assert.Equal(1.0, gradient[0]);
        Assert.Equal(0.0, gradient[2]);
        Assert.All(gradient.ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void Least_squares_problem_agrees_with_the_model()
    {
        var p = new SigmoidParameters(0.6, 12, 0.3, 0.25);
        double[] x = [0.0, 0.2, 0.3, 0.45], y = [0.8, 0.7, 0.5, 0.3];
        var problem = new SigmoidLeastSquares(x, y);
        double[] r = new double[4], jacobian = new double[16], parameters = [p.L, p.K, p.X0, p.B];
        problem.Evaluate(parameters, r, jacobian);
        Span<double> gradient = stackalloc double[4];
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(SigmoidModel.Evaluate(p, x[i], gradient) - y[i], r[i]);
            Assert.Equal(gradient.ToArray(), jacobian.AsSpan(4 * i, 4).ToArray());
        }
    }
}

public class NormalEquationsTests
{
    // Plain reference: the textbook double loop, each entry summed over the rows in order from 0.
    private static (double[] Normal, double[] Gradient) Reference(double[] jacobian, double[] r, int m)
    {
        var normal = new double[m * m];
        var gradient = new double[m];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < r.Length; i++)
                gradient[j] += jacobian[i * m + j] * r[i];
            for (int k = 0; k < m; k++)
            {
                for (int i = 0; i < r.Length; i++)
                    normal[j * m + k] += jacobian[i * m + j] * jacobian[i * m + k];
            }
        }
        return (normal, gradient);
    }

    [Fact]
    public void Both_kernels_equal_the_plain_loop_bit_for_bit_for_every_length()
    {
        var random = new LabelFlip.Core.Random.RandomSource(11);
        foreach (int m in new[] { 1, 2, 3, 4, 5 })
        {
            for (int n = 0; n <= 40; n++)
            {
                double[] jacobian = Enumerable.Range(0, n * m).Select(_ => random.NextGaussian() * 1e3).ToArray();
                double[] r = Enumerable.Range(0, n).Select(_ => random.NextGaussian()).ToArray();
                (double[] normal, double[] gradient) = Reference(jacobian, r, m);

                double[] actualNormal = new double[m * m], actualGradient = new double[m];
                LevenbergMarquardt.NormalEquations(jacobian, r, m, actualNormal, actualGradient);
                Assert.Equal(normal, actualNormal);
                Assert.Equal(gradient, actualGradient);
                if (m == 4)
                {
                    actualNormal.AsSpan().Clear();
                    actualGradient.AsSpan().Clear();
                    LevenbergMarquardt.NormalEquations4(jacobian, r, actualNormal, actualGradient);
                    Assert.Equal(normal, actualNormal);
                    Assert.Equal(gradient, actualGradient);
                }
            }
        }
    }
}
