namespace LabelFlip.Core.Fitting;

/// <summary>How <see cref="SigmoidFitter.Fit"/> looks for the least-squares optimum.</summary>
public enum SigmoidFitSearch
{
    /// <summary>
    /// The default: the local fit from the start, plus a variable-projection grid over (k, x0) covering the
    /// bounds with (L, b) solved in closed form inside their box at every node, whose best few basins are
    /// polished by the same Levenberg–Marquardt; the lowest SS_res wins. A noisy sigmoid fit can have several
    /// local minima (a flat noisy curve, a step that could sit in any gap between samples); this finds the
    /// global one, and is never worse than <see cref="Local"/>.
    /// </summary>
    Global,

    /// <summary>
    /// Only the bounded Levenberg–Marquardt from the start (the study's rule or
    /// <see cref="SigmoidFitOptions.InitialGuess"/>), as SciPy's <c>curve_fit</c> does: 10 to 20 times faster,
    /// but it stops in whichever local minimum the start leads to. For reproducing a local fit from a given
    /// p0, or when the start is known to be in the right basin.
    /// </summary>
    Local,
}
