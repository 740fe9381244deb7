using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The chart of a sweep over defences (a detector, a loss, early stopping): test accuracy against the poison fraction,
/// one series per defence, one panel per noise model, so that what each defence buys is read against each kind of noise.
/// </summary>
public static class DefencePlots
{
    // The axes that choose a defence.
    private static readonly string[] s_defenceAxes = [RunFields.Detector.Path, "training.loss", "training.validation_fraction"];

    private const string ModelAxis = "poison.model";

    /// <summary>Whether <paramref name="config"/> sweeps a defence (<c>defence.detector</c>, <c>training.loss</c> or
    /// <c>training.validation_fraction</c>) along the poison fraction, so that <see cref="AccuracyByNoiseModel"/> has
    /// something to show.</summary>
    public static bool Applies(SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Axis(SweepAnalysis.FractionAxis) is not null && s_defenceAxes.Any(a => config.Axis(a) is { Values.Length: >= 2 });
    }

    /// <summary>
    /// Mean test accuracy ± one standard deviation over the replicate runs against the poison fraction: one panel per
    /// value of <c>poison.model</c> (one panel when the model is not an axis), one series per combination of the
    /// defence axes' values, the same colour in every panel; a dotted line at chance accuracy.
    /// </summary>
    public static string AccuracyByNoiseModel(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ImmutableArray<Curve> curves = result.Summary.Curves;
        ImmutableArray<string> axes = result.Summary.CurveAxes;
        int model = axes.IndexOf(ModelAxis);
        int[] defence = [.. s_defenceAxes.Select(a => axes.IndexOf(a)).Where(i => i >= 0)];
        string[] panels = model < 0 ? [""] : [.. curves.Select(c => c.Coordinates[model]).Distinct()];
        string[] series = [.. curves.Select(c => SeriesLabel(c, axes, defence)).Distinct()];

        double maxFraction = curves.SelectMany(c => c.Points).Select(p => p.PoisonFraction).DefaultIfEmpty(0).Max();
        double xMax = Math.Max(0.6, Math.Ceiling(maxFraction * 10) / 10);
        const double PanelWidth = 380, PanelHeight = 300;
        int columns = Math.Min(panels.Length, 3), rows = (panels.Length + columns - 1) / columns;
        var canvas = new SvgCanvas(80 + columns * (PanelWidth + 30), rows * (PanelHeight + 90) + 90 + 20 * ((series.Length + 2) / 3));
        for (int panel = 0; panel < panels.Length; panel++)
        {
            double left = 80 + panel % columns * (PanelWidth + 30), top = 50 + panel / columns * (PanelHeight + 90);
            var plot = new PlotArea(canvas, left, top, PanelWidth - 40, PanelHeight, 0, xMax, 0, 1);
            string title = model < 0 ? "Test accuracy by defence" : $"Noise model {panels[panel].Trim('"')}";
            plot.DrawAxes(title, "Training labels flipped", "Test accuracy", xMax <= 0.6 ? 0.1 : 0.2, 0.1, PlotArea.Percent, PlotArea.Decimal);
            foreach (Curve curve in curves.Where(c => model < 0 || c.Coordinates[model] == panels[panel]))
            {
                CurvePoint[] points = [.. curve.Points.Where(p => p.Get(RunMetrics.TestAccuracy).Mean is not null)];
                if (points.Length == 0)
                    continue;
                string label = SeriesLabel(curve, axes, defence);
                string color = SweepPlots.Palette[Array.IndexOf(series, label) % SweepPlots.Palette.Length];
                double chance = 1.0 / (points[0].Get(RunMetrics.ClassCount).Mean ?? 2);
                canvas.Line(plot.X(0), plot.Y(chance), plot.X(xMax), plot.Y(chance), "#999", 1, dash: "2,3");
                canvas.Polyline(points.Select(p => (plot.X(p.PoisonFraction), plot.Y(p.MeanOf(RunMetrics.TestAccuracy)))), color, 2,
                    cssClass: "series", dataWidth: label);
                foreach (CurvePoint p in points)
                {
                    MetricSummary s = p.Get(RunMetrics.TestAccuracy);
                    plot.PointWithErrorBar(p.PoisonFraction, s.Mean!.Value, s.Std, color, string.Create(CultureInfo.InvariantCulture,
                        $"{curve.Label}, {PlotArea.Percent(p.PoisonFraction)} flipped: test accuracy {s.Mean:0.000} ± {s.Std ?? 0:0.000} (sd, n = {s.Count})"));
                }
            }
        }
        // One legend for every panel, below them.
        double legendY = 50 + rows * (PanelHeight + 90) - 20, x = 80;
        for (int s = 0; s < series.Length; s++)
        {
            string text = series[s];
            if (x + 60 + text.Length * 6.5 > canvas.Width)
            {
                x = 80;
                legendY += 20;
            }
            canvas.Line(x, legendY, x + 24, legendY, SweepPlots.Palette[s % SweepPlots.Palette.Length], 2.5);
            canvas.Text(x + 30, legendY + 4, text, 12);
            x += 60 + text.Length * 6.5;
        }
        SweepPlots.Caption(canvas, result, "points: mean ± 1 sd over the replicate runs; dotted: chance");
        return canvas.Render();
    }

    // "detector knn, loss cross-entropy": the defence axes' values of the curve, or "no defence axis" for none.
    private static string SeriesLabel(Curve curve, ImmutableArray<string> axes, int[] defence) =>
        defence.Length == 0 ? "all" : SweepAnalysis.Label([.. defence.Select(i => axes[i])], [.. defence.Select(i => curve.Coordinates[i])]);
}
