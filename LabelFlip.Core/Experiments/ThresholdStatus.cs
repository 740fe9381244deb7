namespace LabelFlip.Core.Experiments;

/// <summary>What can be said of a curve's critical threshold.</summary>
public enum ThresholdStatus
{
    /// <summary>The fitted curve crosses the target within the swept fractions.</summary>
    Reached,

    /// <summary>The crossing lies beyond the largest fraction swept: an extrapolation of the fit.</summary>
    Extrapolated,

    /// <summary>The fitted curve stays above the target on the whole threshold grid.</summary>
    NotReached,

    /// <summary>The curve has no transition to speak of (flat, or at chance already): no threshold, no steepness.</summary>
    NoTransition,

    /// <summary>Too few distinct fractions to fit four parameters: the fit is not identifiable.</summary>
    NotIdentifiable,
}
