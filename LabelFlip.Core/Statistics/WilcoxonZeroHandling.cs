namespace LabelFlip.Core.Statistics;

/// <summary>What the Wilcoxon signed-rank test does with zero differences (pairs that are equal).</summary>
public enum WilcoxonZeroHandling
{
    /// <summary>
    /// Drop the zeros, then rank the rest (Wilcoxon 1945; R's <c>wilcox.test</c>). The usual choice.
    /// </summary>
    Discard,

    /// <summary>
    /// Rank the zeros together with the other absolute differences, then drop the zeros' ranks
    /// (Pratt, "Remarks on zeros and ties in the Wilcoxon signed rank procedures", JASA 54, 1959): the other
    /// ranks start above the zeros, which keeps the test consistent when zeros are common.
    /// </summary>
    Pratt,
}
