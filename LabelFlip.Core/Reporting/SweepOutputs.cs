using LabelFlip.Core.Experiments;
using System.Text;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Reporting;

/// <summary>Writes a sweep's files into its output folder, each atomically (temporary file, then rename).</summary>
public static class SweepOutputs
{
    private static readonly UTF8Encoding s_utf8 = new(false);

    /// <summary>The deterministic results.</summary>
    public const string ResultsFile = "results.json";

    /// <summary>Timings and machine.</summary>
    public const string PerformanceFile = "performance.json";

    /// <summary>One row per run.</summary>
    public const string RunsCsvFile = "runs.csv";

    /// <summary>One row per curve point.</summary>
    public const string CurvesCsvFile = "curves.csv";

    /// <summary>Test accuracy against poison, with the fitted sigmoids.</summary>
    public const string AccuracyPlotFile = "accuracy_vs_poison.svg";

    /// <summary>Generalization gap against poison.</summary>
    public const string GapPlotFile = "generalization_gap.svg";

    /// <summary>Train and test accuracy, one panel per curve.</summary>
    public const string TrainTestPlotFile = "train_vs_test.svg";

    /// <summary>Per-draw paired threshold differences; only for a sweep over several data draws.</summary>
    public const string ThresholdDifferencesPlotFile = "threshold_differences.svg";

    /// <summary>One row per run and recorded epoch; only when some run records its learning dynamics.</summary>
    public const string DynamicsCsvFile = "dynamics.csv";

    /// <summary>Test accuracy and memorization against epoch, per width; only when some run records its dynamics.</summary>
    public const string DynamicsPlotFile = "dynamics.svg";

    /// <summary>Detection precision and recall against poison per detector; only for a sweep over <c>defence.detector</c>.</summary>
    public const string DetectionPlotFile = "detection.svg";

    /// <summary>Test accuracy against poison per defence, a panel per noise model; only for a sweep over a defence.</summary>
    public const string DefencePlotFile = "defences.svg";

    /// <summary>Every file <see cref="Write"/> writes.</summary>
    public static readonly IReadOnlyList<string> Files =
        [ResultsFile, PerformanceFile, RunsCsvFile, CurvesCsvFile, AccuracyPlotFile, GapPlotFile, TrainTestPlotFile, ThresholdDifferencesPlotFile,
         DynamicsCsvFile, DynamicsPlotFile, DetectionPlotFile, DefencePlotFile];

    /// <summary>
    /// Writes results.json, performance.json, runs.csv, curves.csv and the three SVG charts, returning their paths; over
    /// several data draws the accuracy chart shows 95% bands across draws and threshold_differences.svg is added; when
    /// some run records its learning dynamics (<c>training.record_every</c>), dynamics.csv and dynamics.svg are added;
    /// over detectors (<c>defence.detector</c>), detection.svg; over any defence (a detector, <c>training.loss</c>,
    /// <c>training.validation_fraction</c>), defences.svg.
    /// </summary>
    public static IReadOnlyList<string> Write(SweepResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        bool draws = result.Summary.Draws is not null;
        bool dynamics = result.Runs.AnyDynamics;
        // The files with a row or entry per run stream from the records (read back from the run log) into their
        // temporary files; the others are small and built first, so a chart that fails leaves no file written.
        (string Name, Action<Stream> Write)[] files =
        [
            (ResultsFile, stream => ResultsJson.WriteResults(result, stream)),
            Text(PerformanceFile, ResultsJson.Performance(result)),
            (RunsCsvFile, stream => WriteText(stream, writer => TidyCsv.WriteRuns(result, writer))),
            Text(CurvesCsvFile, TidyCsv.Curves(result)),
            Text(AccuracyPlotFile, draws ? DrawPlots.AccuracyWithBands(result) : SweepPlots.AccuracyVsPoison(result)),
            Text(GapPlotFile, SweepPlots.GeneralizationGap(result)),
            Text(TrainTestPlotFile, SweepPlots.TrainVsTest(result)),
            .. draws ? [Text(ThresholdDifferencesPlotFile, DrawPlots.ThresholdDifferences(result))] : Array.Empty<(string, Action<Stream>)>(),
            .. dynamics
                ? [(DynamicsCsvFile, stream => WriteText(stream, writer => TidyCsv.WriteDynamics(result, writer))), Text(DynamicsPlotFile, DynamicsPlot.Chart(result))]
                : Array.Empty<(string, Action<Stream>)>(),
            .. DetectionPlots.Applies(result.Config) ? [Text(DetectionPlotFile, DetectionPlots.PrecisionRecall(result))] : Array.Empty<(string, Action<Stream>)>(),
            .. DefencePlots.Applies(result.Config) ? [Text(DefencePlotFile, DefencePlots.AccuracyByNoiseModel(result))] : Array.Empty<(string, Action<Stream>)>(),
        ];
        var paths = new List<string>(files.Length);
        foreach ((string name, Action<Stream> write) in files)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.Write(path, write);
            paths.Add(path);
        }
        return paths;
    }

    private static (string, Action<Stream>) Text(string name, string content)
    {
        byte[] bytes = s_utf8.GetBytes(content);
        return (name, stream => stream.Write(bytes));
    }

    private static void WriteText(Stream stream, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(stream, s_utf8, 1 << 16, leaveOpen: true);
        write(writer);
    }

    /// <summary>
    /// Deletes the outputs of an earlier sweep from <paramref name="directory"/>, so that a sweep that then fails
    /// leaves no results beside its run log that it did not produce; and the temporary files of outputs that a sweep
    /// killed while writing them (<c>kill -9</c>) left behind.
    /// </summary>
    public static void Remove(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        foreach (string name in Files)
        {
            File.Delete(Path.Combine(directory, name));
            if (Directory.Exists(directory))
            {
                foreach (string temporary in Directory.EnumerateFiles(directory, AtomicFile.TemporaryPattern(name)))
                    File.Delete(temporary);
            }
        }
    }
}
