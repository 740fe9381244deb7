namespace LabelFlip.Core.Statistics;

/// <summary>
/// Computes one or more statistics of a <see cref="ClusterResample"/> (for example, refits a curve to the
/// resampled draws and reports its threshold and slope), writing them into <paramref name="destination"/>.
/// </summary>
/// <remarks>
/// Called once for the original sample and once per resample, in order, on the calling thread; with several
/// threads (<c>maxDegreeOfParallelism</c>), each thread's own statistic takes a share of the resamples. To stay free
/// of allocation, gather the resample's data into buffers allocated once, outside the call. Every slot of
/// <paramref name="destination"/> must be written with a number or ±∞; +∞ (or −∞) marks a censored value such as
/// "threshold not reached". NaN is refused: it has no place in an ordering.
/// </remarks>
/// <param name="resample">The resample: which draws and which of their seeds.</param>
/// <param name="destination">One slot per statistic; arrives filled with NaN.</param>
public delegate void ClusterStatistic(ClusterResample resample, Span<double> destination);
