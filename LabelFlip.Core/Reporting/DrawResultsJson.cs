using System.Globalization;
using System.Text.Json;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Reporting;

/// <summary>
/// The <c>robustness</c> section of <c>results.json</c>: a <see cref="DrawSummary"/>'s intervals, censoring
/// counts, paired comparisons and verdicts. ±∞ (a censored threshold, an unbounded interval, a difference against a
/// censored threshold) is written as the string "Infinity" or "-Infinity", which JavaScript's Number() and Python's
/// float() read back; every other value is a JSON number.
/// </summary>
internal static class DrawResultsJson
{
    public static void Write(Utf8JsonWriter writer, DrawSummary draws)
    {
        writer.WriteStartObject("robustness");
        writer.WriteString("design", "the sweep's curves over independent data draws (data.seed), each with its training seeds");
        writer.WriteNumber("n_draws", draws.DataSeeds.Length);
        writer.WriteStartArray("data_seeds");
        foreach (ulong seed in draws.DataSeeds)
            writer.WriteNumberValue(seed);
        writer.WriteEndArray();
        writer.WriteNumber("seeds_per_draw", draws.SeedsPerDraw);
        writer.WriteNumber("resamples", draws.ResampleCount);
        writer.WriteNumber("confidence_level", draws.ConfidenceLevel);
        writer.WriteString("bootstrap_seed", draws.BootstrapSeed.ToString("x16", CultureInfo.InvariantCulture));
        writer.WriteString("bootstrap_streams", $"RandomSource(bootstrap_seed, StreamKey.Of(name)), names \"{DrawAnalysis.CurveStream}\", \"{DrawAnalysis.DrawThresholdStream}\", \"{DrawAnalysis.DrawSteepnessStream}\", \"{DrawAnalysis.PairedStream}.<metric>\" (the per-draw medians' keys combined with the curve's index by StreamKey.Combine); bootstrap_seed is the config fingerprint read as hex");
        writer.WriteString("curve_intervals", "estimate: fit of the mean curve over every draw and seed; interval: 95% percentile, two-stage cluster bootstrap (draws with replacement, then seeds within each draw), curve refitted per resample");
        writer.WriteString("threshold_censoring", "a threshold counts only when reached within the swept fractions; extrapolated, not reached and no-transition thresholds are censored as +Infinity (above every reached one), so thresholds are summarised by medians and rank-based (percentile) intervals");
        writer.WriteString("paired_comparisons", "per draw, value(upper) - value(lower) of two curves sharing data, split, poison and seeds; mean (when all differences are finite) and median with 95% percentile bootstrap intervals over draws; ordering counts; two-sided Wilcoxon signed-rank p-value (zeros discarded), Holm-corrected over the pairs of a metric");

        writer.WriteStartArray("curves");
        foreach (CurveIntervals curve in draws.Curves)
        {
            writer.WriteStartObject();
            writer.WriteString("label", curve.Label);
            Interval(writer, "clean_accuracy", curve.CleanAccuracy);
            Interval(writer, "L", curve.L);
            Interval(writer, "k", curve.K);
            Interval(writer, "x0", curve.X0);
            Interval(writer, "b", curve.B);
            Interval(writer, "threshold", curve.Threshold);
            Interval(writer, "drop_width_90_10", curve.DropWidth);
            Interval(writer, "generalization_gap_at_largest_fraction", curve.GapAtLargestFraction);
            if (curve.MemorizationAtLargestFraction is ConfidenceInterval memo)
                Interval(writer, "memorization_rate_at_largest_fraction", memo);
            else
                writer.WriteNull("memorization_rate_at_largest_fraction");
            writer.WriteStartArray("mean_test_accuracy");
            for (int f = 0; f < curve.MeanAccuracy.Length; f++)
            {
                writer.WriteStartObject();
                writer.WriteNumber("poison_fraction", draws.PoisonFractions[f]);
                writer.WriteNumber("estimate", curve.MeanAccuracy[f].Estimate);
                writer.WriteNumber("ci_lower", curve.MeanAccuracy[f].Lower);
                writer.WriteNumber("ci_upper", curve.MeanAccuracy[f].Upper);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            Censoring(writer, "threshold_censoring_resamples", curve.ResampleThresholds);
            writer.WriteStartArray("draw_thresholds");
            foreach (double t in curve.DrawThresholds)
                Value(writer, t);
            writer.WriteEndArray();
            Censoring(writer, "threshold_censoring_draws", curve.DrawCensoring);
            Interval(writer, "draw_threshold_median", curve.DrawThresholdMedian);
            Interval(writer, "draw_k_median", curve.DrawSteepnessMedian);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("comparisons");
        foreach (PairedComparison pair in draws.Comparisons)
        {
            writer.WriteStartObject();
            writer.WriteString("metric", pair.Metric);
            writer.WriteString("lower", pair.Lower);
            writer.WriteString("upper", pair.Upper);
            writer.WriteStartArray("differences");
            foreach (double d in pair.Differences)
                Value(writer, d);
            writer.WriteEndArray();
            if (pair.Mean is ConfidenceInterval mean)
                Interval(writer, "mean_difference", mean);
            else
                writer.WriteNull("mean_difference");
            Interval(writer, "median_difference", pair.Median);
            writer.WriteNumber("n_upper_greater", pair.Ordering.Holds);
            writer.WriteNumber("n_upper_smaller", pair.Ordering.Reversed);
            writer.WriteNumber("n_tied", pair.Ordering.Tied);
            writer.WriteNumber("n_both_censored", pair.BothCensored);
            writer.WriteStartObject("wilcoxon");
            writer.WriteNumber("v", pair.Test.Statistic);
            writer.WriteNumber("n_ranked", pair.Test.RankedCount);
            writer.WriteNumber("n_zero", pair.Test.ZeroCount);
            writer.WriteString("method", pair.Test.Method == WilcoxonMethod.Exact ? "exact" : "normal_approximation");
            writer.WriteNumber("p_value", pair.Test.PValue);
            writer.WriteNumber("p_value_holm", pair.AdjustedPValue);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        ResultsJson.WriteFindings(writer, draws.ComparedAxis, draws.Findings);
        writer.WriteEndObject();
    }

    internal static void Interval(Utf8JsonWriter writer, string name, ConfidenceInterval ci)
    {
        writer.WriteStartObject(name);
        writer.WritePropertyName("estimate");
        Value(writer, ci.Estimate);
        writer.WritePropertyName("ci_lower");
        Value(writer, ci.Lower);
        writer.WritePropertyName("ci_upper");
        Value(writer, ci.Upper);
        writer.WriteNumber("n_resamples_infinite", ci.CensoredHighCount + ci.CensoredLowCount);
        writer.WriteEndObject();
    }

    private static void Censoring(Utf8JsonWriter writer, string name, ThresholdCensoring counts)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("reached", counts.Reached);
        writer.WriteNumber("extrapolated", counts.Extrapolated);
        writer.WriteNumber("not_reached", counts.NotReached);
        writer.WriteNumber("no_transition", counts.NoTransition);
        writer.WriteNumber("total", counts.Total);
        writer.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter writer, double value)
    {
        if (double.IsPositiveInfinity(value))
            writer.WriteStringValue("Infinity");
        else if (double.IsNegativeInfinity(value))
            writer.WriteStringValue("-Infinity");
        else
            writer.WriteNumberValue(value);
    }
}
