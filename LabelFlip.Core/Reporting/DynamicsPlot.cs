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
    // The palette of the other charts (Okabe–Ito), one colour per curve in order.
    private static readonly string[] s_palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

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

        var canvas = new SvgCanvas(760, 520);
        var plot = new PlotArea(canvas, 80, 50, 640, 380, 0, xMax, 0, 1);
        string percent = PlotArea.Percent(fraction);
        plot.DrawAxes($"Learning and memorising over training, {percent} of training labels flipped", "Epoch", "Share of rows",
            xStep, 0.1, x => x.ToString("0", CultureInfo.InvariantCulture), PlotArea.Decimal);

        var legend = new List<(string, string, string?)>();
        for (int c = 0; c < points.Length; c++)
        {
            DynamicsPoint p = points[c];
            string color = s_palette[c % s_palette.Length];
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
            legend.Add((color, string.Create(CultureInfo.InvariantCulture, $"{p.Label}: best epoch {p.BestEpoch} (+{p.AccuracySaved * 100:0.0} points){memorized}"), null));
        }
        legend.Add(("#444", "solid: test accuracy (ring: oracle early stop)", null));
        legend.Add(("#444", "dashed: flipped rows fitted to their noisy label (square: half)", "7 4"));
        // Test accuracy sits high and memorization starts low: the lower right is where the lines are not, early on.
        plot.Legend(legend, 440, bottom: true);
        string chosen = string.Create(CultureInfo.InvariantCulture,
            $"p = {percent}: the largest swept fraction ≤ {PlotArea.Percent(DynamicsAnalysis.ChartFractionLimit)}; lines: means over the replicate runs");
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
