namespace LabelFlip.Core.Statistics;

/// <summary>The outcome of a two-sided Wilcoxon signed-rank test.</summary>
/// <param name="PairCount">All pairs (differences) given, zeros included.</param>
/// <param name="ZeroCount">Pairs whose difference was zero.</param>
/// <param name="RankedCount">n: the differences whose ranks enter the statistic (the non-zero ones).</param>
/// <param name="Statistic">V: the sum of the ranks of the positive differences (R's <c>V</c>); mid-ranks for ties.</param>
/// <param name="ExpectedStatistic">V's mean under the null hypothesis: half the sum of the ranks used.</param>
/// <param name="Variance">V's variance under the null hypothesis: a quarter of the sum of the squared ranks used (this is the tie-corrected variance).</param>
/// <param name="HasTies">True when some non-zero absolute differences were equal (mid-ranks were used).</param>
/// <param name="Method">The method that produced <see cref="PValue"/>: <see cref="WilcoxonMethod.Exact"/> or <see cref="WilcoxonMethod.NormalApproximation"/>.</param>
/// <param name="PValue">The two-sided p-value, min(1, 2·min(P(V′ ≤ V), P(V′ ≥ V))); 1 when nothing is ranked.</param>
public readonly record struct WilcoxonResult(
    int PairCount, int ZeroCount, int RankedCount, double Statistic, double ExpectedStatistic, double Variance,
    bool HasTies, WilcoxonMethod Method, double PValue);
