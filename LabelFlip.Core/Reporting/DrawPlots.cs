using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The charts of a sweep over several data draws (<see cref="SweepSummary.Draws"/>): accuracy with 95% bands across
/// draws, and the per-draw paired threshold differences.
/// </summary>
public static class DrawPlots
{
    /// <summary>
    /// Mean test accuracy per curve against the poison fraction with a 95% cluster-bootstrap band across data draws
    /// (<c>polygon class="band"</c>), the points with their 95% intervals as error bars, and the sigmoid fitted to the
    /// mean curve drawn only over the fractions swept (<c>polyline class="fit-curve"</c>), and each noise model's
    /// theoretical breakdown point within the plotted range (as <see cref="SweepPlots.AccuracyVsPoison"/> marks it).
    /// </summary>
    /// <exception cref="ArgumentException">The result has no analysis over data draws.</exception>
    public static string AccuracyWithBands(SweepResult result)
    {
        DrawSummary draws = Draws(result);
        double swept = draws.PoisonFractions[^1];
        double xMax = Math.Max(0.6, Math.Ceiling(swept * 10) / 10);
        // Room below the axis title for a two-line caption, and to the right for its longer first line.
        var canvas = new SvgCanvas(900, 540);
        var plot = new PlotArea(canvas, 80, 50, 640, 380, 0, xMax, 0, 1);
        plot.DrawAxes("Clean test accuracy under label-flip poisoning, across data draws", "Training labels flipped", "Test accuracy",
            xMax <= 0.6 ? 0.1 : 0.2, 0.1, PlotArea.Percent, PlotArea.Decimal);
        SweepPlots.DrawBreakdownPoints(plot, result);
        var legend = new List<(string, string, string?)>();
        for (int c = 0; c < draws.Curves.Length; c++)
        {
            CurveIntervals curve = draws.Curves[c];
            string color = SweepPlots.Palette[c % SweepPlots.Palette.Length];
            var upper = draws.PoisonFractions.Select((x, f) => (plot.X(x), plot.Y(curve.MeanAccuracy[f].Upper)));
            var lower = draws.PoisonFractions.Select((x, f) => (plot.X(x), plot.Y(curve.MeanAccuracy[f].Lower))).Reverse();
            canvas.Polygon(upper.Concat(lower), color, 0.15, "band");
            Curve? fitted = result.Summary.Curves.FirstOrDefault(s => s.Label == curve.Label);
            if (fitted?.Fit.Fit is SigmoidFitResult f && fitted.Fit.Status != ThresholdStatus.NoTransition)
            {
                canvas.Polyline(Enumerable.Range(0, 121).Select(i => swept * i / 120.0).Select(x => (plot.X(x), plot.Y(Math.Clamp(f.Evaluate(x), 0, 1)))),
                    color, 2.5, cssClass: "fit-curve", dataWidth: curve.Label);
            }
            for (int i = 0; i < draws.PoisonFractions.Length; i++)
            {
                ConfidenceInterval ci = curve.MeanAccuracy[i];
                double x = plot.X(draws.PoisonFractions[i]);
                canvas.Line(x, plot.Y(ci.Lower), x, plot.Y(ci.Upper), color, 1.5);
                canvas.Line(x - 4, plot.Y(ci.Lower), x + 4, plot.Y(ci.Lower), color, 1.5);
                canvas.Line(x - 4, plot.Y(ci.Upper), x + 4, plot.Y(ci.Upper), color, 1.5);
                canvas.Circle(x, plot.Y(ci.Estimate), 4, color, "white", string.Create(CultureInfo.InvariantCulture,
                    $"{curve.Label}, {PlotArea.Percent(draws.PoisonFractions[i])} flipped: mean {ci.Estimate:0.000}, 95% CI [{ci.Lower:0.000}, {ci.Upper:0.000}] over {draws.DataSeeds.Length} draws × {draws.SeedsPerDraw} seeds"));
            }
            legend.Add((color, $"{curve.Label}: threshold {Percent(curve.Threshold.Estimate)} [{Percent(curve.Threshold.Lower)}, {Percent(curve.Threshold.Upper)}], censored in {curve.DrawCensoring.Censored}/{curve.DrawCensoring.Total} draws", null));
        }
        plot.Legend(legend, 420);
        Caption(canvas, result, draws, "points and bars: mean and 95% cluster-bootstrap CI over draws (band: the same); lines: sigmoid fit of the mean, over the swept range");
        return canvas.Render();
    }

    /// <summary>
    /// For each pair of curves, the per-draw threshold difference (dots; draws where one threshold is censored as
    /// arrows at the edge) with the mean (or, under censoring, the median) and its 95% bootstrap interval.
    /// </summary>
    /// <exception cref="ArgumentException">The result has no analysis over data draws.</exception>
    public static string ThresholdDifferences(SweepResult result)
    {
        DrawSummary draws = Draws(result);
        PairedComparison[] pairs = [.. draws.Comparisons.Where(p => p.Metric == "threshold")];
        double[] finite = [.. pairs.SelectMany(p => p.Differences.Append(p.Decisive.Lower).Append(p.Decisive.Upper)).Where(double.IsFinite).Append(0)];
        double step = 0.02;
        double xMin = Math.Floor(finite.Min() / step) * step - step, xMax = Math.Ceiling(finite.Max() / step) * step + step;
        double rowHeight = 70;
        // Room on the right for each pair's p-value, and below for the caption.
        var canvas = new SvgCanvas(900, 150 + Math.Max(1, pairs.Length) * rowHeight);
        var plot = new PlotArea(canvas, 260, 50, 460, Math.Max(1, pairs.Length) * rowHeight, xMin, xMax, 0, Math.Max(1, pairs.Length));
        plot.DrawAxes("Paired threshold differences per data draw", "Threshold difference (percentage points)", "",
            NiceStep(xMax - xMin), Math.Max(1, pairs.Length), v => (v * 100).ToString("0", CultureInfo.InvariantCulture), _ => "");
        canvas.Line(plot.X(0), plot.Top, plot.X(0), plot.Bottom, "#888", 1.2, "3 3");
        for (int i = 0; i < pairs.Length; i++)
        {
            PairedComparison pair = pairs[i];
            double rowY = plot.Y(pairs.Length - i - 0.5);
            canvas.Text(plot.Left - 10, rowY + 4, $"{pair.Upper} − {pair.Lower}", 12, anchor: "end");
            for (int d = 0; d < pair.Differences.Length; d++)
            {
                double v = pair.Differences[d];
                // A fixed jitter by draw keeps the dots apart and the file reproducible.
                double jitter = ((d * 37 % 17) - 8) * 1.8;
                string title = string.Create(CultureInfo.InvariantCulture, $"data seed {draws.DataSeeds[d]}: {Points(v)}");
                if (double.IsFinite(v))
                    canvas.Circle(plot.X(v), rowY - 14 + jitter * 0.5, 3, "#0072B2", null, title);
                else
                    canvas.Text(v > 0 ? plot.Right - 4 : plot.Left + 4, rowY - 14 + jitter * 0.5, v > 0 ? "▶" : "◀", 10, anchor: v > 0 ? "end" : "start", fill: "#0072B2");
            }
            ConfidenceInterval ci = pair.Decisive;
            double lo = Math.Max(xMin, ci.Lower), hi = Math.Min(xMax, ci.Upper);
            canvas.Line(plot.X(lo), rowY + 16, plot.X(hi), rowY + 16, "#D55E00", 2.5, cssClass: "interval");
            if (double.IsFinite(ci.Estimate))
                canvas.Circle(plot.X(ci.Estimate), rowY + 16, 5, "#D55E00", "white", $"{(pair.Mean is null ? "median" : "mean")} {Points(ci.Estimate)} [{Points(ci.Lower)}, {Points(ci.Upper)}]");
            canvas.Text(plot.Right + 8, rowY + 4, string.Create(CultureInfo.InvariantCulture, $"p {(pair.AdjustedPValue < 0.0001 ? "< 0.0001" : "= " + pair.AdjustedPValue.ToString("0.0000", CultureInfo.InvariantCulture))}"), 11);
        }
        Caption(canvas, result, draws, "dots: one data draw each (▶/◀: one threshold censored); orange: mean (median under censoring) with 95% bootstrap CI; p: Wilcoxon, Holm");
        return canvas.Render();
    }

    private static DrawSummary Draws(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Summary.Draws ?? throw new ArgumentException("The sweep has no analysis over data draws (data.seed must be an axis with two values or more).", nameof(result));
    }

    private static void Caption(SvgCanvas canvas, SweepResult result, DrawSummary draws, string what)
    {
        SweepConfig config = result.Config;
        string epochs = config.Axis("training.epochs") is SweepAxis e ? $"epochs {string.Join("/", e.Values)}" : $"{config.Base.Training.Epochs} epochs";
        ulong[] seeds = [.. draws.DataSeeds];
        string dataSeeds = seeds.Length <= 6 ? string.Join(", ", seeds) : $"{seeds[0]}…{seeds[^1]}";
        canvas.Text(20, canvas.Height - 30, what, 11, fill: "#555");
        canvas.Text(20, canvas.Height - 12, string.Create(CultureInfo.InvariantCulture,
            $"{RunDescription.SourceCaption(config)}n = {seeds.Length} data draws × {draws.SeedsPerDraw} seeds per point, {epochs}, data seeds {dataSeeds}, {draws.ResampleCount} resamples"), 11, fill: "#555");
    }

    private static double NiceStep(double range) => range <= 0.1 ? 0.01 : range <= 0.25 ? 0.02 : range <= 0.5 ? 0.05 : 0.1;

    private static string Percent(double value) => double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "−∞"
        : (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Points(double value) => double.IsPositiveInfinity(value) ? "+∞" : double.IsNegativeInfinity(value) ? "−∞"
        : (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " points";
}
