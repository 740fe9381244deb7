using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Sweep;

/// <summary>The sweep's key numbers as a compact table, then each finding with its evidence.</summary>
internal static class FindingsTable
{
    public static void Print(TextWriter output, SweepResult result, string outputDirectory, int merged)
    {
        SweepSummary summary = result.Summary;
        int labelWidth = Math.Max(5, summary.Curves.Select(c => c.Label.Length).DefaultIfEmpty(5).Max());
        double maxFraction = summary.Curves.SelectMany(c => c.Points).Select(p => p.PoisonFraction).DefaultIfEmpty(0).Max();
        string gapHeader = string.Create(CultureInfo.InvariantCulture, $"gen gap @{maxFraction * 100:0.#}%");
        output.WriteLine();
        output.WriteLine($"{"curve".PadRight(labelWidth)}  {"clean acc",9}  {"k ± se",13}  {"x0",6}  {"threshold",24}  {"R²",6}  {gapHeader,13}");
        var notes = new List<string>();
        foreach (Curve curve in summary.Curves)
        {
            CurveFit fit = curve.Fit;
            string x0 = fit.Fit is SigmoidFitResult f && fit.Status != ThresholdStatus.NoTransition ? f.X0.ToString("0.000", CultureInfo.InvariantCulture) : "—";
            string r2 = fit.Fit is SigmoidFitResult g ? g.RSquared.ToString("0.000", CultureInfo.InvariantCulture) : "—";
            string k = fit.Status is ThresholdStatus.NoTransition or ThresholdStatus.NotIdentifiable ? "—" : SweepAnalysis.KText(fit);
            double gap = curve.Points[^1].MeanOf(RunMetrics.GeneralizationGap);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{curve.Label.PadRight(labelWidth)}  {fit.CleanAccuracy,9:0.000}  {k,13}  {x0,6}  {SweepAnalysis.ThresholdText(fit),24}  {r2,6}  {gap,13:0.000}"));
            if (fit.Note is string note)
                notes.Add($"{curve.Label}: {note}");
        }
        foreach (string note in notes.Distinct())
            output.WriteLine($"  note: {note}");
        if (result.Config.Equals(SweepConfig.Study))
            PrintPublishedComparison(output, summary);
        output.WriteLine();
        foreach (Finding finding in summary.Findings)
            output.WriteLine($"{finding.Claim}: {ResultsJson.VerdictText(finding.Verdict)} — {finding.Evidence}");

        SweepTimings t = result.Timings;
        string where = $"results in {outputDirectory}";
        if (merged > 0)
        {
            output.WriteLine($"Merged {merged} shard{(merged == 1 ? "" : "s")}: {result.Runs.Length} runs; {where}");
            return;
        }
        string trained = t.ResumedRuns > 0 ? $" ({t.RunTimes.Length} trained, {t.ResumedRuns} resumed)" : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sweep: {result.Runs.Length} runs{trained} in {t.TotalTime.TotalSeconds:0.00} s on {t.Threads} thread{(t.Threads == 1 ? "" : "s")}, {MachineInfo.VectorPath}; {where}"));
    }

    // The study's own design on its own streams: each cell beside the published value and the difference.
    private static void PrintPublishedComparison(TextWriter output, SweepSummary summary)
    {
        output.WriteLine();
        output.WriteLine("Against the published study (published → reproduced, difference):");
        output.WriteLine($"{"width",5}  {"clean acc",22}  {"k",22}  {"x0",22}  {"threshold",24}  {"R²",22}  {"gen gap @50%",22}");
        for (int i = 0; i < PublishedStudy.Widths.Length && i < summary.Curves.Length; i++)
        {
            CurveFit fit = summary.Curves[i].Fit;
            SigmoidFitResult f = fit.Fit ?? default;
            double gap = summary.Curves[i].Points[^1].MeanOf(RunMetrics.GeneralizationGap);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{PublishedStudy.Widths[i],5}  {Cell(PublishedStudy.CleanAccuracy[i], fit.CleanAccuracy, "0.000"),22}  {Cell(PublishedStudy.K[i], f.K, "0.00"),22}  " +
                $"{Cell(PublishedStudy.X0[i], f.X0, "0.000"),22}  {Cell(PublishedStudy.Threshold[i] * 100, (fit.Threshold ?? double.NaN) * 100, "0.0", "%"),24}  " +
                $"{Cell(PublishedStudy.RSquared[i], f.RSquared, "0.000"),22}  {Cell(PublishedStudy.GenGapAt50[i], gap, "0.000"),22}"));
        }
    }

    private static string Cell(double published, double ours, string format, string unit = "") =>
        string.Create(CultureInfo.InvariantCulture,
            $"{published.ToString(format, CultureInfo.InvariantCulture)}{unit} → {ours.ToString(format, CultureInfo.InvariantCulture)}{unit} ({(ours - published >= 0 ? "+" : "−")}{Math.Abs(ours - published).ToString(format, CultureInfo.InvariantCulture)})");
}
