using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Sweep;

/// <summary>
/// The robustness section: the sweep's design again over fresh data draws (data seeds 1 to N), analysed with
/// intervals and paired comparisons (<see cref="DrawAnalysis"/>), written to DIR/robustness and printed as verdicts.
/// </summary>
internal static class Robustness
{
    public const string Folder = "robustness";

    /// <summary>The design with <c>data.seed</c> = 1, 2, …, <paramref name="draws"/> as an axis.</summary>
    public static SweepConfig Config(SweepConfig design, int draws) =>
        design.WithAxis(SweepAxis.Of("data.seed", [.. Enumerable.Range(1, draws).Select(d => (ulong)d)]));

    /// <summary>Prints the verdicts over data draws with their intervals.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="result">A sweep with <c>data.seed</c> as an axis.</param>
    /// <param name="directory">Its output folder.</param>
    /// <param name="heading">"Robustness" for the section after the study; "Across data draws" for a sweep whose own
    /// design has data draws (its findings table, printed before, already says where the results are).</param>
    public static void Print(TextWriter output, SweepResult result, string directory, string heading = "Robustness")
    {
        bool section = heading == "Robustness";
        if (result.Summary.Draws is not DrawSummary draws)
        {
            output.WriteLine($"{heading}: the design has too few poison fractions to fit curves per draw; see the tables in " + directory);
            return;
        }
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{heading}: {draws.DataSeeds.Length} data draws (data seeds {draws.DataSeeds[0]}…{draws.DataSeeds[^1]}) × {draws.SeedsPerDraw} seeds, {draws.ResampleCount} bootstrap resamples, 95% intervals"));
        int labelWidth = Math.Max(5, draws.Curves.Select(c => c.Label.Length).DefaultIfEmpty(5).Max());
        output.WriteLine($"{"curve".PadRight(labelWidth)}  {"threshold (pooled fit)",26}  {"median over draws",24}  {"censored draws",14}  {"median k over draws",22}  {"gen gap @max",22}");
        foreach (CurveIntervals c in draws.Curves)
        {
            string censored = $"{c.DrawCensoring.Censored}/{c.DrawCensoring.Total}";
            output.WriteLine($"{c.Label.PadRight(labelWidth)}  {Text(c.Threshold, 100, "0.0", "%"),26}  {Text(c.DrawThresholdMedian, 100, "0.0", "%"),24}  {censored,14}  {Text(c.DrawSteepnessMedian, 1, "0.00", ""),22}  {Text(c.GapAtLargestFraction, 1, "0.000", ""),22}");
        }
        output.WriteLine("  thresholds reached beyond the largest fraction, never, or on a flat curve are censored (∞): medians and percentile intervals");
        output.WriteLine();
        foreach (Finding finding in draws.Findings)
            output.WriteLine($"{finding.Claim}: {ResultsJson.VerdictText(finding.Verdict)} — {finding.Evidence}");
        if (section)
            output.WriteLine($"Robustness results in {directory}");
    }

    private static string Text(ConfidenceInterval ci, double scale, string format, string unit) =>
        $"{Number(ci.Estimate, scale, format, unit)} [{Number(ci.Lower, scale, format, unit)}, {Number(ci.Upper, scale, format, unit)}]";

    private static string Number(double value, double scale, string format, string unit) =>
        double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "−∞"
        : (value * scale).ToString(format, CultureInfo.InvariantCulture) + unit;
}
