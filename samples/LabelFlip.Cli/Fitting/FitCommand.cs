using System.Globalization;
using LabelFlip.Core.Fitting;
using LabelFlip.Sweep;

namespace LabelFlip.Cli.Fitting;

/// <summary><c>labelflip fit POINTS.csv</c>: the study's sigmoid fit of accuracy against poison fraction, printed.</summary>
internal static class FitCommand
{
    /// <summary>The study's data (five Gaussian clusters) has this many classes.</summary>
    public const int DefaultClasses = 5;

    /// <summary>z for a two-sided 95% normal interval.</summary>
    private const double Z95 = 1.959963984540054;

    public const string Usage = """
        Usage: labelflip fit POINTS.csv [options]

        Fits the study's descending sigmoid y = L / (1 + exp(k (x - x0))) + b to (poison fraction, accuracy)
        points by bounded least squares (the global optimum within L in [0, 1.5], k in [0.1, 100], x0 and b in
        [0, 1]) and prints the parameters with their standard errors (from the fit's covariance, as SciPy's
        pcov) and 95% intervals (estimate +/- 1.96 standard errors), R^2 and the threshold: the first of 2000
        points on [0, 0.6] where the curve is at or below the target, halfway from the clean accuracy (the mean
        y at the smallest x) to chance (1 / classes), and the curve's exact crossing.

        The CSV: a header line is optional; x is column poison.fraction (or poison_fraction, fraction), y is
        test_accuracy_mean (or test_accuracy, accuracy), else columns 1 and 2. The sweep's curves.csv and
        runs.csv work as they are when the sweep has one curve. Several points may share an x.

        Options (--opt=value works too):
          --x COLUMN         x column, by header name or number from 1
          --y COLUMN         y column, by header name or number from 1
          --classes N        classes of the data, for chance = 1/N (default 5, the study's)
          --target T         the threshold's level, instead of halfway to chance
          --help             show this help
        """;

    public static int Run(IReadOnlyList<string> arguments)
    {
        var reader = new OptionReader(arguments);
        string? path = null, xColumn = null, yColumn = null;
        int classes = DefaultClasses;
        double? target = null;
        try
        {
            while (reader.TryNext(out string? option))
            {
                string Value() => reader.Value();
                switch (option)
                {
                    case "--help" or "-h":
                        Console.WriteLine(Usage);
                        return 0;
                    case "--x":
                        xColumn = Value();
                        break;
                    case "--y":
                        yColumn = Value();
                        break;
                    case "--classes":
                        classes = reader.IntValue();
                        if (classes < 2)
                            throw new UsageException($"--classes must be an integer of at least 2, got {classes}");
                        break;
                    case "--target":
                        target = CommandLine.ParseFraction(option, Value());
                        break;
                    default:
                        if (option.StartsWith('-') || path is not null)
                            throw reader.Unexpected();
                        path = option;
                        break;
                }
            }
            if (path is null)
                throw new UsageException("fit needs the CSV file of points");
        }
        catch (UsageException e)
        {
            return SweepCommand.Fail(ProgramNames.Tool, 2, $"fit: {e.Message.TrimEnd('.')}. Try labelflip fit --help.");
        }

        double[] x, y;
        string xName, yName;
        try
        {
            (x, y, xName, yName) = PointsCsv.Read(path, xColumn, yColumn);
        }
        catch (PointsCsv.FormatError e)
        {
            return SweepCommand.Fail(ProgramNames.Tool, 2, $"fit: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SweepCommand.Fail(ProgramNames.Tool, 2, $"fit: cannot read '{path}': {CommandLine.FirstLine(e.Message)}");
        }

        SigmoidFitResult fit;
        try
        {
            fit = SigmoidFit.Fit(x, y);
        }
        catch (ArgumentException e)
        {
            return SweepCommand.Fail(ProgramNames.Tool, 2, $"fit: {path}: {CommandLine.FirstLine(e.Message)}");
        }
        Print(Console.Out, fit, x, y, $"{path} (x: {xName}, y: {yName})", classes, target);
        return 0;
    }

    private static void Print(TextWriter output, SigmoidFitResult fit, double[] x, double[] y, string source, int classes, double? givenTarget)
    {
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(invariant, $"Sigmoid y = L / (1 + exp(k (x - x0))) + b fitted to {x.Length} points of {source}"));
        output.WriteLine("parameter  estimate      std. error    95% interval");
        string[] names = ["L", "k", "x0", "b"];
        for (int p = 0; p < SigmoidParameters.Count; p++)
        {
            double estimate = fit.Parameters[p], error = fit.StandardErrors[p];
            string interval = double.IsFinite(error)
                ? string.Create(invariant, $"[{estimate - Z95 * error:G6}, {estimate + Z95 * error:G6}]")
                : "none";
            output.WriteLine(string.Create(invariant, $"{names[p],-10} {estimate,-13:G6} {error,-13:G6} {interval}"));
        }
        string covariance = fit.CovarianceStatus switch
        {
            CovarianceStatus.TooFewPoints => " (no standard errors: 4 parameters need more than 4 points)",
            CovarianceStatus.Singular => " (no standard errors: the fit's covariance is singular)",
            CovarianceStatus.NotAvailable => " (no standard errors)",
            _ => "",
        };
        output.WriteLine(string.Create(invariant, $"R^2 {fit.RSquared:G6}; residual sum of squares {fit.SsRes:G6}; solver: {fit.ExitReason} after {fit.Iterations} iterations{covariance}"));

        double smallest = x.Min();
        double clean = y.Where((_, i) => x[i] == smallest).Average();
        double target = givenTarget ?? SigmoidFit.ThresholdTarget(Math.Clamp(clean, 0, 1), classes);
        string level = givenTarget is null
            ? string.Create(invariant, $"target {target:G6}, halfway from clean accuracy {clean:G6} at x = {smallest:G6} to chance 1/{classes}")
            : string.Create(invariant, $"target {target:G6}");
        if (!fit.HasTransition)
        {
            output.WriteLine(string.Create(invariant, $"threshold: none; the best descending sigmoid is flat ({level})"));
            return;
        }
        double grid = fit.ThresholdOnGrid(target);
        double closed = fit.ThresholdClosedForm(target);
        output.WriteLine(double.IsFinite(grid)
            ? string.Create(invariant, $"threshold: {grid:G6} on the study's grid of {SigmoidFit.DefaultGridPoints} points on [0, {SigmoidFit.DefaultGridMax}]; exact crossing {closed:G6} ({level})")
            : string.Create(invariant, $"threshold: none; the curve stays above the target up to {SigmoidFit.DefaultGridMax} (exact crossing {closed:G6}; {level})"));
    }
}
