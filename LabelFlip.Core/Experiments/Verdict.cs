namespace LabelFlip.Core.Experiments;

/// <summary>The answer to a finding's question, given its evidence.</summary>
public enum Verdict
{
    /// <summary>The evidence supports the claim.</summary>
    Yes,

    /// <summary>The evidence contradicts the claim.</summary>
    No,

    /// <summary>The evidence cannot decide (a threshold missing or extrapolated, an estimate less precise than its size).</summary>
    Inconclusive,

    /// <summary>The sweep cannot ask the question (one curve, too few fractions).</summary>
    NotApplicable,
}
