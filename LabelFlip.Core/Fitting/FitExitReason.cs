namespace LabelFlip.Core.Fitting;

/// <summary>Why <see cref="LevenbergMarquardt"/> stopped.</summary>
public enum FitExitReason
{
    /// <summary>
    /// The projected gradient is negligible: for every free parameter j, |Jⱼᵀr| ≤ tolerance · ‖Jⱼ‖·‖r‖
    /// (MINPACK's scaled gradient), or the residuals are exactly zero.
    /// </summary>
    ConvergedOnGradient,

    /// <summary>The scaled step shrank below the step tolerance relative to the scaled parameters.</summary>
    ConvergedOnStepSize,

    /// <summary>
    /// Both the actual and the predicted relative reduction of the cost are below the cost tolerance
    /// (MINPACK's ftol test).
    /// </summary>
    ConvergedOnCostChange,

    /// <summary>The iteration cap was reached before any convergence test passed; the result is the best point found.</summary>
    IterationLimit,

    /// <summary>The model returned a non-finite residual or Jacobian entry at the initial guess; nothing was fitted.</summary>
    FailedNonFiniteModel,
}
