using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The learning dynamics of one curve point (a curve of <see cref="SweepAnalysis"/> at one poison fraction): the mean
/// curves over its replicate runs (every data draw and seed), and what they say about early stopping and memorization.
/// </summary>
/// <param name="Coordinates">The curve axes' values, as in <see cref="Curve.Coordinates"/>.</param>
/// <param name="Label">The curve's label, as in <see cref="Curve.Label"/>.</param>
/// <param name="PoisonFraction">The poison fraction.</param>
/// <param name="RunCount">The replicate runs averaged.</param>
/// <param name="Epochs">The recorded epochs.</param>
/// <param name="MeanTestAccuracy">Mean test accuracy at each recorded epoch.</param>
/// <param name="MeanMemorization">Mean memorization rate (flipped rows predicted as their noisy label) at each
/// recorded epoch; empty when no row was flipped.</param>
/// <param name="MeanCleanAccuracy">Mean accuracy on the clean training rows at each recorded epoch; empty when every
/// row was flipped.</param>
/// <param name="BestEpoch">The oracle early stop: the first recorded epoch at which the mean test accuracy is highest.</param>
/// <param name="AccuracySaved">Mean test accuracy at <paramref name="BestEpoch"/> minus at the last epoch (≥ 0): what
/// stopping there would have kept.</param>
/// <param name="HalfMemorizedEpoch">The first recorded epoch at which the mean memorization rate reaches
/// <see cref="DynamicsAnalysis.HalfMemorized"/>; null when it never does ("not reached", censored at the last
/// epoch) or when no row was flipped.</param>
/// <param name="Intervals">Over several data draws, 95% cluster-bootstrap intervals of the three findings; null
/// otherwise.</param>
public sealed record DynamicsPoint(
    ImmutableArray<string> Coordinates,
    string Label,
    double PoisonFraction,
    int RunCount,
    ImmutableArray<int> Epochs,
    ImmutableArray<double> MeanTestAccuracy,
    ImmutableArray<double> MeanMemorization,
    ImmutableArray<double> MeanCleanAccuracy,
    int BestEpoch,
    double AccuracySaved,
    int? HalfMemorizedEpoch,
    DynamicsIntervals? Intervals)
{
    /// <summary>Whether some run of the point flipped rows (every run then did: they share the fraction).</summary>
    public bool HasFlippedRows => !MeanMemorization.IsDefaultOrEmpty;
}
