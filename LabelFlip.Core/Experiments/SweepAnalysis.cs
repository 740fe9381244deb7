using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// Turns a sweep's records into curves, sigmoid fits and findings. Pure and deterministic: the result depends on the
/// records and the config only, never on the order runs finished in.
/// </summary>
/// <remarks>
/// A curve is a metric against <c>poison.fraction</c>, one per combination of the other axes except the replicate
/// axes <c>seed</c> and <c>data.seed</c>, whose runs are averaged. Findings compare the curves along the one curve axis
/// with two values or more (today: width); with none, or several, they say so rather than compare.
/// </remarks>
public static class SweepAnalysis
{
    /// <summary>The study's steepness above which a transition counts as sharp.</summary>
    public const double SharpSteepness = 5.0;

    /// <summary>Fewest distinct fractions for a four-parameter sigmoid fit; with fewer it is not identifiable.</summary>
    public const int MinFitFractions = 5;

    /// <summary>A curve whose clean accuracy is within this of chance has no transition to measure.</summary>
    public const double MinCleanAboveChance = 0.05;

    /// <summary>The axis along which accuracy is plotted.</summary>
    public const string FractionAxis = "poison.fraction";

    /// <summary>Axes whose runs are replicates of one another, averaged into a point.</summary>
    public static readonly ImmutableArray<string> ReplicateAxes = ["seed", "data.seed"];

    /// <summary>Analyses the complete records of <paramref name="config"/>.</summary>
    /// <param name="config">The sweep.</param>
    /// <param name="records">One record per run, in plan order (as <see cref="RunLog.Merge"/> returns them).</param>
    /// <param name="maxDegreeOfParallelism">Threads for the bootstrap over data draws (<see cref="DrawAnalysis"/>), at
    /// least 1 (default 1). The result is the same bits on any number.</param>
    /// <exception cref="ArgumentException">The records are not the sweep's runs in plan order.</exception>
    public static SweepSummary Analyze(SweepConfig config, IReadOnlyList<RunRecord> records, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(records);
        if (maxDegreeOfParallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Must be at least 1.");
        RunRecords.RequirePlanOrder(config, records, nameof(records));

        int fractionAxis = config.Axes.IndexOf(config.Axis(FractionAxis)!);
        int[] curveAxes = [.. Enumerable.Range(0, config.Axes.Length)
            .Where(a => a != fractionAxis && !ReplicateAxes.Contains(config.Axes[a].Path))];

        // Two streaming passes, so that no record is held (records read back from a run log are read twice): the
        // first groups runs by curve, then by fraction, summing each metric in plan order; the second sums the squared
        // deviations from those means, in the same order. The same sums as over lists of each group's records.
        var curves = new Dictionary<string, (ImmutableArray<string> Coordinates, SortedDictionary<double, PointSums> ByFraction)>(StringComparer.Ordinal);
        var curveOrder = new List<string>();
        var groupOf = new PointSums[records.Count];
        int position = 0;
        foreach (RunRecord record in records)
        {
            ImmutableArray<string> coordinates = [.. curveAxes.Select(a => record.Coordinates[a])];
            string key = string.Join('\u001f', coordinates);
            if (!curves.TryGetValue(key, out var curve))
            {
                curve = (coordinates, new SortedDictionary<double, PointSums>());
                curves.Add(key, curve);
                curveOrder.Add(key);
            }
            double fraction = fractionAxis >= 0 ? ParseNumber(record.Coordinates[fractionAxis]) : config.Base.Poison.Fraction;
            if (!curve.ByFraction.TryGetValue(fraction, out PointSums? group))
                curve.ByFraction.Add(fraction, group = new PointSums(fraction, record.Get(RunMetrics.ClassCount)));
            group.Add(record);
            groupOf[position++] = group;
        }
        position = 0;
        foreach (RunRecord record in records)
            groupOf[position++].AddSquares(record);

        double maxFraction = fractionAxis >= 0 ? config.Axes[fractionAxis].Values.Max(ParseNumber) : config.Base.Poison.Fraction;
        ImmutableArray<string> curveAxisPaths = [.. curveAxes.Select(a => config.Axes[a].Path)];
        var built = ImmutableArray.CreateBuilder<Curve>();
        foreach (string key in curveOrder)
        {
            (ImmutableArray<string> coordinates, SortedDictionary<double, PointSums> byFraction) = curves[key];
            ImmutableArray<CurvePoint> points = [.. byFraction.Values.Select(g => g.Summary())];
            int classes = (int)(byFraction.First().Value.FirstClassCount ?? 2);
            built.Add(new Curve(coordinates, Label(curveAxisPaths, coordinates), points, FitCurve(points, classes, maxFraction)));
        }

        string[] varying = [.. curveAxisPaths.Where(p => config.Axis(p)!.Values.Length >= 2)];
        string? compared = varying.Length == 1 ? varying[0] : null;
        ImmutableArray<Curve> curveList = built.ToImmutable();
        // Over several data draws, intervals and paired comparisons too (null otherwise).
        return new SweepSummary(curveAxisPaths, compared, curveList,
            Findings(curveList, curveAxisPaths, varying, fractionAxis >= 0, Unordered(config, compared)),
            DrawAnalysis.Analyze(config, records, ClusterBootstrap.DefaultResampleCount, maxDegreeOfParallelism))
        {
            Dynamics = DynamicsAnalysis.Analyze(config, records, ClusterBootstrap.DefaultResampleCount, maxDegreeOfParallelism),
        };
    }

    /// <summary>Parses a canonical JSON number.</summary>
    internal static double ParseNumber(string json) => double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture);

    // A curve point's runs, summed as they stream past: per metric the sum and count of defined values (first pass),
    // then the squared deviations from the mean (second pass). Mean and sample standard deviation as if computed over
    // a list of the runs in plan order: the same additions in the same order.
    private sealed class PointSums(double fraction, double? firstClassCount)
    {
        private readonly double[] _sum = new double[RunMetrics.All.Length];
        private readonly int[] _count = new int[RunMetrics.All.Length];
        private readonly double[] _squares = new double[RunMetrics.All.Length];
        private int _runs;

        public double? FirstClassCount { get; } = firstClassCount;

        public void Add(RunRecord run)
        {
            _runs++;
            for (int m = 0; m < _sum.Length; m++)
            {
                if (run.Metrics[m] is double v)
                {
                    _sum[m] += v;
                    _count[m]++;
                }
            }
        }

        public void AddSquares(RunRecord run)
        {
            for (int m = 0; m < _sum.Length; m++)
            {
                if (_count[m] >= 2 && run.Metrics[m] is double v)
                {
                    double mean = _sum[m] / _count[m];
                    _squares[m] += (v - mean) * (v - mean);
                }
            }
        }

        public CurvePoint Summary()
        {
            var metrics = ImmutableArray.CreateBuilder<MetricSummary>(_sum.Length);
            for (int m = 0; m < _sum.Length; m++)
            {
                double? mean = _count[m] == 0 ? null : _sum[m] / _count[m];
                double? std = _count[m] >= 2 ? Math.Sqrt(_squares[m] / (_count[m] - 1)) : null;
                metrics.Add(new MetricSummary(_count[m], mean, std));
            }
            return new CurvePoint(fraction, _runs, metrics.MoveToImmutable());
        }
    }

    private static CurveFit FitCurve(ImmutableArray<CurvePoint> points, int classes, double maxFraction)
    {
        double clean = points[0].MeanOf(RunMetrics.TestAccuracy);
        double chance = 1.0 / classes;
        double target = SigmoidFit.ThresholdTarget(Math.Clamp(clean, 0, 1), classes);
        if (points.Length < MinFitFractions)
        {
            return new CurveFit(null, clean, chance, target, null, null, ThresholdStatus.NotIdentifiable, Verdict.NotApplicable,
                $"{points.Length} distinct poison fraction{(points.Length == 1 ? "" : "s")}: a four-parameter sigmoid needs at least {MinFitFractions}, so the fit is not identifiable");
        }
        double[] x = [.. points.Select(p => p.PoisonFraction)];
        double[] y = [.. points.Select(p => p.MeanOf(RunMetrics.TestAccuracy))];
        SigmoidFitResult fit = SigmoidFit.Fit(x, y);
        if (clean - chance < MinCleanAboveChance)
        {
            return new CurveFit(fit, clean, chance, target, null, null, ThresholdStatus.NoTransition, Verdict.NotApplicable,
                string.Create(CultureInfo.InvariantCulture, $"clean accuracy {clean:0.000} is within {MinCleanAboveChance} of chance ({chance:0.000}): nothing to lose, no threshold"));
        }
        if (!fit.HasTransition)
        {
            return new CurveFit(fit, clean, chance, target, null, null, ThresholdStatus.NoTransition, Verdict.NotApplicable,
                "the best descending sigmoid is flat: no transition, no threshold and no steepness");
        }
        double grid = ThresholdOnGrid(fit, target, maxFraction);
        double closed = fit.ThresholdClosedForm(target);
        ThresholdStatus status = !double.IsFinite(grid) ? ThresholdStatus.NotReached
            : grid > maxFraction ? ThresholdStatus.Extrapolated
            : ThresholdStatus.Reached;
        double kError = fit.StandardErrors.K;
        Verdict sharp = !(double.IsFinite(kError) && kError < fit.K) ? Verdict.Inconclusive
            : fit.K > SharpSteepness ? Verdict.Yes : Verdict.No;
        string? note = status switch
        {
            ThresholdStatus.Extrapolated => string.Create(CultureInfo.InvariantCulture, $"the threshold {grid:P1} lies beyond the largest fraction swept ({maxFraction:P0}): an extrapolation"),
            ThresholdStatus.NotReached => string.Create(CultureInfo.InvariantCulture, $"the fitted curve stays above the target {target:0.000} up to {GridMax(maxFraction):P0}"),
            _ => null,
        };
        return new CurveFit(fit, clean, chance, target, double.IsFinite(grid) ? grid : null, double.IsFinite(closed) ? closed : null, status, sharp, note);
    }

    /// <summary>
    /// The end of the grid a threshold is read on: the study's 0.6, or the largest fraction swept when a sweep goes
    /// further (a threshold within the swept range must not be called "not reached").
    /// </summary>
    internal static double GridMax(double maxFraction) => Math.Max(SigmoidFit.DefaultGridMax, maxFraction);

    /// <summary>The threshold on the study's grid (2,000 points on [0, 0.6]), or on a grid as dense up to
    /// <see cref="GridMax"/>.</summary>
    internal static double ThresholdOnGrid(SigmoidFitResult fit, double target, double maxFraction)
    {
        double max = GridMax(maxFraction);
        int points = max == SigmoidFit.DefaultGridMax ? SigmoidFit.DefaultGridPoints
            : (int)Math.Ceiling(SigmoidFit.DefaultGridPoints * max / SigmoidFit.DefaultGridMax);
        return fit.ThresholdOnGrid(target, max, points);
    }

    private static ImmutableArray<Finding> Findings(ImmutableArray<Curve> curves, ImmutableArray<string> curveAxes, string[] varying, bool hasFractions,
                                                    string? unordered)
    {
        string runsPerPoint = curves.Length == 0 || curves[0].Points.Length == 0 ? "no runs" : $"{curves[0].Points[0].RunCount} run{(curves[0].Points[0].RunCount == 1 ? "" : "s")} per point";
        var findings = ImmutableArray.CreateBuilder<Finding>();
        string compared = varying.Length == 1 ? varying[0] : "";
        string axisName = compared == "model.hidden_widths" ? "width" : compared;
        string sensitiveClaim = compared == "model.hidden_widths"
            ? "Larger models more sensitive (threshold falls as width grows)"
            : $"Threshold falls as {(compared.Length == 0 ? "the compared axis" : compared)} grows";
        string? notComparable = !hasFractions ? "poison.fraction is not an axis: there are no curves to fit"
            : varying.Length == 0 ? "one curve only: nothing to compare"
            : varying.Length > 1 ? $"curves differ in {varying.Length} axes ({string.Join(", ", varying)}); compare them in curves.csv"
            : unordered is not null ? $"{unordered}; compare its curves in curves.csv"
            : null;

        Curve[] ordered = notComparable is null ? [.. OrderAlong(curves, curveAxes.IndexOf(compared))] : [];
        if (notComparable is not null)
        {
            findings.Add(new Finding("threshold_falls", sensitiveClaim, Verdict.NotApplicable, notComparable));
        }
        else
        {
            string Evidence() => $"thresholds by {axisName}: {string.Join(", ", ordered.Select(c => $"{c.Label} {ThresholdText(c.Fit)}"))} ({runsPerPoint}, no interval)";
            Curve? missing = ordered.FirstOrDefault(c => c.Fit.Status != ThresholdStatus.Reached);
            if (missing is not null)
            {
                findings.Add(new Finding("threshold_falls", sensitiveClaim,
                    missing.Fit.Status == ThresholdStatus.NotIdentifiable ? Verdict.NotApplicable : Verdict.Inconclusive,
                    $"{missing.Label}: {missing.Fit.Note ?? missing.Fit.Status.ToString()}; {Evidence()}"));
            }
            else
            {
                bool falls = true;
                for (int i = 1; i < ordered.Length; i++)
                    falls &= ordered[i].Fit.Threshold < ordered[i - 1].Fit.Threshold;
                findings.Add(new Finding("threshold_falls", sensitiveClaim, falls ? Verdict.Yes : Verdict.No, Evidence()));
            }
        }

        // Sharpness is a statement about each curve: decided only where k is known better than its own size.
        Curve[] fitted = [.. curves.Where(c => c.Fit.Sharp != Verdict.NotApplicable)];
        string sharpClaim = string.Create(CultureInfo.InvariantCulture, $"Sharp transition (some k > {SharpSteepness})");
        if (fitted.Length == 0)
        {
            findings.Add(new Finding("sharp_transition", sharpClaim, Verdict.NotApplicable,
                curves.Select(c => c.Fit.Note).FirstOrDefault(n => n is not null) ?? "no curve has a transition"));
        }
        else
        {
            Verdict sharp = fitted.Any(c => c.Fit.Sharp == Verdict.Yes) ? Verdict.Yes
                : fitted.All(c => c.Fit.Sharp == Verdict.No) ? Verdict.No
                : Verdict.Inconclusive;
            string evidence = string.Join(", ", fitted.Select(c => $"{c.Label} k = {KText(c.Fit)}"));
            if (sharp == Verdict.Inconclusive)
                evidence += "; a k whose standard error exceeds k decides nothing";
            findings.Add(new Finding("sharp_transition", sharpClaim, sharp, evidence));
        }

        string gapClaim = compared == "model.hidden_widths"
            ? "Larger models memorise more (generalization gap at the largest fraction grows with width)"
            : $"Generalization gap at the largest fraction grows with {(compared.Length == 0 ? "the compared axis" : compared)}";
        if (notComparable is not null)
        {
            findings.Add(new Finding("gen_gap_grows", gapClaim, Verdict.NotApplicable, notComparable));
        }
        else
        {
            MetricSummary[] gaps = [.. ordered.Select(c => c.Points[^1].Get(RunMetrics.GeneralizationGap))];
            bool grows = true;
            for (int i = 1; i < gaps.Length; i++)
                grows &= gaps[i].Mean > gaps[i - 1].Mean;
            string evidence = string.Join(", ", ordered.Select((c, i) => string.Create(CultureInfo.InvariantCulture,
                $"{c.Label} {gaps[i].Mean:0.000}{(gaps[i].Std is double s ? $" ± {s:0.000} (sd)" : "")}")));
            findings.Add(new Finding("gen_gap_grows", gapClaim, grows ? Verdict.Yes : Verdict.No, $"{evidence} ({runsPerPoint}, no interval)"));
        }
        return findings.ToImmutable();
    }

    /// <summary>"k = 5.86 ± 1.24" (± one standard error), or "k = 5.86 ± ?" where it cannot be estimated.</summary>
    public static string KText(CurveFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Fit is not SigmoidFitResult f)
            return "—";
        double se = f.StandardErrors.K;
        return string.Create(CultureInfo.InvariantCulture, $"{f.K:0.00} ± {(double.IsFinite(se) ? se.ToString("0.00", CultureInfo.InvariantCulture) : "?")}");
    }

    /// <summary>The threshold as a percentage with its status: "46.4%", "54.7% (extrapolated)", "not reached", "none".</summary>
    public static string ThresholdText(CurveFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return fit.Status switch
        {
            ThresholdStatus.Reached => Percent(fit.Threshold!.Value),
            ThresholdStatus.Extrapolated => Percent(fit.Threshold!.Value) + " (extrapolated)",
            ThresholdStatus.NotReached => "not reached",
            ThresholdStatus.NoTransition => "none (no transition)",
            _ => "none (not identifiable)",
        };
    }

    private static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    // Along the compared axis in ascending order: numbers by value, width lists by total units then element-wise.
    private static IEnumerable<Curve> OrderAlong(ImmutableArray<Curve> curves, int coordinate) =>
        curves.OrderBy(c => c.Coordinates[coordinate], Comparer<string>.Create(CompareValues));

    /// <summary>
    /// Null when the compared axis has an order a trend can follow (numbers, or lists of numbers such as widths), else
    /// the sentence that says it has none: "threshold falls as training.loss grows" would read a list of names as a scale.
    /// </summary>
    internal static string? Unordered(SweepConfig config, string? compared)
    {
        if (compared is null || config.Axis(compared) is not SweepAxis axis || axis.Values.All(v => Numbers(v).Length > 0 && !v.Contains('"', StringComparison.Ordinal)))
            return null;
        return $"{compared} is categorical ({string.Join(", ", axis.Values)}): it has no order for a trend to follow";
    }

    internal static int CompareValues(string a, string b)
    {
        double[] x = Numbers(a), y = Numbers(b);
        int bySum = x.Sum().CompareTo(y.Sum());
        if (bySum != 0)
            return bySum;
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = x[i].CompareTo(y[i]);
            if (c != 0)
                return c;
        }
        return x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(a, b);
    }

    private static double[] Numbers(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement e = document.RootElement;
        return e.ValueKind switch
        {
            JsonValueKind.Number => [e.GetDouble()],
            JsonValueKind.Array => [.. e.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble())],
            _ => [],
        };
    }

    internal static string Label(ImmutableArray<string> axes, ImmutableArray<string> values)
    {
        if (axes.Length == 0)
            return "all runs";
        return string.Join(", ", axes.Select((path, i) => path == "model.hidden_widths"
            ? WidthLabel(values[i])
            : $"{path[(path.LastIndexOf('.') + 1)..]} {values[i].Trim('"')}"));
    }

    private static string WidthLabel(string json)
    {
        double[] widths = Numbers(json);
        return widths.Length == 1
            ? string.Create(CultureInfo.InvariantCulture, $"width {widths[0]}")
            : $"widths {string.Join("×", widths.Select(w => w.ToString(CultureInfo.InvariantCulture)))}";
    }
}
