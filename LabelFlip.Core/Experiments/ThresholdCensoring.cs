namespace LabelFlip.Core.Experiments;

/// <summary>
/// How often a threshold was found within the data, and how often it was censored: over a set of fits (the
/// resamples of a bootstrap, or the data draws one by one).
/// </summary>
/// <param name="Reached">Fits whose threshold lies within the swept fractions.</param>
/// <param name="Extrapolated">Fits whose crossing lies beyond the largest fraction swept (censored: only a fit's
/// extrapolation puts it there).</param>
/// <param name="NotReached">Fits that stay above the target on the whole threshold grid (censored).</param>
/// <param name="NoTransition">Fits without a transition (flat, or clean accuracy at chance): censored too, as a
/// threshold above every reached one.</param>
public sealed record ThresholdCensoring(int Reached, int Extrapolated, int NotReached, int NoTransition)
{
    /// <summary>All fits counted.</summary>
    public int Total => Reached + Extrapolated + NotReached + NoTransition;

    /// <summary>Fits whose threshold is not within the data: treated as +∞, above every reached threshold.</summary>
    public int Censored => Extrapolated + NotReached + NoTransition;
}
