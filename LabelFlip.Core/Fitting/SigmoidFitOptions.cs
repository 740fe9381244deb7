namespace LabelFlip.Core.Fitting;

/// <summary>
/// Options of <see cref="SigmoidFit.Fit"/>: search, start, box bounds and stopping rules. The defaults are the study's
/// (bounds L ∈ [0, 1.5], k ∈ [0.1, 100], x0 ∈ [0, 1], b ∈ [0, 1]) with tolerances tight enough to reach the
/// true constrained optimum to about 1e-7 relative.
/// </summary>
public sealed record SigmoidFitOptions
{
    /// <summary>The study's lower bounds (L, k, x0, b) = (0, 0.1, 0, 0).</summary>
    public static SigmoidParameters DefaultLower { get; } = new(0.0, 0.1, 0.0, 0.0);

    /// <summary>The study's upper bounds (L, k, x0, b) = (1.5, 100, 1, 1).</summary>
    public static SigmoidParameters DefaultUpper { get; } = new(1.5, 100.0, 1.0, 1.0);

    /// <summary>The options with every default.</summary>
    public static SigmoidFitOptions Default { get; } = new();

    private LeastSquaresTolerances _tolerances = new();

    /// <summary>
    /// Starting point, finite and inside the bounds; null (default) uses the study's rule
    /// p0 = [max(y) − min(y), 10, 0.2, min(y)], clipped into the bounds (see <see cref="SigmoidFit.StudyInitialGuess"/>).
    /// </summary>
    public SigmoidParameters? InitialGuess { get; init; }

    /// <summary>
    /// How the optimum is searched for: <see cref="SigmoidFitSearch.Global"/> (default; the lowest SS_res over
    /// the local fit from the start and fits from a grid over the bounds) or <see cref="SigmoidFitSearch.Local"/>
    /// (only the local fit from the start).
    /// </summary>
    public SigmoidFitSearch Search { get; init; } = SigmoidFitSearch.Global;

    /// <summary>Lower bounds; −∞ allowed, NaN not; each at most the matching <see cref="Upper"/>.</summary>
    public SigmoidParameters Lower { get; init; } = DefaultLower;

    /// <summary>Upper bounds; +∞ allowed, NaN not.</summary>
    public SigmoidParameters Upper { get; init; } = DefaultUpper;

    /// <summary>Scaled-gradient tolerance (see <see cref="LeastSquaresTolerances.Gradient"/>), in [0, 1].</summary>
    public double GradientTolerance
    {
        get => _tolerances.Gradient;
        init => _tolerances = _tolerances with { Gradient = value };
    }

    /// <summary>Relative step tolerance (see <see cref="LeastSquaresTolerances.Step"/>), in [0, 1].</summary>
    public double StepTolerance
    {
        get => _tolerances.Step;
        init => _tolerances = _tolerances with { Step = value };
    }

    /// <summary>Relative cost-change tolerance (see <see cref="LeastSquaresTolerances.Cost"/>), in [0, 1].</summary>
    public double CostTolerance
    {
        get => _tolerances.Cost;
        init => _tolerances = _tolerances with { Cost = value };
    }

    /// <summary>Iteration cap (trial steps), at least 1.</summary>
    public int MaxIterations
    {
        get => _tolerances.MaxIterations;
        init => _tolerances = _tolerances with { MaxIterations = value };
    }

    /// <summary>The stopping rules as passed to <see cref="LevenbergMarquardt"/>.</summary>
    public LeastSquaresTolerances Tolerances => _tolerances;
}
