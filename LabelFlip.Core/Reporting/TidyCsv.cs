using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The sweep as tidy CSV (RFC 4180, comma-separated, LF line ends, invariant culture) for pandas, R or a
/// spreadsheet. Numbers are written as their shortest round-trip form; an undefined value is an empty cell.
/// </summary>
/// <remarks>
/// <para><c>runs.csv</c>: one row per run, in plan order: <c>run</c> (plan index), one column per axis named by its
/// path (a width list such as <c>[64,64]</c> is quoted), then one column per metric (<see cref="RunMetrics.All"/>).</para>
/// <para><c>curves.csv</c>: one row per curve point: one column per curve axis, <c>poison.fraction</c>,
/// <c>n_runs</c> (replicates averaged), then <c>{metric}_mean</c> and <c>{metric}_std</c> (sample standard deviation) per
/// metric. An optional metric (memorization_rate) is averaged over the runs where it is defined.</para>
/// <para><c>dynamics.csv</c> (when some run sets <c>training.record_every</c>): one row per run and recorded epoch, in
/// plan order then epoch order: <c>run</c>, one column per axis, <c>epoch</c>, then <c>test_accuracy</c>,
/// <c>clean_accuracy</c>, <c>memorization_rate</c> (flipped rows predicted as their noisy label),
/// <c>flipped_true_accuracy</c> (as their true label), <c>clean_loss</c> and <c>flipped_loss</c> (mean cross-entropy
/// against the label trained on); a group without rows leaves its cells empty.</para>
/// </remarks>
public static class TidyCsv
{
    /// <summary>One row per run.</summary>
    public static string Runs(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        WriteRuns(result, csv);
        return csv.ToString();
    }

    /// <summary>Writes <see cref="Runs"/>'s rows to <paramref name="destination"/> as they are read, so a sweep of any
    /// size is written in bounded memory.</summary>
    public static void WriteRuns(SweepResult result, TextWriter destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(destination);
        Row(destination, ["run", .. result.Config.Axes.Select(a => a.Path), .. RunMetrics.All.Select(m => m.Name)]);
        foreach (RunRecord run in result.Runs)
        {
            Row(destination, [run.Index.ToString(CultureInfo.InvariantCulture), .. run.Coordinates.Select(Cell), .. run.Metrics.Select(Number)]);
        }
    }

    /// <summary>One row per curve point.</summary>
    public static string Curves(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        SweepSummary summary = result.Summary;
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        Row(csv, [.. summary.CurveAxes, SweepAnalysis.FractionAxis, "n_runs", .. RunMetrics.All.SelectMany(m => (string[])[$"{m.Name}_mean", $"{m.Name}_std"])]);
        foreach (Curve curve in summary.Curves)
        {
            foreach (CurvePoint point in curve.Points)
            {
                Row(csv, [.. curve.Coordinates.Select(Cell), Number(point.PoisonFraction), point.RunCount.ToString(CultureInfo.InvariantCulture),
                    .. point.Metrics.SelectMany(s => (string[])[Number(s.Mean), Number(s.Std)])]);
            }
        }
        return csv.ToString();
    }

    /// <summary>One row per run and recorded epoch; only the header when no run recorded its dynamics.</summary>
    public static string Dynamics(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        WriteDynamics(result, csv);
        return csv.ToString();
    }

    /// <summary>Writes <see cref="Dynamics"/>'s rows to <paramref name="destination"/> as they are read.</summary>
    public static void WriteDynamics(SweepResult result, TextWriter destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(destination);
        Row(destination, ["run", .. result.Config.Axes.Select(a => a.Path), DynamicsColumns.Epoch, .. DynamicsColumns.Quantities.Select(q => q.Name)]);
        foreach (RunRecord run in result.Runs)
        {
            if (run.Dynamics is not Nn.TrainingDynamics dynamics)
                continue;
            string index = run.Index.ToString(CultureInfo.InvariantCulture);
            string[] coordinates = [.. run.Coordinates.Select(Cell)];
            ImmutableArray<double>[] values = [.. DynamicsColumns.Quantities.Select(q => q.Get(dynamics))];
            for (int e = 0; e < dynamics.Epochs.Length; e++)
            {
                Row(destination, [index, .. coordinates, dynamics.Epochs[e].ToString(CultureInfo.InvariantCulture),
                    .. values.Select(v => v.IsDefaultOrEmpty ? "" : Number(v[e]))]);
            }
        }
    }

    // A canonical JSON value as a cell: strings without their JSON quotes, everything else as written.
    private static string Cell(string json)
    {
        if (json.StartsWith('"'))
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.GetString() ?? "";
        }
        return json;
    }

    private static string Number(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static void Row(TextWriter csv, IEnumerable<string> cells)
    {
        bool first = true;
        foreach (string cell in cells)
        {
            if (!first)
                csv.Write(',');
            first = false;
            if (cell.AsSpan().IndexOfAny(",\"\n\r") >= 0)
            {
                csv.Write('"');
                csv.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
                csv.Write('"');
            }
            else
            {
                csv.Write(cell);
            }
        }
        csv.Write('\n');
    }
}
