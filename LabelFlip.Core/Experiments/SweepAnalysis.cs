using System.Collections.Immutable;
using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Experiments;

/// <summary>Mean and spread of the runs at one (poison fraction, width) over the seeds.</summary>
/// <remarks>Standard deviations are sample ones (divisor n − 1), null with a single seed.</remarks>
public sealed record AggregatedPoint(
    double PoisonFraction,
    int HiddenWidth,
    double TestAccMean,
    double? TestAccStd,
    double TrainAccMean,
    double? TrainAccStd,
    double TrainCleanAccMean,
    double? TrainCleanAccStd,
    double GenGapMean,
    double? GenGapStd,
    double FinalLossMean,
    double? FinalLossStd,
    double? MemorizationRateMean,
    double? MemorizationRateStd,
    int NSeeds);

/// <summary>The descending sigmoid fitted to one width's mean test accuracy against the poison fraction.</summary>
/// <param name="HiddenWidth">The width.</param>
/// <param name="Fit">The fit: parameters, SS_res, R², standard errors, exit reason.</param>
/// <param name="ThresholdTarget">t = (clean accuracy + 1/classes)/2.</param>
/// <param name="ThresholdOnGrid">The study's threshold: the first of 2,000 grid points on [0, 0.6] where the curve is ≤ t; +∞ if none.</param>
/// <param name="ThresholdClosedForm">The exact crossing x0 + ln(L/(t − b) − 1)/k; +∞ where the curve never reaches t.</param>
public sealed record WidthFit(
    int HiddenWidth,
    SigmoidFitResult Fit,
    double ThresholdTarget,
    double ThresholdOnGrid,
    double ThresholdClosedForm);

/// <summary>The study's conclusions, one value per width where it applies (widths ascending).</summary>
/// <param name="Widths">The widths, ascending; every list below follows this order.</param>
/// <param name="CleanTestAccuracy">Mean test accuracy at the smallest poison fraction.</param>
/// <param name="CriticalThresholds">The study's grid threshold per width (+∞: never reached on [0, 0.6]).</param>
/// <param name="SteepnessK">Fitted k per width.</param>
/// <param name="RSquared">R² of each fit.</param>
/// <param name="GenGapAtMaxPoison">Mean generalization gap at the largest poison fraction.</param>
/// <param name="LargerModelsMoreSensitive">Thresholds fall strictly as width grows; null with fewer than two widths.</param>
/// <param name="SharpTransition">Some width has a transition with k &gt; <see cref="SweepAnalysis.SharpSteepness"/>.</param>
public sealed record Findings(
    ImmutableArray<int> Widths,
    ImmutableArray<double> CleanTestAccuracy,
    ImmutableArray<double> CriticalThresholds,
    ImmutableArray<double> SteepnessK,
    ImmutableArray<double> RSquared,
    ImmutableArray<double> GenGapAtMaxPoison,
    bool? LargerModelsMoreSensitive,
    bool SharpTransition);

/// <summary>Turns run results into the study's aggregates, sigmoid fits and findings. Pure and deterministic.</summary>
public static class SweepAnalysis
{
    /// <summary>The study's steepness above which a transition counts as sharp.</summary>
    public const double SharpSteepness = 5.0;

    /// <summary>
    /// Means and sample standard deviations per (fraction, width), in the config's order of fractions (ascending
    /// poison after sorting) and widths (ascending). Runs are summed in seed order, so the result does not depend
    /// on the order the runs finished in.
    /// </summary>
    public static ImmutableArray<AggregatedPoint> Aggregate(SweepConfig config, IEnumerable<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(runs);
        var byKey = runs.ToDictionary(r => r.Key);
        var points = ImmutableArray.CreateBuilder<AggregatedPoint>();
        foreach (double fraction in config.PoisonFractions.Order())
        {
            foreach (int width in config.HiddenWidths.Order())
            {
                RunResult[] group = config.Seeds
                    .Select(seed => byKey.TryGetValue(new RunKey(fraction, width, seed), out RunResult? r) ? r : null)
                    .OfType<RunResult>().ToArray();
                if (group.Length == 0)
                    continue;
                double?[] memorised = group.Select(r => r.MemorizationRate).Where(m => m.HasValue).ToArray();
                points.Add(new AggregatedPoint(
                    fraction, width,
                    Mean(group, r => r.TestAccuracy), SampleStd(group, r => r.TestAccuracy),
                    Mean(group, r => r.TrainAccuracy), SampleStd(group, r => r.TrainAccuracy),
                    Mean(group, r => r.TrainCleanAccuracy), SampleStd(group, r => r.TrainCleanAccuracy),
                    Mean(group, r => r.GeneralizationGap), SampleStd(group, r => r.GeneralizationGap),
                    Mean(group, r => r.FinalLoss), SampleStd(group, r => r.FinalLoss),
                    memorised.Length == 0 ? null : Mean(memorised, m => m!.Value),
                    SampleStd(memorised, m => m!.Value),
                    group.Length));
            }
        }
        return points.ToImmutable();
    }

    /// <summary>Fits the descending sigmoid to each width's mean test accuracy (widths ascending).</summary>
    /// <param name="points">Aggregated points, as from <see cref="Aggregate"/>.</param>
    /// <param name="classCount">Number of classes: chance accuracy is 1/classCount.</param>
    /// <param name="options">Fit options; the study's by default.</param>
    public static ImmutableArray<WidthFit> FitWidths(IEnumerable<AggregatedPoint> points, int classCount, SigmoidFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        var fits = ImmutableArray.CreateBuilder<WidthFit>();
        foreach (IGrouping<int, AggregatedPoint> width in points.GroupBy(p => p.HiddenWidth).OrderBy(g => g.Key))
        {
            AggregatedPoint[] ordered = width.OrderBy(p => p.PoisonFraction).ToArray();
            if (ordered.Length < 2)
                continue; // a curve needs two points at least
            double[] x = ordered.Select(p => p.PoisonFraction).ToArray();
            double[] y = ordered.Select(p => p.TestAccMean).ToArray();
            SigmoidFitResult fit = SigmoidFit.Fit(x, y, options);
            double target = SigmoidFit.ThresholdTarget(y[0], classCount);
            fits.Add(new WidthFit(width.Key, fit, target, fit.ThresholdOnGrid(target), fit.ThresholdClosedForm(target)));
        }
        return fits.ToImmutable();
    }

    /// <summary>The study's findings from the aggregates and fits.</summary>
    public static Findings Summarize(IReadOnlyCollection<AggregatedPoint> points, IReadOnlyCollection<WidthFit> fits)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(fits);
        WidthFit[] ordered = fits.OrderBy(f => f.HiddenWidth).ToArray();
        double maxFraction = points.Count == 0 ? 0 : points.Max(p => p.PoisonFraction);
        double minFraction = points.Count == 0 ? 0 : points.Min(p => p.PoisonFraction);
        double At(int width, double fraction, Func<AggregatedPoint, double> metric) =>
            points.Where(p => p.HiddenWidth == width && p.PoisonFraction == fraction).Select(metric).DefaultIfEmpty(double.NaN).First();

        double[] thresholds = ordered.Select(f => f.ThresholdOnGrid).ToArray();
        bool? moreSensitive = null;
        if (thresholds.Length >= 2)
        {
            moreSensitive = true;
            for (int i = 1; i < thresholds.Length; i++)
                moreSensitive &= thresholds[i] < thresholds[i - 1];
        }
        return new Findings(
            [.. ordered.Select(f => f.HiddenWidth)],
            [.. ordered.Select(f => At(f.HiddenWidth, minFraction, p => p.TestAccMean))],
            [.. thresholds],
            [.. ordered.Select(f => f.Fit.K)],
            [.. ordered.Select(f => f.Fit.RSquared)],
            [.. ordered.Select(f => At(f.HiddenWidth, maxFraction, p => p.GenGapMean))],
            moreSensitive,
            ordered.Any(f => f.Fit.HasTransition && f.Fit.K > SharpSteepness));
    }

    private static double Mean<T>(IReadOnlyList<T> items, Func<T, double> metric)
    {
        double sum = 0;
        foreach (T item in items)
            sum += metric(item);
        return sum / items.Count;
    }

    private static double? SampleStd<T>(IReadOnlyList<T> items, Func<T, double> metric)
    {
        if (items.Count < 2)
            return null;
        double mean = Mean(items, metric), sum = 0;
        foreach (T item in items)
        {
            double d = metric(item) - mean;
            sum += d * d;
        }
        return Math.Sqrt(sum / (items.Count - 1));
    }
}
