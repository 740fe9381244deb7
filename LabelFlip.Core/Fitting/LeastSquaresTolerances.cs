using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>Stopping rules of <see cref="LevenbergMarquardt"/>. The defaults iterate to machine precision.</summary>
/// <remarks>
/// Create with <c>new LeastSquaresTolerances()</c> (optionally with <c>{ MaxIterations = … }</c>):
/// <c>default(LeastSquaresTolerances)</c> bypasses the constructor and has zero tolerances and no iterations.
/// </remarks>
public readonly record struct LeastSquaresTolerances
{
    /// <summary>Default scaled-gradient tolerance.</summary>
    public const double DefaultGradient = 1e-12;

    /// <summary>Default relative step tolerance.</summary>
    public const double DefaultStep = 1e-14;

    /// <summary>Default relative cost-change tolerance.</summary>
    public const double DefaultCost = 1e-15;

    /// <summary>Default iteration cap.</summary>
    public const int DefaultMaxIterations = 500;

    private readonly double _gradient = DefaultGradient, _step = DefaultStep, _cost = DefaultCost;
    private readonly int _maxIterations = DefaultMaxIterations;

    /// <summary>Creates the default tolerances.</summary>
    public LeastSquaresTolerances()
    {
    }

    /// <summary>Stop when every free parameter's |Jⱼᵀr| / (‖Jⱼ‖·‖r‖) is at most this (≥ 0, finite).</summary>
    public double Gradient
    {
        get => _gradient;
        init
        {
            ThrowHelper.ThrowIfOutside(value, 0.0, 1.0, nameof(Gradient));
            _gradient = value;
        }
    }

    /// <summary>Stop when ‖D·s‖ ≤ this · ‖D·p‖ for the step s (D = Marquardt's column scaling; ≥ 0, finite).</summary>
    public double Step
    {
        get => _step;
        init
        {
            ThrowHelper.ThrowIfOutside(value, 0.0, 1.0, nameof(Step));
            _step = value;
        }
    }

    /// <summary>Stop when actual and predicted relative cost reductions are both at most this (≥ 0, finite).</summary>
    public double Cost
    {
        get => _cost;
        init
        {
            ThrowHelper.ThrowIfOutside(value, 0.0, 1.0, nameof(Cost));
            _cost = value;
        }
    }

    /// <summary>Maximum number of iterations (trial steps, accepted or not); at least 1.</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init
        {
            ThrowHelper.ThrowIfLess(value, 1, nameof(MaxIterations));
            _maxIterations = value;
        }
    }
}
