using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// Percentile intervals of a point's dynamics findings over a two-stage cluster bootstrap (whole data draws, then the
/// seeds within each; the mean curves recomputed per resample).
/// </summary>
/// <param name="BestEpoch">The oracle early-stop epoch.</param>
/// <param name="AccuracySaved">The test accuracy that stopping there keeps.</param>
/// <param name="HalfMemorizedEpoch">The epoch at which half of the flipped rows are memorised, +∞ where the resample's
/// mean curve never reaches it (rank-based, so an upper bound of +∞ says that more than 2.5 % of resamples did not);
/// null when no row was flipped.</param>
public sealed record DynamicsIntervals(
    ConfidenceInterval BestEpoch,
    ConfidenceInterval AccuracySaved,
    ConfidenceInterval? HalfMemorizedEpoch);
