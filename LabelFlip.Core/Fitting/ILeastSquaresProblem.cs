namespace LabelFlip.Core.Fitting;

/// <summary>
/// A nonlinear least-squares problem: minimise ½·Σᵢ rᵢ(p)² over the parameters p, with an analytic Jacobian.
/// </summary>
/// <remarks>
/// <see cref="LevenbergMarquardt"/> is generic over the problem type (a struct or ref struct), so calls to
/// <see cref="Evaluate"/> are direct and can be inlined; nothing is boxed or allocated.
/// </remarks>
public interface ILeastSquaresProblem
{
    /// <summary>Number of parameters, m (at least 1, at most <see cref="LevenbergMarquardt.MaxParameterCount"/>).</summary>
    int ParameterCount { get; }

    /// <summary>Number of residuals, n (at least 1).</summary>
    int ResidualCount { get; }

    /// <summary>
    /// Writes the residuals rᵢ(p) (model minus data) and the Jacobian ∂rᵢ/∂pⱼ, row-major n × m, at
    /// <paramref name="parameters"/>. Both are always requested together so a model can share the work
    /// (for the sigmoid, one exponential per point serves the value and all four derivatives).
    /// </summary>
    /// <param name="parameters">The m parameters, inside the bounds.</param>
    /// <param name="residuals">Destination for the n residuals.</param>
    /// <param name="jacobian">Destination for the n·m Jacobian entries, row i at [i·m, i·m + m).</param>
    void Evaluate(ReadOnlySpan<double> parameters, Span<double> residuals, Span<double> jacobian);
}
