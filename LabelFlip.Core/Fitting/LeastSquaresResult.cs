namespace LabelFlip.Core.Fitting;

/// <summary>Outcome of <see cref="LevenbergMarquardt.Minimize{TProblem}"/> (the parameters are written to the caller's span).</summary>
/// <param name="SumOfSquares">Σᵢ rᵢ² at the solution (SS_res).</param>
/// <param name="Iterations">Trial steps taken, accepted or not.</param>
/// <param name="ExitReason">Why the solver stopped.</param>
/// <param name="AtLowerBound">Bit j set when parameter j sits exactly on its lower bound.</param>
/// <param name="AtUpperBound">Bit j set when parameter j sits exactly on its upper bound.</param>
public readonly record struct LeastSquaresResult(
    double SumOfSquares, int Iterations, FitExitReason ExitReason, ulong AtLowerBound, ulong AtUpperBound)
{
    /// <summary>True when the solver stopped on one of its convergence tests.</summary>
    public bool Converged => ExitReason is FitExitReason.ConvergedOnGradient or FitExitReason.ConvergedOnStepSize
        or FitExitReason.ConvergedOnCostChange;
}
