using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The sweep's three charts as standalone SVG documents, drawn by the library itself (no plotting dependency),
/// one series per curve of the sweep (<see cref="SweepSummary.Curves"/>).
/// </summary>
public static class SweepPlots
{
    /// <summary>The Okabe–Ito palette (distinguishable with colour-blindness), one colour per series in order; every
    /// chart of a sweep uses it, so a width or a defence has the same colour on each.</summary>
    internal static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

    /// <summary>
    /// Mean test accuracy ± one standard deviation against the poison fraction, per curve, with the fitted sigmoid
    /// (one <c>polyline class="fit-curve"</c> per curve: solid over the fractions swept, dashed beyond), the critical
    /// threshold as a dashed marker (hollow and labelled where it is an extrapolation), the chance level, each noise
    /// model's theoretical breakdown point where it has one within the plotted range (a vertical dashed line,
    /// <c>class="breakdown-marker"</c>, labelled e.g. "breakdown (k−1)/k = 0.8" or "breakdown 1/2 (pair)"), and a legend
    /// with k ± its standard error and R².
    /// </summary>
    public static string AccuracyVsPoison(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double xMax = XMax(result), swept = MaxFraction(result);
        var canvas = new SvgCanvas(760, 500);
        var plot = new PlotArea(canvas, 80, 50, 640, 380, 0, xMax, 0, 1);
        plot.DrawAxes("Clean test accuracy under label-flip poisoning", "Training labels flipped", "Test accuracy",
            XStep(xMax), 0.1, PlotArea.Percent, PlotArea.Decimal);

        ImmutableArray<Curve> curves = result.Summary.Curves;
        if (curves.Length > 0)
        {
            double chance = curves[0].Fit.ChanceAccuracy;
            canvas.Line(plot.Left, plot.Y(chance), plot.Right, plot.Y(chance), "#888", 1.5, "2 4");
            canvas.Text(plot.Left + 6, plot.Y(chance) - 6, string.Create(CultureInfo.InvariantCulture, $"chance ({chance:0.###})"), 11, fill: "#666");
        }
        DrawBreakdownPoints(plot, result);

        var legend = new List<(string, string, string?)>();
        for (int c = 0; c < curves.Length; c++)
        {
            Curve curve = curves[c];
            string color = Palette[c % Palette.Length];
            CurveFit fit = curve.Fit;
            if (fit.Fit is SigmoidFitResult f && fit.Status != ThresholdStatus.NoTransition)
            {
                IEnumerable<(double, double)> Segment(double from, double to) => Enumerable.Range(0, 121)
                    .Select(i => from + (to - from) * i / 120.0)
                    .Select(x => (plot.X(x), plot.Y(Math.Clamp(f.Evaluate(x), 0, 1))));
                canvas.Polyline(Segment(0, swept), color, 2.5, cssClass: "fit-curve", dataWidth: curve.Label);
                if (swept < xMax)
                    canvas.Polyline(Segment(swept, xMax), color, 1.5, "4 4", "fit-extrapolation", curve.Label);
                if (fit.Threshold is double threshold && plot.ContainsX(threshold))
                {
                    double tx = plot.X(threshold);
                    bool extrapolated = fit.Status == ThresholdStatus.Extrapolated;
                    canvas.Line(tx, plot.Y(fit.ThresholdTarget), tx, plot.Bottom, color, 1.5, "5 4", "threshold-marker");
                    canvas.Circle(tx, plot.Y(fit.ThresholdTarget), 5, extrapolated ? "none" : "white", color,
                        $"{curve.Label}: threshold {SweepAnalysis.ThresholdText(fit)}");
                }
                legend.Add((color, string.Create(CultureInfo.InvariantCulture,
                    $"{curve.Label}: k = {SweepAnalysis.KText(fit)}, R² = {f.RSquared:0.000}, threshold {SweepAnalysis.ThresholdText(fit)}"), null));
            }
            else
            {
                legend.Add((color, $"{curve.Label}: no fit ({SweepAnalysis.ThresholdText(fit)})", null));
            }
            foreach (CurvePoint p in curve.Points)
            {
                MetricSummary s = p.Get(RunMetrics.TestAccuracy);
                plot.PointWithErrorBar(p.PoisonFraction, s.Mean ?? 0, s.Std, color,
                    string.Create(CultureInfo.InvariantCulture, $"{curve.Label}, {PlotArea.Percent(p.PoisonFraction)} flipped: {s.Mean:0.000} ± {s.Std ?? 0:0.000} (sd, n = {s.Count})"));
            }
        }
        legend.Add(("#888", "dashed: critical threshold (midpoint clean↔chance)", "5 4"));
        // Accuracy falls with poison, so the top-right corner is where the curves are not.
        plot.Legend(legend, 360);
        Caption(canvas, result, "points: mean ± 1 sd over the replicate runs");
        return canvas.Render();
    }

    // One vertical dashed line per distinct theoretical breakdown point within the plotted range, labelled with its
    // formula, and with the models it belongs to when the curves have several.
    internal static void DrawBreakdownPoints(PlotArea plot, SweepResult result)
    {
        ImmutableArray<BreakdownPoints.Point> points = BreakdownPoints.OfCurves(result);
        bool severalModels = points.Select(p => p.Model).Distinct().Count() > 1;
        foreach (IGrouping<double, BreakdownPoints.Point> line in points
                     .Where(p => p.Fraction is double f && f > 0 && plot.ContainsX(f))
                     .GroupBy(p => p.Fraction!.Value)
                     .OrderBy(g => g.Key))
        {
            double x = plot.X(line.Key);
            string models = severalModels ? $" ({string.Join(", ", line.Select(p => p.Model).Distinct())})" : "";
            string formulas = string.Join(" / ", line.Select(p => p.Formula).Distinct());
            plot.Canvas.Line(x, plot.Top, x, plot.Bottom, "#444", 1.2, "3 3", "breakdown-marker");
            plot.Canvas.Text(x - 5, plot.Bottom - 6, $"breakdown {formulas}{models}", 11, fill: "#444", rotate: -90);
        }
    }

    /// <summary>Mean generalization gap (train accuracy on poisoned labels − test accuracy) ± std, per curve.</summary>
    public static string GeneralizationGap(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double xMax = XMax(result);
        ImmutableArray<Curve> curves = result.Summary.Curves;
        IEnumerable<MetricSummary> gaps = curves.SelectMany(c => c.Points).Select(p => p.Get(RunMetrics.GeneralizationGap));
        double yMax = Math.Max(0.1, Math.Ceiling(gaps.Select(s => (s.Mean ?? 0) + (s.Std ?? 0)).DefaultIfEmpty(0).Max() * 10) / 10);
        double yMin = Math.Min(0, Math.Floor(gaps.Select(s => (s.Mean ?? 0) - (s.Std ?? 0)).DefaultIfEmpty(0).Min() * 10) / 10);
        var canvas = new SvgCanvas(760, 500);
        var plot = new PlotArea(canvas, 80, 50, 640, 380, 0, xMax, yMin, yMax);
        plot.DrawAxes("Generalization gap: train (poisoned labels) − test accuracy", "Training labels flipped", "Generalization gap",
            XStep(xMax), yMax - yMin > 0.5 ? 0.1 : 0.05, PlotArea.Percent, PlotArea.Decimal);
        if (yMin < 0)
            canvas.Line(plot.Left, plot.Y(0), plot.Right, plot.Y(0), "#888", 1);

        var legend = new List<(string, string, string?)>();
        for (int c = 0; c < curves.Length; c++)
        {
            Curve curve = curves[c];
            string color = Palette[c % Palette.Length];
            canvas.Polyline(curve.Points.Select(p => (plot.X(p.PoisonFraction), plot.Y(p.MeanOf(RunMetrics.GeneralizationGap)))), color, 2,
                cssClass: "series", dataWidth: curve.Label);
            foreach (CurvePoint p in curve.Points)
            {
                MetricSummary s = p.Get(RunMetrics.GeneralizationGap);
                plot.PointWithErrorBar(p.PoisonFraction, s.Mean ?? 0, s.Std, color,
                    string.Create(CultureInfo.InvariantCulture, $"{curve.Label}, {PlotArea.Percent(p.PoisonFraction)} flipped: gap {s.Mean:0.000}"));
            }
            legend.Add((color, curve.Label, null));
        }
        // Gaps grow with poison, so the top-left corner is where the curves are not.
        plot.Legend(legend, 150, left: true);
        Caption(canvas, result, "points: mean ± 1 sd over the replicate runs");
        return canvas.Render();
    }

    /// <summary>
    /// One panel per curve: accuracy on the poisoned training labels, on the clean training labels, and on the clean
    /// test set, with the ceiling 1 − p that a model ignoring the poison would score on poisoned labels.
    /// </summary>
    public static string TrainVsTest(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double xMax = XMax(result);
        ImmutableArray<Curve> curves = result.Summary.Curves;
        const double PanelWidth = 360, PanelHeight = 300;
        var canvas = new SvgCanvas(40 + Math.Max(1, curves.Length) * (PanelWidth + 40), PanelHeight + 170);
        (string Color, string Name, RunMetric Metric, string? Dash)[] series =
        [
            ("#D55E00", "train (poisoned labels)", RunMetrics.TrainAccuracy, null),
            ("#009E73", "train (clean labels)", RunMetrics.TrainCleanAccuracy, "6 3"),
            ("#0072B2", "test (clean labels)", RunMetrics.TestAccuracy, null),
        ];
        for (int c = 0; c < curves.Length; c++)
        {
            Curve curve = curves[c];
            var plot = new PlotArea(canvas, 80 + c * (PanelWidth + 40), 50, PanelWidth - 40, PanelHeight, 0, xMax, 0, 1);
            plot.DrawAxes(Capitalise(curve.Label), "Training labels flipped", "Accuracy", XStep(xMax), 0.1, PlotArea.Percent, PlotArea.Decimal);
            canvas.Line(plot.X(0), plot.Y(1), plot.X(xMax), plot.Y(1 - xMax), "#999", 1.2, "2 4", "ceiling");
            foreach ((string color, string name, RunMetric metric, string? dash) in series)
            {
                canvas.Polyline(curve.Points.Select(p => (plot.X(p.PoisonFraction), plot.Y(p.MeanOf(metric)))), color, 2, dash, "series", curve.Label);
                foreach (CurvePoint p in curve.Points)
                    canvas.Circle(plot.X(p.PoisonFraction), plot.Y(p.MeanOf(metric)), 3, color, null,
                        string.Create(CultureInfo.InvariantCulture, $"{name}, {PlotArea.Percent(p.PoisonFraction)} flipped: {p.MeanOf(metric):0.000}"));
            }
        }
        // One legend for all panels, below them.
        double legendY = PanelHeight + 115;
        double x = 80;
        foreach ((string color, string name, string? dash) in series.Select(s => (s.Color, s.Name, s.Dash)).Append(("#999", "1 − p (ignores every flip)", "2 4")))
        {
            canvas.Line(x, legendY, x + 24, legendY, color, 2.5, dash);
            canvas.Text(x + 30, legendY + 4, name, 12);
            x += 60 + name.Length * 6.5;
        }
        Caption(canvas, result, "lines: means over the replicate runs");
        return canvas.Render();
    }

    // What every chart states: how many runs stand behind a point, the epochs, and the data seeds.
    internal static void Caption(SvgCanvas canvas, SweepResult result, string what)
    {
        SweepConfig config = result.Config;
        int replicates = result.Summary.Curves.Length == 0 || result.Summary.Curves[0].Points.Length == 0 ? 0 : result.Summary.Curves[0].Points[0].RunCount;
        string epochs = config.Axis("training.epochs") is SweepAxis e ? $"epochs {string.Join("/", e.Values)}" : $"{config.Base.Training.Epochs} epochs";
        string dataSeeds = config.Axis("data.seed") is SweepAxis d
            ? $"data seeds {(d.Values.Length <= 6 ? string.Join(", ", d.Values) : $"{d.Values[0]}…{d.Values[^1]} ({d.Values.Length})")}"
            : $"data seed {config.Base.Data.Seed}";
        canvas.Text(80, canvas.Height - 12, $"{what}; {RunDescription.SourceCaption(config)}n = {replicates} runs per point, {epochs}, {dataSeeds}", 11, fill: "#555");
    }

    private static double MaxFraction(SweepResult result) =>
        result.Summary.Curves.SelectMany(c => c.Points).Select(p => p.PoisonFraction).DefaultIfEmpty(0).Max();

    // The study plotted thresholds on [0, 0.6]; keep that unless the sweep goes further.
    private static double XMax(SweepResult result) => Math.Max(0.6, Math.Ceiling(MaxFraction(result) * 10) / 10);

    private static double XStep(double xMax) => xMax <= 0.6 ? 0.1 : 0.2;

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
