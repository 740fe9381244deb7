namespace LabelFlip.Core.Statistics;

/// <summary>
/// The outcome of a <see cref="ClusterBootstrap"/> run: a percentile interval per statistic, and every
/// resample's statistic in resample order for any further analysis.
/// </summary>
public sealed class BootstrapResult
{
    private readonly ConfidenceInterval[] _intervals;
    private readonly double[] _replicates; // statistic-major: statistic k, resample b at k·ResampleCount + b

    internal BootstrapResult(ConfidenceInterval[] intervals, double[] replicates, int resampleCount, double confidenceLevel)
    {
        _intervals = intervals;
        _replicates = replicates;
        ResampleCount = resampleCount;
        ConfidenceLevel = confidenceLevel;
    }

    /// <summary>The number of resamples.</summary>
    public int ResampleCount { get; }

    /// <summary>The nominal coverage of the intervals, for example 0.95.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>The number of statistics computed per resample.</summary>
    public int StatisticCount => _intervals.Length;

    /// <summary>The interval of statistic <paramref name="statistic"/>.</summary>
    /// <param name="statistic">In [0, <see cref="StatisticCount"/>).</param>
    public ConfidenceInterval Interval(int statistic = 0)
    {
        CheckStatistic(statistic);
        return _intervals[statistic];
    }

    /// <summary>Statistic <paramref name="statistic"/> of each resample, in resample order (±∞ for censored).</summary>
    /// <param name="statistic">In [0, <see cref="StatisticCount"/>).</param>
    public ReadOnlySpan<double> Replicates(int statistic = 0)
    {
        CheckStatistic(statistic);
        return _replicates.AsSpan(statistic * ResampleCount, ResampleCount);
    }

    private void CheckStatistic(int statistic)
    {
        if ((uint)statistic >= (uint)_intervals.Length)
            throw new ArgumentOutOfRangeException(nameof(statistic), statistic, $"Must be in [0, {_intervals.Length - 1}].");
    }
}
