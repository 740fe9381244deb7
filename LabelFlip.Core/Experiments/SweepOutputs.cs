using LabelFlip.Core.Internal;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Experiments;

/// <summary>Writes a sweep's files into its output folder, each atomically (temporary file, then rename).</summary>
public static class SweepOutputs
{
    /// <summary>The deterministic results.</summary>
    public const string ResultsFile = "results.json";

    /// <summary>Timings and machine.</summary>
    public const string PerformanceFile = "performance.json";

    /// <summary>Test accuracy against poison, with the fitted sigmoids.</summary>
    public const string AccuracyPlotFile = "accuracy_vs_poison.svg";

    /// <summary>Generalization gap against poison.</summary>
    public const string GapPlotFile = "generalization_gap.svg";

    /// <summary>Train and test accuracy, one panel per width.</summary>
    public const string TrainTestPlotFile = "train_vs_test.svg";

    /// <summary>Writes results.json, performance.json and the three SVG charts; returns their paths.</summary>
    public static IReadOnlyList<string> Write(SweepResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        (string Name, string Content)[] files =
        [
            (ResultsFile, ResultsJson.Results(result)),
            (PerformanceFile, ResultsJson.Performance(result)),
            (AccuracyPlotFile, SweepPlots.AccuracyVsPoison(result)),
            (GapPlotFile, SweepPlots.GeneralizationGap(result)),
            (TrainTestPlotFile, SweepPlots.TrainVsTest(result)),
        ];
        var paths = new List<string>(files.Length);
        foreach ((string name, string content) in files)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.WriteAllText(path, content);
            paths.Add(path);
        }
        return paths;
    }
}
