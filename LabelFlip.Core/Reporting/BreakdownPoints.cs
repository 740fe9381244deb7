using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Poisoning;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// Each curve's theoretical breakdown point: the poison fraction at which some class's most frequent reported label
/// stops being its true label (<see cref="TransitionMatrix.BreakdownFraction"/>), where the noise model has one.
/// </summary>
internal static class BreakdownPoints
{
    /// <summary>A curve's noise model and breakdown point (null when the model has none in closed form).</summary>
    public readonly record struct Point(string Model, double? Fraction, string Formula);

    /// <summary>The noise models a sweep runs: the poison.model axis's values, or the base run's one.</summary>
    public static string[] Models(SweepConfig config) => config.Axis("poison.model") is SweepAxis modelAxis
        ? [.. modelAxis.Values.Select(v => v.Trim('"'))]
        : [config.Base.Poison.Model];

    /// <summary>Whether results.json gives each curve its breakdown point: when the sweep names a noise model other than
    /// uniform, as its description's breakdown_point does (a uniform-only sweep's document is as it always was).</summary>
    public static bool AreWritten(SweepConfig config) => Models(config) is not [PoisonSpec.UniformModel];

    /// <summary>
    /// The breakdown point of a model at k classes: (k − 1)/k for uniform and symmetric noise, 1/2 for pair and targeted
    /// noise, the matrix path's for "matrix"; null for random-asymmetric (its matrix, and so its point, is drawn per
    /// seed, and a curve averages seeds) and for the instance-dependent models (boundary, boundary-soft, adversarial).
    /// </summary>
    public static Point Of(PoisonSpec poison, int classCount)
    {
        switch (poison.Model)
        {
            case PoisonSpec.UniformModel:
            case PoisonSpec.SymmetricModel:
                double symmetric = TransitionMatrix.SymmetricBreakdownFraction(classCount);
                return new Point(poison.Model, symmetric, string.Create(CultureInfo.InvariantCulture, $"(k−1)/k = {symmetric:0.###}"));
            case PoisonSpec.PairModel:
            case PoisonSpec.TargetedModel:
                return new Point(poison.Model, TransitionMatrix.PairBreakdownFraction, "1/2");
            case PoisonSpec.MatrixModel when !poison.Matrix.IsDefaultOrEmpty:
                double? point = TransitionMatrix.BreakdownFraction(new TransitionMatrix([.. poison.Matrix.Select(r => (IReadOnlyList<double>)r)]));
                return new Point(poison.Model, point, point is double p ? string.Create(CultureInfo.InvariantCulture, $"{p:0.###}") : "none");
            default:
                return new Point(poison.Model, null, "none");
        }
    }

    /// <summary>The breakdown point of each curve of <paramref name="result"/>, in curve order, read from the curve's first
    /// run (its model, matrix and class count; every run of a curve shares them but for the replicate axes).</summary>
    public static ImmutableArray<Point> OfCurves(SweepResult result)
    {
        SweepConfig config = result.Config;
        SweepSummary summary = result.Summary;
        int[] axes = [.. summary.CurveAxes.Select(path => config.Axes.IndexOf(config.Axis(path)!))];
        var points = ImmutableArray.CreateBuilder<Point>(summary.Curves.Length);
        // Each curve's first run, found from the plan's coordinates in one pass that reads no record, then read alone:
        // runs read back from a run log are not read through.
        var firstAt = new int?[summary.Curves.Length];
        int found = 0;
        for (int p = 0; p < result.Runs.Count && found < firstAt.Length; p++)
        {
            ImmutableArray<string> coordinates = result.Runs.IsInMemory ? result.Runs[p].Coordinates : config.CoordinatesAt(result.Runs.IndexAt(p));
            for (int c = 0; c < firstAt.Length; c++)
            {
                if (firstAt[c] is null && axes.Select((a, i) => coordinates[a] == summary.Curves[c].Coordinates[i]).All(same => same))
                {
                    firstAt[c] = p;
                    found++;
                }
            }
        }
        foreach (int? at in firstAt)
        {
            RunRecord? first = at is int position ? result.Runs[position] : null;
            RunSpec run = first is null ? config.Base : config.RunAt(first.Index);
            int? classes = first?.Get(RunMetrics.ClassCount) is double k ? (int)k : run.Data.IsFile ? null : run.Data.ClassCount;
            points.Add(classes is int c && c >= 2 ? Of(run.Poison, c) : new Point(run.Poison.Model, null, "unknown"));
        }
        return points.MoveToImmutable();
    }
}
