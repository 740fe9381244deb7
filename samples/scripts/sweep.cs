#:package LabelFlip.Core@0.2.0
#:property PublishAot=false

// A small label-flip sweep through the public API of LabelFlip.Core: the file-based twin of
// ../notebooks/label-flip-sweep.ipynb. Gaussian clusters (500 points, 10 features, 5 classes), a 70/30 split, a
// fraction p of the training labels flipped to a random wrong class (test labels stay clean), Linear–ReLU–Linear nets
// trained with plain SGD, and a descending sigmoid acc = L / (1 + e^{k(p − x0)}) + b fitted to each curve.
//
//   dotnet pack LabelFlip.Core -c Release -o artifacts      (once, at the repository root)
//   dotnet run samples/scripts/sweep.cs [-- output-folder]
//
// The package comes from ../../artifacts, the local feed named in nuget.config beside this file. After packing again
// at the same version, run with `dotnet run --no-cache`, and clear ~/.nuget/packages/labelflip.core: the SDK reuses
// its cached build of this file, and NuGet its copy of the package, while their version stays the same.
// The outputs, the charts among them, go to the folder given or else to a new temporary folder; the last line names it.
// PublishAot=false: file-based programs publish natively by default, which makes every restore fetch the native
// compiler's packages as well, from a feed that has only LabelFlip.Core.

using System.Globalization;
using System.Reflection;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

string? version = typeof(SweepRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
Console.WriteLine($"LabelFlip.Core {version}");

// A run is complete on its own: data, poison, model, training and a seed. A sweep is a base run plus axes, each a path
// into the run and its values; the runs are the product of the axes. This is the JSON the command-line tool reads with
// --config; fields the base leaves out keep the study's values. Two widths, seven fractions, two seeds: 28 trainings.
SweepConfig config = SweepConfig.FromJson("""
{
  "base": { "training": { "epochs": 200, "learning_rate": 0.05 } },
  "axes": {
    "poison.fraction": [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5],
    "model.hidden_widths": [[32], [128]],
    "seed": [42, 123]
  }
}
""");
Console.WriteLine($"{config.RunCount} runs, fingerprint {config.Fingerprint}");
Console.WriteLine(config.ToJson());

// Every run draws from random streams named by its own fields: the same bits on every machine, thread count and shard.
SweepResult result = SweepRunner.Run(config);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Runs.Length} runs in {result.Timings.TotalTime.TotalSeconds:0.00} s on {result.Timings.Threads} threads"));

// A curve is mean test accuracy (on clean labels) against the poison fraction for one width; the seeds are replicates.
// The threshold is where the fitted curve falls halfway from clean accuracy to chance (1/5), read on the study's grid
// of 2,000 points on [0, 0.6]; its status says whether the crossing lies within the swept fractions.
Console.WriteLine();
Console.WriteLine("The curves and their fits:");
int labelWidth = result.Summary.Curves.Max(c => c.Label.Length);
Console.WriteLine($"{"curve".PadRight(labelWidth)}  {"clean acc",9}  {"k ± se",13}  {"x0",6}  {"R²",6}  {"threshold",24}  {"closed form",11}  {"status",12}  sharp (k > 5)");
foreach (Curve curve in result.Summary.Curves)
{
    CurveFit fit = curve.Fit;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{curve.Label.PadRight(labelWidth)}  {fit.CleanAccuracy,9:0.000}  {SweepAnalysis.KText(fit),13}  {Number(fit.Fit?.X0, "0.000"),6}  {Number(fit.Fit?.RSquared, "0.000"),6}  " +
        $"{SweepAnalysis.ThresholdText(fit),24}  {Number(fit.ThresholdClosedForm * 100, "0.00'%'"),11}  {fit.Status,12}  {ResultsJson.VerdictText(fit.Sharp)}"));
}

// The points behind the fits: mean test accuracy ± the sample standard deviation over the seeds.
Console.WriteLine();
Console.WriteLine("Mean test accuracy ± standard deviation over the seeds:");
Console.WriteLine($"{"flipped",7}" + string.Concat(result.Summary.Curves.Select(c => $"  {c.Label,13}")));
foreach (double fraction in result.Summary.Curves[0].Points.Select(p => p.PoisonFraction))
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{fraction * 100,6:0}%") + string.Concat(result.Summary.Curves.Select(c => $"  {Point(c, fraction),13}")));

// Each finding is a question with a verdict (yes, no, inconclusive, not applicable) and the numbers it rests on.
Console.WriteLine();
Console.WriteLine("Findings:");
foreach (Finding finding in result.Summary.Findings)
    Console.WriteLine($"{finding.Claim}: {ResultsJson.VerdictText(finding.Verdict)} — {finding.Evidence}");

// runs.csv: one row per run (plan index, one column per axis, every metric), for pandas, R or a spreadsheet.
Console.WriteLine();
Console.WriteLine("The first rows of runs.csv:");
foreach (string line in TidyCsv.Runs(result).Split('\n').Take(6))
    Console.WriteLine(line);

// What the command-line tool writes: results.json, performance.json, the two CSV tables and the three SVG charts.
string folder = args.Length > 0 ? Directory.CreateDirectory(args[0]).FullName : Directory.CreateTempSubdirectory("labelflip-sweep-").FullName;
Console.WriteLine();
foreach (string file in SweepOutputs.Write(result, folder))
    Console.WriteLine($"{Path.GetFileName(file),-26} {new FileInfo(file).Length,8:N0} bytes");
Console.WriteLine($"chart: {Path.Combine(folder, SweepOutputs.AccuracyPlotFile)}");

static string Number(double? value, string format) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

static string Point(Curve curve, double fraction)
{
    MetricSummary test = curve.Points.Single(p => p.PoisonFraction == fraction).Get(RunMetrics.TestAccuracy);
    return Number(test.Mean, "0.000") + (test.Std is double s ? " ± " + Number(s, "0.000") : "");
}
