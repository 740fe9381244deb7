namespace LabelFlip.Core.Statistics;

/// <summary>How the Wilcoxon signed-rank test computes its p-value.</summary>
public enum WilcoxonMethod
{
    /// <summary>
    /// Exact when at most <see cref="WilcoxonSignedRank.DefaultExactLimit"/> differences are ranked,
    /// normal approximation above.
    /// </summary>
    Automatic,

    /// <summary>
    /// The exact permutation distribution of the signed-rank sum given the observed ranks (all 2ⁿ sign
    /// assignments equally likely), mid-ranks included, by dynamic programming. At most
    /// <see cref="WilcoxonSignedRank.MaxExactCount"/> ranked differences.
    /// </summary>
    Exact,

    /// <summary>The normal approximation with the tie-corrected variance and a continuity correction of ½.</summary>
    NormalApproximation,
}
