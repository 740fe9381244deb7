using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// The study's sigmoid fit of accuracy against poison fraction, y = L / (1 + e^{k(x − x0)}) + b, and its
/// critical threshold. By default the global least-squares optimum within the bounds (never worse than SciPy's
/// <c>curve_fit(..., bounds=...)</c> from the same start); with <see cref="SigmoidFitSearch.Local"/>, SciPy's
/// local fit carried to its true constrained optimum. See <see cref="LevenbergMarquardt"/> and
/// <see cref="SigmoidFitSearch"/> for the algorithms.
/// </summary>
public static class SigmoidFit
{
    /// <summary>The study's threshold grid ends at this x.</summary>
    public const double DefaultGridMax = 0.6;

    /// <summary>The study's threshold grid has this many points.</summary>
    public const int DefaultGridPoints = 2000;

    [ThreadStatic]
    private static SigmoidFitter? t_fitter;

    /// <summary>
    /// Fits the sigmoid to the points with <paramref name="options"/> (null: the study's start, bounds and
    /// tight tolerances). By default the global optimum (<see cref="SigmoidFitSearch.Global"/>): the local fit
    /// from the start, and fits from a variable-projection grid over (k, x0) covering the bounds; set
    /// <see cref="SigmoidFitOptions.Search"/> to <see cref="SigmoidFitSearch.Local"/> for the local fit only.
    /// Uses a fitter kept per thread, so repeated calls allocate nothing.
    /// </summary>
    /// <param name="x">Abscissae: at least 2, all finite.</param>
    /// <param name="y">Observations: as many as <paramref name="x"/>, all finite.</param>
    /// <param name="options">Start, bounds and tolerances; null for the defaults.</param>
    /// <exception cref="ArgumentException">See <see cref="SigmoidFitter.Fit"/>.</exception>
    public static SigmoidFitResult Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, SigmoidFitOptions? options = null) =>
        (t_fitter ??= new SigmoidFitter()).Fit(x, y, options);

    /// <summary>The study's level for the threshold: (clean + 1/classCount) / 2, halfway to chance.</summary>
    /// <param name="cleanAccuracy">Accuracy without poisoning, in [0, 1].</param>
    /// <param name="classCount">Number of classes, at least 2.</param>
    public static double ThresholdTarget(double cleanAccuracy, int classCount)
    {
        ThrowHelper.ThrowIfOutside(cleanAccuracy, 0.0, 1.0);
        ThrowHelper.ThrowIfLess(classCount, 2);
        return (cleanAccuracy + 1.0 / classCount) / 2.0;
    }

    /// <summary>
    /// The study's starting point p0 = [max(y) − min(y), 10, 0.2, min(y)], each clipped into
    /// [<paramref name="lower"/>, <paramref name="upper"/>] so the rule never produces an invalid start.
    /// </summary>
    /// <param name="y">The observations (at least one).</param>
    /// <param name="lower">Lower bounds.</param>
    /// <param name="upper">Upper bounds.</param>
    public static SigmoidParameters StudyInitialGuess(ReadOnlySpan<double> y, SigmoidParameters lower, SigmoidParameters upper)
    {
        if (y.IsEmpty)
            ThrowHelper.ThrowArgument(nameof(y), "Must have at least one value.");
        double min = y[0], max = y[0];
        for (int i = 1; i < y.Length; i++)
        {
            min = Math.Min(min, y[i]);
            max = Math.Max(max, y[i]);
        }
        return new SigmoidParameters(
            Clip(max - min, lower.L, upper.L), Clip(10.0, lower.K, upper.K),
            Clip(0.2, lower.X0, upper.X0), Clip(min, lower.B, upper.B));
    }

    private static double Clip(double value, double lower, double upper) => Math.Min(Math.Max(value, lower), upper);
}
