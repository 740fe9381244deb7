namespace LabelFlip.Core.Fitting;

/// <summary>Whether a parameter covariance could be estimated at the solution.</summary>
public enum CovarianceStatus
{
    /// <summary>s²·(JᵀJ)⁻¹ was computed; standard errors are finite.</summary>
    Estimated,

    /// <summary>n ≤ m: no degrees of freedom left for s² (SciPy returns +∞ here); standard errors are +∞.</summary>
    TooFewPoints,

    /// <summary>
    /// JᵀJ is singular to working precision (for example a Jacobian column is zero because L = 0 makes k and
    /// x0 irrelevant); standard errors are NaN. SciPy returns a pseudo-inverse here, which has no
    /// statistical meaning, so we do not imitate it.
    /// </summary>
    Singular,

    /// <summary>The fit failed before a Jacobian at a solution existed; standard errors are NaN.</summary>
    NotAvailable,
}
