using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The chart of a sweep over label-noise detectors (<c>defence.detector</c>): how precisely and how completely each
/// detector finds the flipped rows as the poison grows.
/// </summary>
public static class DetectionPlots
{
    /// <summary>Whether <paramref name="config"/> sweeps detectors, so that <see cref="PrecisionRecall"/> has something to show.</summary>
    public static bool Applies(SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Axis(RunFields.Detector.Path) is not null;
    }

    /// <summary>
    /// Two panels against the poison fraction: mean detection precision and mean detection recall ± one standard
    /// deviation over the replicate runs, one series per curve; a curve without a detector ("none") or a point where the
    /// metric is undefined (nothing flagged, nothing flipped) has no point.
    /// </summary>
    public static string PrecisionRecall(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ImmutableArray<Curve> curves = result.Summary.Curves;
        double maxFraction = curves.SelectMany(c => c.Points).Select(p => p.PoisonFraction).DefaultIfEmpty(0).Max();
        double xMax = Math.Max(0.6, Math.Ceiling(maxFraction * 10) / 10);
        const double PanelWidth = 420, PanelHeight = 320;
        var canvas = new SvgCanvas(80 + 2 * (PanelWidth + 40), PanelHeight + 190);
        (RunMetric Metric, string Title)[] panels =
        [
            (RunMetrics.DetectionPrecision, "Precision: flagged rows that were flipped"),
            (RunMetrics.DetectionRecall, "Recall: flipped rows that were flagged"),
        ];
        var legend = new List<(string Color, string Text)>();
        for (int panel = 0; panel < panels.Length; panel++)
        {
            (RunMetric metric, string title) = panels[panel];
            var plot = new PlotArea(canvas, 80 + panel * (PanelWidth + 40), 50, PanelWidth - 40, PanelHeight, 0, xMax, 0, 1);
            plot.DrawAxes(title, "Training labels flipped", metric.Name, xMax <= 0.6 ? 0.1 : 0.2, 0.1, PlotArea.Percent, PlotArea.Decimal);
            for (int c = 0; c < curves.Length; c++)
            {
                Curve curve = curves[c];
                string color = SweepPlots.Palette[c % SweepPlots.Palette.Length];
                CurvePoint[] defined = [.. curve.Points.Where(p => p.Get(metric).Mean is not null)];
                if (defined.Length == 0)
                    continue;
                if (panel == 0 || !legend.Any(l => l.Text == curve.Label))
                    legend.Add((color, curve.Label));
                canvas.Polyline(defined.Select(p => (plot.X(p.PoisonFraction), plot.Y(p.MeanOf(metric)))), color, 2, cssClass: "series", dataWidth: curve.Label);
                foreach (CurvePoint p in defined)
                {
                    MetricSummary s = p.Get(metric);
                    plot.PointWithErrorBar(p.PoisonFraction, s.Mean!.Value, s.Std, color, string.Create(CultureInfo.InvariantCulture,
                        $"{curve.Label}, {PlotArea.Percent(p.PoisonFraction)} flipped: {metric.Name} {s.Mean:0.000} ± {s.Std ?? 0:0.000} (sd, n = {s.Count})"));
                }
            }
        }
        // One legend for both panels, below them.
        double legendY = PanelHeight + 115, x = 80;
        foreach ((string color, string text) in legend)
        {
            if (x + 60 + text.Length * 6.5 > canvas.Width)
            {
                x = 80;
                legendY += 20;
            }
            canvas.Line(x, legendY, x + 24, legendY, color, 2.5);
            canvas.Text(x + 30, legendY + 4, text, 12);
            x += 60 + text.Length * 6.5;
        }
        int replicates = curves.Length == 0 || curves[0].Points.Length == 0 ? 0 : curves[0].Points[0].RunCount;
        canvas.Text(80, canvas.Height - 12, string.Create(CultureInfo.InvariantCulture,
            $"points: mean ± 1 sd over n = {replicates} runs per point; random flags as many rows as were flipped, oracle exactly them"), 11, fill: "#555");
        return canvas.Render();
    }
}
