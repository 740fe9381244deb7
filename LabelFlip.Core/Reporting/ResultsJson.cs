using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The sweep's JSON documents. <c>results.json</c> holds nothing that varies between machines, thread counts,
/// shards or resumptions (no timings, no paths), so equal configs give equal bytes; <c>performance.json</c> holds
/// the timings and the machine.
/// </summary>
public static class ResultsJson
{
    private static readonly JsonWriterOptions s_indented = new() { Indented = true, IndentSize = 2 };

    // Bytes a writer may hold before they are passed on to the stream.
    private const int FlushThreshold = 1 << 16;

    /// <summary>The deterministic results document: config, runs, curves with their fits, findings, the analysis over
    /// data draws and of the learning dynamics where there are, description.</summary>
    /// <remarks>A sweep that names a noise model other than uniform gives each curve its theoretical breakdown point,
    /// <c>breakdown_point</c>: the poison fraction at which some class's most frequent reported label stops being its
    /// true label ((k − 1)/k for uniform and symmetric noise, 1/2 for pair and targeted noise, the matrix path's for
    /// "matrix"), null for a model without one in closed form (random-asymmetric, boundary, boundary-soft, adversarial).
    /// Values that are not finite (a standard error that cannot be estimated) are written as null.</remarks>
    public static string Results(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        WriteResults(result, buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes <see cref="Results"/>'s document (the same bytes, UTF-8) to <paramref name="destination"/> as it
    /// goes: the runs stream from <see cref="SweepResult.Runs"/> to the destination, so a sweep of any size is written in
    /// bounded memory.</summary>
    public static void WriteResults(SweepResult result, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(destination);
        SweepConfig config = result.Config;
        SweepSummary summary = result.Summary;
        using (var writer = new Utf8JsonWriter(destination, s_indented))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("config");
            writer.WriteRawValue(config.ToJson(indented: false));
            writer.WriteString("fingerprint", config.Fingerprint);

            writer.WriteStartArray("runs");
            // A run's recorded dynamics stay in runs.jsonl and dynamics.csv; the dynamics section holds their means.
            foreach (RunRecord run in result.Runs)
            {
                (run.Dynamics is null ? run : run with { Dynamics = null }).WriteTo(writer, config);
                if (writer.BytesPending >= FlushThreshold)
                    writer.Flush(); // a Utf8JsonWriter holds all it writes until flushed
            }
            writer.WriteEndArray();

            writer.WriteStartArray("curves");
            // Breakdown points only where the description names noise models, so a uniform sweep's bytes are as before.
            ImmutableArray<BreakdownPoints.Point> breakdowns = BreakdownPoints.AreWritten(config) ? BreakdownPoints.OfCurves(result) : [];
            for (int c = 0; c < summary.Curves.Length; c++)
                WriteCurve(writer, summary, summary.Curves[c], breakdowns.IsEmpty ? null : breakdowns[c]);
            writer.WriteEndArray();

            WriteFindings(writer, summary.ComparedAxis, summary.Findings);

            if (summary.Draws is DrawSummary draws)
                DrawResultsJson.Write(writer, draws);

            if (summary.Dynamics is DynamicsSummary dynamics)
                DynamicsResultsJson.Write(writer, dynamics, summary.CurveAxes);

            writer.WriteStartObject("description");
            writer.WriteString("generator", $"LabelFlip.Core {LibraryVersion}");
            writer.WriteNumber("n_runs", result.Runs.Length);
            foreach ((string key, string text) in RunDescription.Describe(config))
                writer.WriteString(key, text);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        destination.WriteByte((byte)'\n');
    }

    /// <summary>The timings and the machine: threads, runtime, CPU and vector path.</summary>
    public static string Performance(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        SweepTimings t = result.Timings;
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("total_time_seconds", t.TotalTime.TotalSeconds);
            writer.WriteNumber("n_runs", result.Runs.Length);
            writer.WriteNumber("n_trained_runs", t.RunTimes.Length);
            writer.WriteNumber("n_resumed_runs", t.ResumedRuns);
            double[] seconds = [.. t.RunTimes.Select(r => r.TotalSeconds)];
            Number(writer, "mean_run_time_seconds", seconds.Length == 0 ? null : seconds.Average());
            Number(writer, "min_run_time_seconds", seconds.Length == 0 ? null : seconds.Min());
            Number(writer, "max_run_time_seconds", seconds.Length == 0 ? null : seconds.Max());
            writer.WriteNumber("threads", t.Threads);
            writer.WriteNumber("processor_count", Environment.ProcessorCount);
            writer.WriteString("dotnet_runtime", RuntimeInformation.FrameworkDescription);
            writer.WriteString("os", RuntimeInformation.OSDescription);
            writer.WriteString("cpu", MachineInfo.CpuDescription);
            writer.WriteString("vector_path", MachineInfo.VectorPath);
            writer.WriteString("library_version", LibraryVersion);
            writer.WriteEndObject();
        });
    }

    /// <summary>The verdict as written in results.json and printed: yes, no, inconclusive, not applicable.</summary>
    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Yes => "yes",
        Verdict.No => "no",
        Verdict.Inconclusive => "inconclusive",
        _ => "not applicable",
    };

    /// <summary>The "findings" object: the compared axis, then each finding's claim, verdict and evidence by key.</summary>
    internal static void WriteFindings(Utf8JsonWriter writer, string? comparedAxis, IEnumerable<Finding> findings)
    {
        writer.WriteStartObject("findings");
        if (comparedAxis is string compared)
            writer.WriteString("compared_axis", compared);
        else
            writer.WriteNull("compared_axis");
        foreach (Finding finding in findings)
        {
            writer.WriteStartObject(finding.Key);
            writer.WriteString("claim", finding.Claim);
            writer.WriteString("verdict", VerdictText(finding.Verdict));
            writer.WriteString("evidence", finding.Evidence);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    internal static string LibraryVersion { get; } =
        typeof(ResultsJson).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static void WriteCurve(Utf8JsonWriter writer, SweepSummary summary, Curve curve, BreakdownPoints.Point? breakdown)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("coordinates");
        for (int a = 0; a < summary.CurveAxes.Length; a++)
        {
            writer.WritePropertyName(summary.CurveAxes[a]);
            writer.WriteRawValue(curve.Coordinates[a], skipInputValidation: true);
        }
        writer.WriteEndObject();
        writer.WriteString("label", curve.Label);
        if (breakdown is BreakdownPoints.Point known)
            Number(writer, "breakdown_point", known.Fraction);

        writer.WriteStartArray("points");
        foreach (CurvePoint point in curve.Points)
        {
            writer.WriteStartObject();
            writer.WriteNumber("poison_fraction", point.PoisonFraction);
            writer.WriteNumber("n_runs", point.RunCount);
            for (int m = 0; m < RunMetrics.All.Length; m++)
            {
                MetricSummary s = point.Metrics[m];
                writer.WriteStartObject(RunMetrics.All[m].Name);
                Number(writer, "mean", s.Mean);
                Number(writer, "std", s.Std);
                writer.WriteNumber("n", s.Count);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        CurveFit fit = curve.Fit;
        writer.WriteStartObject("fit");
        if (fit.Fit is SigmoidFitResult f)
        {
            writer.WriteNumber("L", f.L);
            Number(writer, "k", fit.Status == ThresholdStatus.NoTransition ? null : f.K);
            Number(writer, "x0", fit.Status == ThresholdStatus.NoTransition ? null : f.X0);
            writer.WriteNumber("b", f.B);
            writer.WriteNumber("r_squared", f.RSquared);
            writer.WriteNumber("ss_res", f.SsRes);
            writer.WriteStartObject("standard_errors");
            Number(writer, "L", f.StandardErrors.L);
            Number(writer, "k", f.StandardErrors.K);
            Number(writer, "x0", f.StandardErrors.X0);
            Number(writer, "b", f.StandardErrors.B);
            writer.WriteEndObject();
            writer.WriteString("covariance", f.CovarianceStatus.ToString());
            writer.WriteString("active_bounds", f.ActiveBounds.ToString());
            writer.WriteString("exit_reason", f.ExitReason.ToString());
            writer.WriteNumber("iterations", f.Iterations);
            writer.WriteBoolean("has_transition", f.HasTransition);
        }
        else
        {
            foreach (string name in (string[])["L", "k", "x0", "b", "r_squared", "ss_res"])
                writer.WriteNull(name);
        }
        Number(writer, "clean_accuracy", fit.CleanAccuracy);
        writer.WriteNumber("chance_accuracy", fit.ChanceAccuracy);
        writer.WriteNumber("threshold_target", fit.ThresholdTarget);
        Number(writer, "threshold", fit.Threshold);
        Number(writer, "threshold_closed_form", fit.ThresholdClosedForm);
        writer.WriteString("threshold_status", StatusText(fit.Status));
        writer.WriteString("sharp", VerdictText(fit.Sharp));
        if (fit.Note is string note)
            writer.WriteString("note", note);
        else
            writer.WriteNull("note");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string StatusText(ThresholdStatus status) => status switch
    {
        ThresholdStatus.Reached => "reached",
        ThresholdStatus.Extrapolated => "extrapolated",
        ThresholdStatus.NotReached => "not_reached",
        ThresholdStatus.NoTransition => "no_transition",
        _ => "not_identifiable",
    };

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
            body(writer);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
