using System.Globalization;
using LabelFlip.Core.Experiments;

// One width, two poison fractions, one seed: a sweep small enough for a smoke test, run from the package.
var config = new SweepConfig { HiddenWidths = [32], PoisonFractions = [0.0, 0.5], Seeds = [42] };
SweepResult result = SweepRunner.Run(config);

string? version = typeof(SweepRunner).Assembly
    .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
    .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
Console.WriteLine($"LabelFlip.Core {version}");
foreach (AggregatedPoint point in result.Aggregated)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"p = {point.PoisonFraction:0.00}  width {point.HiddenWidth}  test accuracy {point.TestAccMean:0.000}"));
foreach (WidthFit fit in result.Fits)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"fit: L = {fit.Fit.L:0.000}, k = {fit.Fit.K:0.00}, x0 = {fit.Fit.X0:0.000}, b = {fit.Fit.B:0.000}, R² = {fit.Fit.RSquared:0.000}, exit: {fit.Fit.ExitReason}"));
