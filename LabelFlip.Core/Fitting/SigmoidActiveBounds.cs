namespace LabelFlip.Core.Fitting;

/// <summary>
/// Which sigmoid parameters ended exactly on a bound. <see cref="Enum.ToString()"/> gives e.g.
/// <c>"LAtLower, KAtUpper"</c> or <c>"None"</c>.
/// </summary>
[Flags]
public enum SigmoidActiveBounds
{
    /// <summary>Every parameter is strictly inside its bounds.</summary>
    None = 0,

    /// <summary>L is on its lower bound (with the default 0: no step at all).</summary>
    LAtLower = 1 << 0,

    /// <summary>L is on its upper bound.</summary>
    LAtUpper = 1 << 1,

    /// <summary>k is on its lower bound.</summary>
    KAtLower = 1 << 2,

    /// <summary>k is on its upper bound (the data want a steeper step than allowed).</summary>
    KAtUpper = 1 << 3,

    /// <summary>x0 is on its lower bound.</summary>
    X0AtLower = 1 << 4,

    /// <summary>x0 is on its upper bound.</summary>
    X0AtUpper = 1 << 5,

    /// <summary>b is on its lower bound.</summary>
    BAtLower = 1 << 6,

    /// <summary>b is on its upper bound.</summary>
    BAtUpper = 1 << 7,
}
