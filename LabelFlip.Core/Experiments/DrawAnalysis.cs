using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Random;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The analysis of a sweep whose <c>data.seed</c> axis has two values or more: replicates at two levels, training
/// seeds within a data draw and data draws across. Gives every fitted quantity of every curve an interval, compares
/// curves draw by draw, and decides the findings on intervals and tests instead of on point estimates.
/// </summary>
/// <remarks>
/// <para><b>Per-curve intervals.</b> A two-stage cluster bootstrap (<see cref="ClusterBootstrap"/>): each resample
/// picks whole draws with replacement, then each picked draw's seeds with replacement; the resample's mean curve
/// (mean test accuracy per fraction over its runs) is refitted with <see cref="SigmoidFit.Fit"/>, and its clean
/// accuracy, L, k, x0, b, threshold, 90%→10% drop width, and the mean generalization gap and memorization rate at
/// the largest fraction are recorded. The estimate is the same computed on the original sample (every draw, every
/// seed). Intervals are percentile intervals (rank-based). All curves share each resample's draws and seeds.</para>
/// <para><b>Censoring.</b> A threshold counts only when the fitted curve reaches its target within the swept
/// fractions. Extrapolated, not reached and no-transition thresholds are censored: they are +∞, above every
/// reached threshold, and counted. Every threshold summary is therefore rank-based: medians and percentile
/// intervals, never means (<see cref="ThresholdCensoring"/>).</para>
/// <para><b>Paired comparisons.</b> Each draw's own threshold (its mean curve over seeds, fitted) and gap at the
/// largest fraction are compared between every pair of curves along the compared axis: in a draw both curves share
/// data, split, poison and seeds, so the difference cancels what the draw did to both. Per pair: the differences,
/// their mean (when all are finite) and median with percentile bootstrap intervals over draws (the draws are
/// independent, so they are resampled as they are), the share of draws in which the ordering holds, and a Wilcoxon
/// signed-rank p-value, Holm-corrected over the pairs of the metric.</para>
/// <para><b>Verdicts.</b> A pair supports a directional claim when its interval (the mean's, else the median's)
/// excludes 0 on the claimed side and its Holm-adjusted p-value is below <see cref="Alpha"/>; it contradicts it
/// when both say the other side. A claim is yes when every pair supports it, no when some pair contradicts it,
/// and inconclusive otherwise. Sharpness is judged on the median over draws of each draw's own k (the mean
/// curve of draws that cross at different fractions is flatter than any of them): yes when some curve's interval
/// lies above <see cref="SweepAnalysis.SharpSteepness"/>, no when every curve's lies at or below it.</para>
/// <para><b>Random numbers.</b> The resamples come from <c>new RandomSource(BootstrapSeed(config),
/// StreamKey.Of(name))</c> with the names <c>bootstrap</c> (curves), <c>bootstrap.draw_thresholds</c> and
/// <c>bootstrap.draw_steepness</c> (each key combined with the curve's index), and <c>bootstrap.paired.threshold</c>
/// and <c>bootstrap.paired.generalization_gap</c>: the result depends on the config and the records only, never on thread counts,
/// shards or the order runs finished in.</para>
/// </remarks>
public static class DrawAnalysis
{
    /// <summary>The axis whose values are independent data draws.</summary>
    public const string DataSeedAxis = "data.seed";

    /// <summary>The axis of training seeds within a draw.</summary>
    public const string SeedAxis = "seed";

    /// <summary>The level below which a Holm-adjusted p-value counts, with the interval, as evidence.</summary>
    public const double Alpha = 0.05;

    /// <summary>The stream name of the per-curve bootstrap.</summary>
    public const string CurveStream = "bootstrap";

    /// <summary>The stream name of the bootstrap of the median per-draw threshold.</summary>
    public const string DrawThresholdStream = "bootstrap.draw_thresholds";

    /// <summary>The stream name of the bootstrap of the median per-draw steepness.</summary>
    public const string DrawSteepnessStream = "bootstrap.draw_steepness";

    /// <summary>The stream name of the paired comparisons' bootstrap.</summary>
    public const string PairedStream = "bootstrap.paired";

    // 2·ln 9: a logistic falls from 90% to 10% of its drop over k·Δx = 2·ln 9. Written out so no log is taken.
    private const double DropWidthFactor = 4.3944491546724388;

    // The statistics of each curve in the per-curve bootstrap, in slot order.
    private const int Clean = 0, LSlot = 1, KSlot = 2, X0Slot = 3, BSlot = 4, ThresholdSlot = 5, WidthSlot = 6, GapSlot = 7, MemoSlot = 8;
    private const int FixedSlots = 9; // then one slot per fraction: the mean test accuracy there

    /// <summary>
    /// The bootstrap's seed for <paramref name="config"/>: its <see cref="SweepConfig.Fingerprint"/> (16 hex digits)
    /// read as a 64-bit number, so the same sweep always gets the same resamples and a different one different ones.
    /// </summary>
    public static ulong BootstrapSeed(SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ulong.Parse(config.Fingerprint, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Analyses the records over data draws; null when <c>data.seed</c> is not an axis with two values or more, or
    /// when <c>poison.fraction</c> has fewer than <see cref="SweepAnalysis.MinFitFractions"/> values.
    /// </summary>
    /// <param name="config">The sweep.</param>
    /// <param name="records">One record per run, in plan order.</param>
    /// <param name="resampleCount">Bootstrap resamples, at least 1 (default 2,000).</param>
    /// <param name="maxDegreeOfParallelism">Threads that refit the curves of the resamples, at least 1 (default 1). The
    /// result is the same bits on any number.</param>
    /// <exception cref="ArgumentException">The records are not the sweep's runs in plan order.</exception>
    public static DrawSummary? Analyze(SweepConfig config, IReadOnlyList<RunRecord> records, int resampleCount = ClusterBootstrap.DefaultResampleCount,
                                       int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(records);
        if (resampleCount < 1)
            throw new ArgumentOutOfRangeException(nameof(resampleCount), resampleCount, "Must be at least 1.");
        if (maxDegreeOfParallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Must be at least 1.");
        RunRecords.RequirePlanOrder(config, records, nameof(records));

        int dataAxis = AxisIndex(config, DataSeedAxis);
        int fractionAxis = AxisIndex(config, SweepAnalysis.FractionAxis);
        if (dataAxis < 0 || config.Axes[dataAxis].Values.Length < 2
            || fractionAxis < 0 || config.Axes[fractionAxis].Values.Length < SweepAnalysis.MinFitFractions)
            return null;
        int seedAxis = AxisIndex(config, SeedAxis);
        int[] curveAxes = [.. Enumerable.Range(0, config.Axes.Length)
            .Where(a => a != fractionAxis && !SweepAnalysis.ReplicateAxes.Contains(config.Axes[a].Path))];

        var layout = new Layout(config, records, dataAxis, seedAxis, fractionAxis, curveAxes);
        ulong seed = BootstrapSeed(config);
        double level = ClusterBootstrap.DefaultConfidenceLevel;

        CurveIntervals[] curves = CurveBootstrap(layout, seed, resampleCount, level, maxDegreeOfParallelism);

        ImmutableArray<string> curveAxisPaths = [.. curveAxes.Select(a => config.Axes[a].Path)];
        string[] varying = [.. curveAxisPaths.Where(p => config.Axis(p)!.Values.Length >= 2)];
        string? compared = varying.Length == 1 ? varying[0] : null;
        var comparisons = new List<PairedComparison>();
        int[] order = [];
        if (compared is not null)
        {
            int coordinate = curveAxisPaths.IndexOf(compared);
            order = [.. Enumerable.Range(0, curves.Length).OrderBy(c => curves[c].Coordinates[coordinate], Comparer<string>.Create(SweepAnalysis.CompareValues))];
            double[][] gaps = [.. Enumerable.Range(0, curves.Length).Select(layout.DrawGaps)];
            double[][] thresholds = [.. curves.Select(c => c.DrawThresholds.ToArray())];
            comparisons.AddRange(Compare("threshold", thresholds, curves, order, seed, resampleCount, level, StreamKey.Of(PairedStream + ".threshold")));
            comparisons.AddRange(Compare("generalization_gap", gaps, curves, order, seed, resampleCount, level, StreamKey.Of(PairedStream + ".generalization_gap")));
        }

        ImmutableArray<Finding> findings = Findings(compared, varying, curves, order, comparisons, layout, SweepAnalysis.Unordered(config, compared));
        return new DrawSummary([.. layout.DataSeeds], layout.SeedCount, [.. layout.Fractions], resampleCount, level, seed, compared,
            [.. curves], [.. comparisons], findings);
    }

    private static int AxisIndex(SweepConfig config, string path) =>
        config.Axis(path) is SweepAxis axis ? config.Axes.IndexOf(axis) : -1;

    private static CurveIntervals[] CurveBootstrap(Layout layout, ulong seed, int resampleCount, double level, int threads)
    {
        int curveCount = layout.CurveCount, fractions = layout.FractionCount, seeds = layout.SeedCount;
        double[] x = layout.Fractions;
        var originalStatus = new ThresholdStatus[curveCount];
        int[] seedCounts = [.. Enumerable.Repeat(seeds, layout.DrawCount)];
        int slotsPerCurve = FixedSlots + fractions;
        // One statistic per thread, each with its own mean curve and censoring counts (summed after: the same counts
        // in any order). The original sample writes originalStatus, on one thread.
        var counts = new List<int[,]>();

        BootstrapResult result = ClusterBootstrap.Run(seedCounts, curveCount * slotsPerCurve, () =>
        {
            double[] y = new double[fractions];
            var censoring = new int[curveCount, 4];
            counts.Add(censoring);
            return (resample, destination) => MeanCurves(resample, destination, y, censoring);
        }, new RandomSource(seed, StreamKey.Of(CurveStream)), resampleCount, level, threads);
        var censored = new int[curveCount, 4];
        foreach (int[,] part in counts)
        {
            for (int c = 0; c < curveCount; c++)
            {
                for (int status = 0; status < 4; status++)
                    censored[c, status] += part[c, status];
            }
        }

        var curves = new CurveIntervals[curveCount];
        for (int c = 0; c < curveCount; c++)
        {
            (double[] drawThresholds, double[] drawSteepness, ThresholdCensoring drawCensoring) = layout.DrawThresholds(c);
            BootstrapResult median = ClusterBootstrap.Run([.. drawThresholds.Select(t => new[] { t })], Descriptive.Median,
                new RandomSource(seed, StreamKey.Combine(StreamKey.Of(DrawThresholdStream), (ulong)c)), resampleCount, level);
            BootstrapResult steepness = ClusterBootstrap.Run([.. drawSteepness.Select(k => new[] { k })], Descriptive.Median,
                new RandomSource(seed, StreamKey.Combine(StreamKey.Of(DrawSteepnessStream), (ulong)c)), resampleCount, level);
            ConfidenceInterval Slot(int slot) => result.Interval(c * slotsPerCurve + slot);
            curves[c] = new CurveIntervals(layout.CurveCoordinates[c], layout.CurveLabels[c],
                Slot(Clean), Slot(LSlot), Slot(KSlot), Slot(X0Slot), Slot(BSlot), Slot(ThresholdSlot), Slot(WidthSlot), Slot(GapSlot),
                layout.MemorizationDefined[c] ? Slot(MemoSlot) : null,
                new ThresholdCensoring(censored[c, 0], censored[c, 1], censored[c, 2], censored[c, 3]),
                [.. drawThresholds], drawCensoring, median.Interval(), steepness.Interval(),
                [.. Enumerable.Range(FixedSlots, fractions).Select(Slot)]);
        }
        return curves;

        // A resample's mean curve per curve, its fit and threshold; y and censoring belong to the calling statistic.
        void MeanCurves(ClusterResample resample, Span<double> destination, double[] y, int[,] censoring)
        {
            for (int c = 0; c < curveCount; c++)
            {
                double[] accuracy = layout.Accuracy[c], gap = layout.Gap[c], memo = layout.Memorization[c];
                Array.Clear(y);
                double gapSum = 0, memoSum = 0;
                int n = 0;
                for (int k = 0; k < resample.DrawCount; k++)
                {
                    int d = resample.DrawIndices[k];
                    foreach (int s in resample.SeedIndices(k))
                    {
                        int row = (d * seeds + s) * fractions;
                        for (int f = 0; f < fractions; f++)
                            y[f] += accuracy[row + f];
                        gapSum += gap[d * seeds + s];
                        memoSum += memo[d * seeds + s];
                        n++;
                    }
                }
                for (int f = 0; f < fractions; f++)
                    y[f] /= n;
                Span<double> slots = destination.Slice(c * slotsPerCurve, slotsPerCurve);
                ThresholdStatus status = FitMean(x, y, layout.Classes[c], layout.MaxFraction, out SigmoidFitResult fit, out double threshold);
                slots[Clean] = y[0];
                slots[LSlot] = fit.L;
                slots[KSlot] = fit.K;
                slots[X0Slot] = fit.X0;
                slots[BSlot] = fit.B;
                slots[ThresholdSlot] = threshold;
                slots[WidthSlot] = fit.K > 0 ? DropWidthFactor / fit.K : double.PositiveInfinity;
                slots[GapSlot] = gapSum / n;
                slots[MemoSlot] = layout.MemorizationDefined[c] ? memoSum / n : 0;
                y.CopyTo(slots[FixedSlots..]);
                if (resample.IsOriginal)
                    originalStatus[c] = status;
                else
                    censoring[c, (int)status]++;
            }
        }
    }

    /// <summary>
    /// Fits the mean curve <paramref name="y"/> and reads its threshold as <see cref="SweepAnalysis"/> does:
    /// finite only when reached within the swept fractions, +∞ otherwise. The status is Reached, Extrapolated,
    /// NotReached or NoTransition (in that enum order, which indexes the censoring counts).
    /// </summary>
    internal static ThresholdStatus FitMean(double[] x, double[] y, int classes, double maxFraction, out SigmoidFitResult fit, out double threshold)
    {
        fit = SigmoidFit.Fit(x, y);
        threshold = double.PositiveInfinity;
        double clean = y[0];
        if (clean - 1.0 / classes < SweepAnalysis.MinCleanAboveChance || !fit.HasTransition)
            return ThresholdStatus.NoTransition;
        double grid = SweepAnalysis.ThresholdOnGrid(fit, SigmoidFit.ThresholdTarget(Math.Clamp(clean, 0, 1), classes), maxFraction);
        if (!double.IsFinite(grid))
            return ThresholdStatus.NotReached;
        if (grid > maxFraction)
            return ThresholdStatus.Extrapolated;
        threshold = grid;
        return ThresholdStatus.Reached;
    }

    private static IEnumerable<PairedComparison> Compare(
        string metric, double[][] values, CurveIntervals[] curves, int[] order, ulong seed, int resampleCount, double level, ulong stream)
    {
        var pairs = new List<(int Lower, int Upper, double[] Differences, int BothCensored)>();
        for (int i = 0; i < order.Length; i++)
        {
            for (int j = i + 1; j < order.Length; j++)
            {
                double[] low = values[order[i]], high = values[order[j]];
                // ∞ − ∞ (both censored) is a tie: neither draw says which curve is lower.
                pairs.Add((order[i], order[j], [.. low.Select((v, d) => high[d] == v ? 0.0 : high[d] - v)],
                    low.Where((v, d) => double.IsPositiveInfinity(v) && double.IsPositiveInfinity(high[d])).Count()));
            }
        }
        if (pairs.Count == 0)
            return [];
        int drawCount = values[0].Length;
        bool[] finite = [.. pairs.Select(p => p.Differences.All(double.IsFinite))];
        double[] buffer = new double[drawCount];
        BootstrapResult result = ClusterBootstrap.Run([.. Enumerable.Repeat(1, drawCount)], 2 * pairs.Count, (resample, destination) =>
        {
            for (int p = 0; p < pairs.Count; p++)
            {
                double[] differences = pairs[p].Differences;
                for (int k = 0; k < resample.DrawCount; k++)
                    buffer[k] = differences[resample.DrawIndices[k]];
                destination[2 * p] = finite[p] ? Descriptive.Mean(buffer) : 0;
                destination[2 * p + 1] = Descriptive.Median(buffer);
            }
        }, new RandomSource(seed, stream), resampleCount, level);

        WilcoxonResult[] tests = [.. pairs.Select(p => WilcoxonSignedRank.Test(p.Differences))];
        double[] adjusted = HolmCorrection.Adjust([.. tests.Select(t => t.PValue)]);
        return pairs.Select((p, i) => new PairedComparison(metric, curves[p.Lower].Label, curves[p.Upper].Label, [.. p.Differences],
            finite[i] ? result.Interval(2 * i) : null, result.Interval(2 * i + 1),
            OrderingConsistency.Of(values[p.Upper], values[p.Lower]), tests[i], adjusted[i]) { BothCensored = p.BothCensored });
    }

    private static ImmutableArray<Finding> Findings(
        string? compared, string[] varying, CurveIntervals[] curves, int[] order, List<PairedComparison> comparisons, Layout layout, string? unordered)
    {
        string axisName = compared == "model.hidden_widths" ? "width" : compared ?? "the compared axis";
        string basis = string.Create(CultureInfo.InvariantCulture,
            $"{layout.DrawCount} data draws × {layout.SeedCount} seed{(layout.SeedCount == 1 ? "" : "s")}");
        string? notComparable = varying.Length == 0 ? "one curve only: nothing to compare"
            : varying.Length > 1 ? $"curves differ in {varying.Length} axes ({string.Join(", ", varying)}); compare them in curves.csv"
            : unordered is not null ? $"{unordered}; each pair of its curves is compared, with intervals and p-values, under robustness.comparisons in results.json"
            : null;
        var findings = ImmutableArray.CreateBuilder<Finding>();

        string sensitiveClaim = compared == "model.hidden_widths"
            ? "Larger models more sensitive (threshold falls as width grows)"
            : $"Threshold falls as {axisName} grows";
        findings.Add(notComparable is not null
            ? new Finding("threshold_falls", sensitiveClaim, Verdict.NotApplicable, notComparable)
            : Directional("threshold_falls", sensitiveClaim, comparisons.Where(c => c.Metric == "threshold"), falls: true, points: true, basis));

        string sharpClaim = string.Create(CultureInfo.InvariantCulture, $"Sharp transition (some k > {SweepAnalysis.SharpSteepness})");
        // Judged on each draw's own k: averaging curves that cross at different fractions flattens the mean curve.
        bool anySharp = curves.Any(c => c.DrawSteepnessMedian.Lower > SweepAnalysis.SharpSteepness);
        bool noneSharp = curves.All(c => c.DrawSteepnessMedian.Upper <= SweepAnalysis.SharpSteepness);
        string sharpEvidence = string.Join("; ", curves.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Label} median k over draws = {Signed(c.DrawSteepnessMedian.Estimate, "0.00")} {Bounds(c.DrawSteepnessMedian, 1, "0.00")} (mean curve: k = {c.K.Estimate:0.00} {Bounds(c.K, 1, "0.00")}, 90%→10% drop over {c.DropWidth.Estimate * 100:0.0} points {Bounds(c.DropWidth, 100, "0.0")})")));
        findings.Add(new Finding("sharp_transition", sharpClaim,
            anySharp ? Verdict.Yes : noneSharp ? Verdict.No : Verdict.Inconclusive,
            $"{sharpEvidence} (95% bootstrap CIs over draws; {basis})"));

        string gapClaim = compared == "model.hidden_widths"
            ? "Larger models memorise more (generalization gap at the largest fraction grows with width)"
            : $"Generalization gap at the largest fraction grows with {axisName}";
        findings.Add(notComparable is not null
            ? new Finding("gen_gap_grows", gapClaim, Verdict.NotApplicable, notComparable)
            : Directional("gen_gap_grows", gapClaim, comparisons.Where(c => c.Metric == "generalization_gap"), falls: false, points: false, basis));
        return findings.ToImmutable();
    }

    // A claim that the metric falls (or grows) along the axis: every pair must say so, by interval and by test.
    private static Finding Directional(string key, string claim, IEnumerable<PairedComparison> pairs, bool falls, bool points, string basis)
    {
        PairedComparison[] list = [.. pairs];
        bool Supports(PairedComparison p) => p.AdjustedPValue < Alpha && (falls ? p.Decisive.Upper < 0 : p.Decisive.Lower > 0);
        bool Contradicts(PairedComparison p) => p.AdjustedPValue < Alpha && (falls ? p.Decisive.Lower > 0 : p.Decisive.Upper < 0);
        Verdict verdict = list.All(Supports) ? Verdict.Yes : list.Any(Contradicts) ? Verdict.No : Verdict.Inconclusive;
        double scale = points ? 100 : 1;
        string format = points ? "0.0" : "0.000";
        string unit = points ? " points" : "";
        string name = points ? "threshold" : "gap";
        string evidence = string.Join("; ", list.Select(p =>
        {
            ConfidenceInterval ci = p.Decisive;
            int holds = falls ? p.Ordering.Reversed : p.Ordering.Holds;
            if (p.BothCensored == p.Ordering.Total)
                return string.Create(CultureInfo.InvariantCulture,
                    $"{name}({p.Upper}) and {name}({p.Lower}) are both censored in all {p.Ordering.Total} draws: no difference measured");
            string which = p.Mean is null ? "median" : "mean";
            if (p.BothCensored > 0)
                which += string.Create(CultureInfo.InvariantCulture, $"; both censored, counted as ties, in {p.BothCensored}/{p.Ordering.Total} draws");
            // An infinite difference means one curve's threshold is censored (not reached) in the median draw: say whose.
            if (double.IsInfinity(ci.Estimate))
                which += $"; {name}({(ci.Estimate < 0 ? p.Lower : p.Upper)}) is censored in the median draw";
            return string.Create(CultureInfo.InvariantCulture,
                $"{name}({p.Upper}) − {name}({p.Lower}) = {Signed(ci.Estimate * scale, format)}{unit} {Bounds(ci, scale, format)} ({which}), p {PText(p.AdjustedPValue)} (Holm), {(falls ? "lower" : "higher")} in {holds}/{p.Ordering.Total} draws");
        }));
        if (verdict == Verdict.Inconclusive)
            evidence += "; an interval containing 0 or p ≥ 0.05 decides nothing";
        return new Finding(key, claim, verdict, $"{evidence} (95% bootstrap CIs over draws, Wilcoxon signed-rank; {basis})");
    }

    private static string Bounds(ConfidenceInterval ci, double scale, string format) =>
        $"[{Signed(ci.Lower * scale, format)}, {Signed(ci.Upper * scale, format)}]";

    private static string Signed(double value, string format) =>
        double.IsPositiveInfinity(value) ? "+∞" : double.IsNegativeInfinity(value) ? "−∞"
        : value.ToString(format, CultureInfo.InvariantCulture).Replace('-', '−');

    private static string PText(double p) =>
        p < 0.0001 ? "< 0.0001" : "= " + p.ToString(p < 0.01 ? "0.0000" : "0.000", CultureInfo.InvariantCulture);

    /// <summary>The records arranged per curve as [draw, seed, fraction] arrays, in plan order within each: three numbers a
    /// run, read in one streaming pass, so that the records themselves are not held.</summary>
    private sealed class Layout
    {
        public readonly ulong[] DataSeeds;
        public readonly double[] Fractions;
        public readonly double MaxFraction;
        public readonly int DrawCount, SeedCount, FractionCount, CurveCount;
        public readonly List<ImmutableArray<string>> CurveCoordinates = [];
        public readonly List<string> CurveLabels = [];
        public readonly List<int> Classes = [];
        public readonly List<double[]> Accuracy = [];      // [(d·S + s)·F + f]
        public readonly List<double[]> Gap = [];           // [d·S + s], at the largest fraction
        public readonly List<double[]> Memorization = [];  // [d·S + s], at the largest fraction (0 where undefined)
        public readonly List<bool> MemorizationDefined = [];

        public Layout(SweepConfig config, IReadOnlyList<RunRecord> records, int dataAxis, int seedAxis, int fractionAxis, int[] curveAxes)
        {
            SweepAxis data = config.Axes[dataAxis];
            DataSeeds = [.. data.Values.Select(v => ulong.Parse(v, CultureInfo.InvariantCulture))];
            DrawCount = DataSeeds.Length;
            SeedCount = seedAxis >= 0 ? config.Axes[seedAxis].Values.Length : 1;
            Fractions = [.. config.Axes[fractionAxis].Values.Select(SweepAnalysis.ParseNumber).Order()];
            FractionCount = Fractions.Length;
            MaxFraction = Fractions[^1];
            var dataIndex = data.Values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
            var seedIndex = seedAxis >= 0
                ? config.Axes[seedAxis].Values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal)
                : null;
            var curveIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            ImmutableArray<string> paths = [.. curveAxes.Select(a => config.Axes[a].Path)];
            int cells = DrawCount * SeedCount;
            var memoMissing = new List<bool>();
            foreach (RunRecord record in records)
            {
                ImmutableArray<string> coordinates = [.. curveAxes.Select(a => record.Coordinates[a])];
                string key = string.Join('\u001f', coordinates);
                if (!curveIndex.TryGetValue(key, out int c))
                {
                    curveIndex.Add(key, c = CurveCoordinates.Count);
                    CurveCoordinates.Add(coordinates);
                    CurveLabels.Add(SweepAnalysis.Label(paths, coordinates));
                    Classes.Add((int)(record.Get(RunMetrics.ClassCount) ?? 2));
                    Accuracy.Add(new double[cells * FractionCount]);
                    Gap.Add(new double[cells]);
                    Memorization.Add(new double[cells]);
                    memoMissing.Add(false);
                }
                int d = dataIndex[record.Coordinates[dataAxis]];
                int s = seedIndex is null ? 0 : seedIndex[record.Coordinates[seedAxis]];
                int f = Array.IndexOf(Fractions, SweepAnalysis.ParseNumber(record.Coordinates[fractionAxis]));
                int cell = d * SeedCount + s;
                Accuracy[c][cell * FractionCount + f] = record.Get(RunMetrics.TestAccuracy) ?? 0;
                if (f == FractionCount - 1)
                {
                    Gap[c][cell] = record.Get(RunMetrics.GeneralizationGap) ?? 0;
                    if (record.Get(RunMetrics.MemorizationRate) is double m)
                        Memorization[c][cell] = m;
                    else
                        memoMissing[c] = true;
                }
            }
            CurveCount = CurveCoordinates.Count;
            MemorizationDefined.AddRange(memoMissing.Select(missing => !missing));
        }

        /// <summary>Each draw's threshold for curve <paramref name="c"/> (+∞ where censored), its k, and their censoring.</summary>
        public (double[] Thresholds, double[] Steepness, ThresholdCensoring Censoring) DrawThresholds(int c)
        {
            double[] thresholds = new double[DrawCount];
            double[] steepness = new double[DrawCount];
            double[] y = new double[FractionCount];
            int[] counts = new int[4];
            for (int d = 0; d < DrawCount; d++)
            {
                Array.Clear(y);
                for (int s = 0; s < SeedCount; s++)
                {
                    for (int f = 0; f < FractionCount; f++)
                        y[f] += Accuracy[c][(d * SeedCount + s) * FractionCount + f];
                }
                for (int f = 0; f < FractionCount; f++)
                    y[f] /= SeedCount;
                ThresholdStatus status = FitMean(Fractions, y, Classes[c], MaxFraction, out SigmoidFitResult fit, out thresholds[d]);
                counts[(int)status]++;
                // A curve without a transition has no steepness: 0, below every fitted one.
                steepness[d] = status == ThresholdStatus.NoTransition ? 0 : fit.K;
            }
            return (thresholds, steepness, new ThresholdCensoring(counts[0], counts[1], counts[2], counts[3]));
        }

        /// <summary>Each draw's mean generalization gap over seeds at the largest fraction, for curve <paramref name="c"/>.</summary>
        public double[] DrawGaps(int c)
        {
            double[] gaps = new double[DrawCount];
            for (int d = 0; d < DrawCount; d++)
            {
                double sum = 0;
                for (int s = 0; s < SeedCount; s++)
                    sum += Gap[c][d * SeedCount + s];
                gaps[d] = sum / SeedCount;
            }
            return gaps;
        }
    }
}
