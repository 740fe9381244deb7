namespace LabelFlip.Core.Statistics;

/// <summary>
/// A bootstrap confidence interval for one statistic: the estimate on the original sample, the interval's
/// bounds, and how many resample statistics were censored (±∞).
/// </summary>
/// <param name="Estimate">The statistic on the original sample (may be ±∞).</param>
/// <param name="Lower">The lower bound (may be −∞, or +∞ when most resamples are censored above).</param>
/// <param name="Upper">The upper bound; +∞ means the data cannot bound the statistic from above.</param>
/// <param name="ConfidenceLevel">The nominal coverage, for example 0.95.</param>
/// <param name="ResampleCount">The number of resamples the bounds come from.</param>
/// <param name="CensoredHighCount">Resamples whose statistic was +∞ (for example "threshold not reached").</param>
/// <param name="CensoredLowCount">Resamples whose statistic was −∞.</param>
public readonly record struct ConfidenceInterval(
    double Estimate, double Lower, double Upper, double ConfidenceLevel, int ResampleCount,
    int CensoredHighCount, int CensoredLowCount)
{
    /// <summary>The number of resamples with a finite statistic.</summary>
    public int FiniteCount => ResampleCount - CensoredHighCount - CensoredLowCount;

    /// <summary>True when <paramref name="value"/> lies in [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
