using System.Globalization;
using System.Reflection;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

// The study's base run with its axes narrowed: one width, five poison fractions (the fewest a four-parameter sigmoid
// fit accepts), one seed. A sweep small enough for a smoke test, run from the package.
SweepConfig config = SweepConfig.Study
    .WithAxis(SweepAxis.Of<int[]>("model.hidden_widths", [[32]]))
    .WithAxis(SweepAxis.Of<double>("poison.fraction", [0.0, 0.1, 0.2, 0.3, 0.5]))
    .WithAxis(SweepAxis.Of<ulong>("seed", [42]));
SweepResult result = SweepRunner.Run(config);

string? version = typeof(SweepRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
Console.WriteLine($"LabelFlip.Core {version}");
Console.WriteLine($"sweep {config.Fingerprint}: {config.RunCount} runs over {string.Join(" × ", config.Axes.Select(a => $"{a.Path} ({a.Values.Length})"))}");

foreach (Curve curve in result.Summary.Curves)
{
    foreach (CurvePoint point in curve.Points)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{curve.Label}  p = {point.PoisonFraction:0.00}  runs {point.RunCount}  test accuracy {point.MeanOf(RunMetrics.TestAccuracy):0.000}  train accuracy {point.MeanOf(RunMetrics.TrainAccuracy):0.000}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{curve.Label}  fit: k = {SweepAnalysis.KText(curve.Fit)}, threshold {SweepAnalysis.ThresholdText(curve.Fit)}, status {curve.Fit.Status}{(curve.Fit.Note is string note ? $" ({note})" : "")}"));
    if (curve.Fit.Fit is { } fit)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{curve.Label}  L = {fit.L:0.000}, x0 = {fit.X0:0.000}, b = {fit.B:0.000}, R² = {fit.RSquared:0.000}, exit: {fit.ExitReason}"));
}
foreach (Finding finding in result.Summary.Findings)
    Console.WriteLine($"{finding.Claim}: {ResultsJson.VerdictText(finding.Verdict)}. {finding.Evidence}");

// A consumer gets the same outputs the command-line tool writes.
Console.WriteLine($"runs.csv: {TidyCsv.Runs(result).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1} rows; results.json: {ResultsJson.Results(result).Length} characters");
