using System.Globalization;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// <c>dynamics.svg</c>: how the networks learn and memorise over training, at one poison fraction
/// (<see cref="DynamicsSummary.ChartFraction"/>: the largest swept fraction at most
/// <see cref="DynamicsAnalysis.ChartFractionLimit"/>).
/// </summary>
public static class DynamicsPlot
{
    /// <summary>
    /// Per curve (width), mean test accuracy (solid) and mean memorization of the flipped rows (dashed) against the
    /// epoch, with the oracle early stop marked on the test line (a ring) and the epoch at which half of the flipped
    /// rows are memorised on the memorization line (a square); a caption with n, the epochs and the data seeds.
    /// </summary>
    /// <exception cref="ArgumentException">No run of the sweep recorded its dynamics.</exception>
    public static string Chart(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        DynamicsSummary dynamics = result.Summary.Dynamics
            ?? throw new ArgumentException("No run recorded its learning dynamics (training.record_every).", nameof(result));
        double fraction = dynamics.ChartFraction;
        DynamicsPoint[] points = [.. dynamics.Points.Where(p => p.PoisonFraction == fraction)];
        int lastEpoch = points.Select(p => p.Epochs[^1]).DefaultIfEmpty(1).Max();
        double xStep = NiceStep(lastEpoch);
        double xMax = Math.Ceiling(lastEpoch / xStep) * xStep;

        var canvas = new SvgCanvas(900, 560 + 18 * points.Length);
        var plot = new PlotArea(canvas, 80, 50, 780, 360, 0, xMax, 0, 1);
        string percent = PlotArea.Percent(fraction);
        plot.DrawAxes($"Learning and memorising over training, {percent} of training labels flipped", "Epoch", "Share of rows",
            xStep, 0.1, x => x.ToString("0", CultureInfo.InvariantCulture), PlotArea.Decimal);

        var legend = new List<(string, string, string?)>();
        for (int c = 0; c < points.Length; c++)
        {
            DynamicsPoint p = points[c];
            string color = SweepPlots.Palette[c % SweepPlots.Palette.Length];
            canvas.Polyline(p.Epochs.Select((e, i) => (plot.X(e), plot.Y(p.MeanTestAccuracy[i]))), color, 2.5, cssClass: "test-accuracy", dataWidth: p.Label);
            int best = p.Epochs.IndexOf(p.BestEpoch);
            canvas.Circle(plot.X(p.BestEpoch), plot.Y(p.MeanTestAccuracy[best]), 5, "white", color, string.Create(CultureInfo.InvariantCulture,
                $"{p.Label}: best test accuracy {p.MeanTestAccuracy[best]:0.000} at epoch {p.BestEpoch}, {p.AccuracySaved:0.000} above the last epoch"));
            string memorized = "";
            if (p.HasFlippedRows)
            {
                canvas.Polyline(p.Epochs.Select((e, i) => (plot.X(e), plot.Y(p.MeanMemorization[i]))), color, 2, "7 4", "memorization", p.Label);
                if (p.HalfMemorizedEpoch is int half)
                {
                    double y = plot.Y(p.MeanMemorization[p.Epochs.IndexOf(half)]);
                    canvas.Rect(plot.X(half) - 4, y - 4, 8, 8, color, "white");
                }
                memorized = $"; half memorised: {DynamicsAnalysis.HalfMemorizedText(p)}";
            }
            legend.Add((color, string.Create(CultureInfo.InvariantCulture,
                $"{p.Label}: best test accuracy at epoch {p.BestEpoch} (+{p.AccuracySaved * 100:0.0} points over the last){memorized}"), null));
        }
        legend.Add(("#444", "solid: test accuracy (ring: oracle early stop)", null));
        legend.Add(("#444", "dashed: memorization, flipped rows predicted as their noisy label (square: half memorised)", "7 4"));
        // Below the plot: memorization climbs across the whole panel, so no corner of it stays free.
        double legendY = plot.Bottom + 62;
        foreach ((string color, string text, string? dash) in legend)
        {
            canvas.Line(plot.Left, legendY, plot.Left + 24, legendY, color, 2.5, dash);
            canvas.Text(plot.Left + 32, legendY + 4, text, 12);
            legendY += 18;
        }
        string chosen = string.Create(CultureInfo.InvariantCulture,
            $"p = {percent}, the largest swept fraction ≤ {PlotArea.Percent(DynamicsAnalysis.ChartFractionLimit)}; lines: means over the replicate runs");
        SweepPlots.Caption(canvas, result, chosen);
        return canvas.Render();
    }

    // 10, 20, 25, 50, 100, … so that the axis has about 5 to 10 ticks.
    private static double NiceStep(int epochs)
    {
        double step = 1;
        while (epochs / step > 10)
        {
            foreach (double factor in (ReadOnlySpan<double>)[2, 2.5, 2])
            {
                step *= factor;
                if (epochs / step <= 10)
                    break;
            }
        }
        return step;
    }
}
