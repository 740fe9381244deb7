using System.Collections.Immutable;
using System.Text.Json;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Reporting;

/// <summary>The <c>dynamics</c> section of results.json (<see cref="DynamicsSummary"/>).</summary>
internal static class DynamicsResultsJson
{
    public static void Write(Utf8JsonWriter writer, DynamicsSummary dynamics, ImmutableArray<string> curveAxes)
    {
        writer.WriteStartObject("dynamics");
        writer.WriteString("description",
            "Per curve and poison fraction, the mean over replicate runs of each recorded epoch's test accuracy, memorization rate " +
            "(flipped rows predicted as their noisy label) and clean training accuracy; best_epoch is the oracle early stop (first " +
            "epoch of highest mean test accuracy), accuracy_saved its mean test accuracy minus the last epoch's, half_memorized_epoch " +
            "the first recorded epoch at which mean memorization reaches half_memorized_level (null: not reached within the epochs, " +
            "or no flipped rows). Each run's own curves are in runs.jsonl and dynamics.csv.");
        writer.WriteNumber("half_memorized_level", DynamicsAnalysis.HalfMemorized);
        writer.WriteNumber("n_draws", dynamics.DrawCount);
        writer.WriteNumber("n_seeds", dynamics.SeedCount);
        writer.WriteNumber("n_resamples", dynamics.ResampleCount);
        writer.WriteNumber("confidence_level", dynamics.ConfidenceLevel);
        writer.WriteString("bootstrap_stream", DynamicsAnalysis.Stream);
        writer.WriteNumber("chart_poison_fraction", dynamics.ChartFraction);
        writer.WriteStartArray("points");
        foreach (DynamicsPoint point in dynamics.Points)
            WritePoint(writer, point, curveAxes);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter writer, DynamicsPoint point, ImmutableArray<string> curveAxes)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("coordinates");
        for (int a = 0; a < curveAxes.Length; a++)
        {
            writer.WritePropertyName(curveAxes[a]);
            writer.WriteRawValue(point.Coordinates[a], skipInputValidation: true);
        }
        writer.WriteEndObject();
        writer.WriteString("label", point.Label);
        writer.WriteNumber("poison_fraction", point.PoisonFraction);
        writer.WriteNumber("n_runs", point.RunCount);
        writer.WriteNumber("best_epoch", point.BestEpoch);
        int best = point.Epochs.IndexOf(point.BestEpoch);
        writer.WriteNumber("best_test_accuracy", point.MeanTestAccuracy[best]);
        writer.WriteNumber("final_test_accuracy", point.MeanTestAccuracy[^1]);
        writer.WriteNumber("accuracy_saved", point.AccuracySaved);
        if (point.HalfMemorizedEpoch is int half)
            writer.WriteNumber("half_memorized_epoch", half);
        else
            writer.WriteNull("half_memorized_epoch");
        writer.WriteString("half_memorized", !point.HasFlippedRows ? "no_flipped_rows" : point.HalfMemorizedEpoch is null ? "not_reached" : "reached");
        if (point.HasFlippedRows)
            writer.WriteNumber("final_memorization_rate", point.MeanMemorization[^1]);
        else
            writer.WriteNull("final_memorization_rate");
        if (point.Intervals is DynamicsIntervals intervals)
        {
            writer.WriteStartObject("intervals");
            DrawResultsJson.Interval(writer, "best_epoch", intervals.BestEpoch);
            DrawResultsJson.Interval(writer, "accuracy_saved", intervals.AccuracySaved);
            if (intervals.HalfMemorizedEpoch is ConfidenceInterval h)
                DrawResultsJson.Interval(writer, "half_memorized_epoch", h);
            else
                writer.WriteNull("half_memorized_epoch");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("intervals");
        }
        Array(writer, "epochs", [.. point.Epochs.Select(e => (double)e)]);
        Array(writer, "mean_test_accuracy", point.MeanTestAccuracy);
        Array(writer, "mean_memorization_rate", point.MeanMemorization);
        Array(writer, "mean_clean_accuracy", point.MeanCleanAccuracy);
        writer.WriteEndObject();
    }

    // A list on one line, however the document is indented: the curves are long and read by programs.
    private static void Array(Utf8JsonWriter writer, string name, ImmutableArray<double> values)
    {
        if (values.IsDefaultOrEmpty)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WritePropertyName(name);
        writer.WriteRawValue(JsonValues.Canonical(w =>
        {
            w.WriteStartArray();
            foreach (double v in values)
                w.WriteNumberValue(v);
            w.WriteEndArray();
        }), skipInputValidation: true);
    }
}
