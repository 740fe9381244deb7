using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Sweep;

/// <summary>
/// The learning-dynamics findings of a sweep that records them (<c>training.record_every</c>), printed after the
/// verdicts: per curve, at the fraction <c>dynamics.svg</c> shows, the oracle early stop and what it keeps, and when
/// half of the flipped rows are memorised, with their intervals over data draws where there are several.
/// </summary>
internal static class DynamicsFindings
{
    /// <summary>Prints nothing for a sweep without recorded dynamics.</summary>
    public static void Print(TextWriter output, SweepResult result)
    {
        if (result.Summary.Dynamics is not DynamicsSummary dynamics)
            return;
        DynamicsPoint[] points = [.. dynamics.Points.Where(p => p.PoisonFraction == dynamics.ChartFraction)];
        if (points.Length == 0)
            return;
        string evidence = dynamics.ResampleCount > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"means over {points[0].RunCount} runs, 95% cluster-bootstrap intervals over {dynamics.DrawCount} data draws × {dynamics.SeedCount} seed{(dynamics.SeedCount == 1 ? "" : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"means over {points[0].RunCount} runs, one data draw: no interval");
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Learning dynamics at {dynamics.ChartFraction * 100:0.#}% poison ({evidence}; dynamics.csv, dynamics.svg):"));
        foreach (DynamicsPoint p in points)
        {
            DynamicsIntervals? ci = p.Intervals;
            string best = string.Create(CultureInfo.InvariantCulture,
                $"best test accuracy at epoch {p.BestEpoch}{Bounds(ci?.BestEpoch, 1, "0")}, {p.AccuracySaved * 100:0.0} points{Bounds(ci?.AccuracySaved, 100, "0.0")} above the last epoch's");
            string half = !p.HasFlippedRows ? "no flipped rows"
                : p.HalfMemorizedEpoch is int epoch
                    ? string.Create(CultureInfo.InvariantCulture, $"half of the flipped rows memorised by epoch {epoch}{Bounds(ci?.HalfMemorizedEpoch, 1, "0")}")
                    : string.Create(CultureInfo.InvariantCulture, $"half of the flipped rows not memorised within {p.Epochs[^1]} epochs{Bounds(ci?.HalfMemorizedEpoch, 1, "0")}");
            output.WriteLine($"  {p.Label}: {best}; {half}");
        }
    }

    // " [lower, upper]" scaled, with "not reached" for a censored (+∞) bound; nothing without an interval.
    private static string Bounds(ConfidenceInterval? interval, double scale, string format)
    {
        if (interval is not ConfidenceInterval ci)
            return "";
        string Bound(double v) => double.IsPositiveInfinity(v) ? "not reached" : (v * scale).ToString(format, CultureInfo.InvariantCulture);
        return $" [{Bound(ci.Lower)}, {Bound(ci.Upper)}]";
    }
}
