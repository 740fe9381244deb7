using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The sweep's JSON documents. <c>results.json</c> follows the study's shape and snake_case names and holds
/// nothing that varies between machines or runs (no timings, no paths), so equal configs give equal bytes;
/// <c>performance.json</c> holds the timings and the machine.
/// </summary>
public static class ResultsJson
{
    private static readonly JsonWriterOptions s_indented = new() { Indented = true, IndentSize = 2 };

    /// <summary>The deterministic results document.</summary>
    /// <remarks>Values that are not finite (a threshold never reached, a standard error that cannot be
    /// estimated) are written as null.</remarks>
    public static string Results(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("config");
            JsonSerializer.Serialize(writer, result.Config, LabelFlipJsonContext.Default.SweepConfig);

            writer.WriteStartArray("runs");
            foreach (RunResult run in result.Runs)
            {
                writer.WriteStartObject();
                writer.WriteNumber("poison_fraction", run.PoisonFraction);
                writer.WriteNumber("hidden_width", run.HiddenWidth);
                writer.WriteNumber("seed", run.Seed);
                writer.WriteNumber("train_accuracy", run.TrainAccuracy);
                writer.WriteNumber("test_accuracy", run.TestAccuracy);
                writer.WriteNumber("train_clean_accuracy", run.TrainCleanAccuracy);
                writer.WriteNumber("generalization_gap", run.GeneralizationGap);
                writer.WriteNumber("final_loss", run.FinalLoss);
                writer.WriteNumber("flipped_count", run.FlippedCount);
                Number(writer, "memorization_rate", run.MemorizationRate);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();

            writer.WriteStartArray("aggregated");
            foreach (AggregatedPoint p in result.Aggregated)
            {
                writer.WriteStartObject();
                writer.WriteNumber("poison_fraction", p.PoisonFraction);
                writer.WriteNumber("hidden_width", p.HiddenWidth);
                writer.WriteNumber("test_acc_mean", p.TestAccMean);
                Number(writer, "test_acc_std", p.TestAccStd);
                writer.WriteNumber("train_acc_mean", p.TrainAccMean);
                Number(writer, "train_acc_std", p.TrainAccStd);
                writer.WriteNumber("train_clean_acc_mean", p.TrainCleanAccMean);
                Number(writer, "train_clean_acc_std", p.TrainCleanAccStd);
                writer.WriteNumber("gen_gap_mean", p.GenGapMean);
                Number(writer, "gen_gap_std", p.GenGapStd);
                writer.WriteNumber("final_loss_mean", p.FinalLossMean);
                Number(writer, "final_loss_std", p.FinalLossStd);
                Number(writer, "memorization_rate_mean", p.MemorizationRateMean);
                Number(writer, "memorization_rate_std", p.MemorizationRateStd);
                writer.WriteNumber("n_seeds", p.NSeeds);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();

            writer.WriteStartArray("sigmoid_fits");
            foreach (WidthFit fit in result.Fits)
            {
                SigmoidFitResult f = fit.Fit;
                writer.WriteStartObject();
                writer.WriteNumber("hidden_width", fit.HiddenWidth);
                writer.WriteNumber("L", f.L);
                writer.WriteNumber("k", f.K);
                writer.WriteNumber("x0", f.X0);
                writer.WriteNumber("b", f.B);
                writer.WriteNumber("r_squared", f.RSquared);
                Number(writer, "threshold_midpoint", fit.ThresholdOnGrid);
                Number(writer, "threshold_closed_form", fit.ThresholdClosedForm);
                writer.WriteNumber("threshold_target", fit.ThresholdTarget);
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
                writer.WriteEndObject();
            }
            writer.WriteEndArray();

            Findings findings = result.Findings;
            writer.WriteStartObject("findings");
            PerWidth(writer, "critical_thresholds", findings.Widths, findings.CriticalThresholds);
            PerWidth(writer, "steepness_k", findings.Widths, findings.SteepnessK);
            if (findings.LargerModelsMoreSensitive is bool sensitive)
                writer.WriteBoolean("larger_models_more_sensitive", sensitive);
            else
                writer.WriteNull("larger_models_more_sensitive");
            writer.WriteBoolean("sharp_transition", findings.SharpTransition);
            PerWidth(writer, "r_squared", findings.Widths, findings.RSquared);
            PerWidth(writer, "gen_gap_at_max_poison", findings.Widths, findings.GenGapAtMaxPoison);
            PerWidth(writer, "clean_test_accuracy", findings.Widths, findings.CleanTestAccuracy);
            writer.WriteEndObject();

            writer.WriteStartObject("metadata");
            writer.WriteString("generator", $"LabelFlip.Core {LibraryVersion}");
            writer.WriteNumber("n_runs", result.Runs.Length);
            writer.WriteString("random", "xoshiro256** seeded through SplitMix64; per-run streams (seed, \"poison\", fraction) and (seed, \"training\")");
            writer.WriteString("poisoning", "uniform label flip: round(n·p) training labels (halves to even), each to a uniformly random other class; test labels clean");
            writer.WriteString("model", "Linear(features→width)–ReLU–Linear(width→classes), PyTorch default init, float32, plain SGD, softmax cross-entropy");
            writer.WriteString("threshold_method", "threshold_midpoint: first of 2000 grid points on [0, 0.6] where the fitted sigmoid ≤ (clean + 1/classes)/2 (the study's method); threshold_closed_form: exact crossing; null: never reached");
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>The timings and the machine: the study's names plus threads, runtime, CPU and vector path.</summary>
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

    internal static string LibraryVersion { get; } =
        typeof(ResultsJson).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static void PerWidth(Utf8JsonWriter writer, string name, IReadOnlyList<int> widths, IReadOnlyList<double> values)
    {
        writer.WriteStartObject(name);
        for (int i = 0; i < widths.Count; i++)
            Number(writer, widths[i].ToString(CultureInfo.InvariantCulture), values[i]);
        writer.WriteEndObject();
    }

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

/// <summary>What the machine is, for performance reports.</summary>
public static class MachineInfo
{
    /// <summary>The CPU model (from /proc/cpuinfo on Linux), else the architecture.</summary>
    public static string CpuDescription { get; } = ReadCpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The widest hardware-accelerated vector the kernels use: Vector512, Vector256, Vector128 or scalar.</summary>
    public static string VectorPath =>
        Vector512.IsHardwareAccelerated ? "Vector512 (AVX-512)"
        : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2)"
        : Vector128.IsHardwareAccelerated ? "Vector128 (SSE/NEON)"
        : "scalar";

    private static string? ReadCpuModel()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo"))
                return null;
            string? model = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            return model is null ? null : $"{model} ({Environment.ProcessorCount} logical cores)";
        }
        catch (IOException)
        {
            return null;
        }
    }
}
