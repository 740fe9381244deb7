using System.Globalization;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The sweep's three charts as standalone SVG documents, drawn by the library itself (no plotting dependency).
/// </summary>
public static class SweepPlots
{
    // Colour-blind-safe palette (Okabe–Ito), one colour per width in ascending order.
    private static readonly string[] s_palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

    /// <summary>
    /// Mean test accuracy ± one standard deviation against the poison fraction, per width, with the fitted
    /// sigmoid (one <c>polyline class="fit-curve"</c> per width), the critical threshold as a dashed marker,
    /// the chance level, and a legend with k and R².
    /// </summary>
    public static string AccuracyVsPoison(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double xMax = XMax(result);
        var canvas = new SvgCanvas(760, 500);
        var plot = new PlotArea(canvas, 80, 50, 640, 380, 0, xMax, 0, 1);
        plot.DrawAxes("Clean test accuracy under label-flip poisoning", "Training labels flipped", "Test accuracy",
            XStep(xMax), 0.1, PlotArea.Percent, PlotArea.Decimal);

        double chance = 1.0 / result.Config.ClassCount;
        canvas.Line(plot.Left, plot.Y(chance), plot.Right, plot.Y(chance), "#888", 1.5, "2 4");
        canvas.Text(plot.Left + 6, plot.Y(chance) - 6, $"chance (1/{result.Config.ClassCount})", 11, fill: "#666");

        var legend = new List<(string, string, string?)>();
        int[] widths = Widths(result);
        for (int w = 0; w < widths.Length; w++)
        {
            string color = s_palette[w % s_palette.Length];
            WidthFit? fit = result.Fits.FirstOrDefault(f => f.HiddenWidth == widths[w]);
            if (fit is not null)
            {
                IEnumerable<(double, double)> curve = Enumerable.Range(0, 241)
                    .Select(i => xMax * i / 240.0)
                    .Select(x => (plot.X(x), plot.Y(Math.Clamp(fit.Fit.Evaluate(x), 0, 1))));
                canvas.Polyline(curve, color, 2.5, cssClass: "fit-curve", dataWidth: widths[w].ToString(CultureInfo.InvariantCulture));
                if (double.IsFinite(fit.ThresholdOnGrid) && plot.ContainsX(fit.ThresholdOnGrid))
                {
                    double tx = plot.X(fit.ThresholdOnGrid);
                    canvas.Line(tx, plot.Y(fit.ThresholdTarget), tx, plot.Bottom, color, 1.5, "5 4", "threshold-marker");
                    canvas.Circle(tx, plot.Y(fit.ThresholdTarget), 5, "white", color, $"width {widths[w]}: threshold {ThresholdText(fit.ThresholdOnGrid)}");
                }
                legend.Add((color, string.Create(CultureInfo.InvariantCulture,
                    $"width {widths[w]}: k = {fit.Fit.K:0.00}, R² = {fit.Fit.RSquared:0.000}, threshold {ThresholdText(fit.ThresholdOnGrid)}"), null));
            }
            else
            {
                legend.Add((color, $"width {widths[w]}", null));
            }
            foreach (AggregatedPoint p in result.Aggregated.Where(p => p.HiddenWidth == widths[w]))
            {
                plot.PointWithErrorBar(p.PoisonFraction, p.TestAccMean, p.TestAccStd, color,
                    string.Create(CultureInfo.InvariantCulture, $"width {widths[w]}, {PlotArea.Percent(p.PoisonFraction)} flipped: {p.TestAccMean:0.000} ± {p.TestAccStd ?? 0:0.000}"));
            }
        }
        legend.Add(("#888", "dashed: critical threshold (midpoint clean↔chance)", "5 4"));
        // Accuracy falls with poison, so the top-right corner is where the curves are not.
        plot.Legend(legend, 330);
        return canvas.Render();
    }

    /// <summary>Mean generalization gap (train accuracy on poisoned labels − test accuracy) ± std, per width.</summary>
    public static string GeneralizationGap(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double xMax = XMax(result);
        double yMax = Math.Max(0.1, Math.Ceiling(result.Aggregated.Select(p => p.GenGapMean + (p.GenGapStd ?? 0)).DefaultIfEmpty(0).Max() * 10) / 10);
        double yMin = Math.Min(0, Math.Floor(result.Aggregated.Select(p => p.GenGapMean - (p.GenGapStd ?? 0)).DefaultIfEmpty(0).Min() * 10) / 10);
        var canvas = new SvgCanvas(760, 500);
        var plot = new PlotArea(canvas, 80, 50, 640, 380, 0, xMax, yMin, yMax);
        plot.DrawAxes("Generalization gap: train (poisoned labels) − test accuracy", "Training labels flipped", "Generalization gap",
            XStep(xMax), yMax - yMin > 0.5 ? 0.1 : 0.05, PlotArea.Percent, PlotArea.Decimal);
        if (yMin < 0)
            canvas.Line(plot.Left, plot.Y(0), plot.Right, plot.Y(0), "#888", 1);

        var legend = new List<(string, string, string?)>();
        int[] widths = Widths(result);
        for (int w = 0; w < widths.Length; w++)
        {
            string color = s_palette[w % s_palette.Length];
            AggregatedPoint[] points = [.. result.Aggregated.Where(p => p.HiddenWidth == widths[w]).OrderBy(p => p.PoisonFraction)];
            canvas.Polyline(points.Select(p => (plot.X(p.PoisonFraction), plot.Y(p.GenGapMean))), color, 2, cssClass: "series",
                dataWidth: widths[w].ToString(CultureInfo.InvariantCulture));
            foreach (AggregatedPoint p in points)
            {
                plot.PointWithErrorBar(p.PoisonFraction, p.GenGapMean, p.GenGapStd, color,
                    string.Create(CultureInfo.InvariantCulture, $"width {widths[w]}, {PlotArea.Percent(p.PoisonFraction)} flipped: gap {p.GenGapMean:0.000}"));
            }
            legend.Add((color, $"width {widths[w]}", null));
        }
        // Gaps grow with poison, so the top-left corner is where the curves are not.
        plot.Legend(legend, 110, left: true);
        return canvas.Render();
    }

    /// <summary>
    /// One panel per width: accuracy on the poisoned training labels, on the clean training labels, and on
    /// the clean test set, with the ceiling 1 − p that a model ignoring the poison would score on poisoned labels.
    /// </summary>
    public static string TrainVsTest(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double xMax = XMax(result);
        int[] widths = Widths(result);
        const double PanelWidth = 360, PanelHeight = 300;
        var canvas = new SvgCanvas(40 + widths.Length * (PanelWidth + 40), PanelHeight + 150);
        (string Color, string Name, Func<AggregatedPoint, double> Metric, string? Dash)[] series =
        [
            ("#D55E00", "train (poisoned labels)", p => p.TrainAccMean, null),
            ("#009E73", "train (clean labels)", p => p.TrainCleanAccMean, "6 3"),
            ("#0072B2", "test (clean labels)", p => p.TestAccMean, null),
        ];
        for (int w = 0; w < widths.Length; w++)
        {
            var plot = new PlotArea(canvas, 80 + w * (PanelWidth + 40), 50, PanelWidth - 40, PanelHeight, 0, xMax, 0, 1);
            plot.DrawAxes($"Hidden width {widths[w]}", "Training labels flipped", "Accuracy", XStep(xMax), 0.1, PlotArea.Percent, PlotArea.Decimal);
            canvas.Line(plot.X(0), plot.Y(1), plot.X(xMax), plot.Y(1 - xMax), "#999", 1.2, "2 4", "ceiling");
            AggregatedPoint[] points = [.. result.Aggregated.Where(p => p.HiddenWidth == widths[w]).OrderBy(p => p.PoisonFraction)];
            foreach ((string color, string name, Func<AggregatedPoint, double> metric, string? dash) in series)
            {
                canvas.Polyline(points.Select(p => (plot.X(p.PoisonFraction), plot.Y(metric(p)))), color, 2, dash, "series",
                    widths[w].ToString(CultureInfo.InvariantCulture));
                foreach (AggregatedPoint p in points)
                    canvas.Circle(plot.X(p.PoisonFraction), plot.Y(metric(p)), 3, color, null,
                        string.Create(CultureInfo.InvariantCulture, $"{name}, {PlotArea.Percent(p.PoisonFraction)} flipped: {metric(p):0.000}"));
            }
        }
        // One legend for all panels, below them.
        double legendY = PanelHeight + 115;
        double x = 80;
        foreach ((string color, string name, _, string? dash) in series.Append(("#999", "1 − p (ignores every flip)", _ => 0, "2 4")))
        {
            canvas.Line(x, legendY, x + 24, legendY, color, 2.5, dash);
            canvas.Text(x + 30, legendY + 4, name, 12);
            x += 60 + name.Length * 6.5;
        }
        return canvas.Render();
    }

    private static int[] Widths(SweepResult result) => [.. result.Aggregated.Select(p => p.HiddenWidth).Distinct().Order()];

    // The study plotted thresholds on [0, 0.6]; keep that unless the sweep goes further.
    private static double XMax(SweepResult result) =>
        Math.Max(0.6, Math.Ceiling(result.Config.PoisonFractions.Max() * 10) / 10);

    private static double XStep(double xMax) => xMax <= 0.6 ? 0.1 : 0.2;

    private static string ThresholdText(double threshold) =>
        double.IsFinite(threshold) ? (threshold * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "none on the grid";
}
