using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;

namespace LabelFlip.Core.Tests.Experiments;

public class DynamicsAnalysisTests
{
    // Two fractions × two data draws × one seed, recorded at epochs 10, 20, 30.
    private static readonly SweepConfig s_config = SweepConfig.FromJson("""
        { "base": { "training": { "epochs": 30, "record_every": 10 }, "model": { "hidden_widths": [8] } },
          "axes": { "poison.fraction": [0, 0.2], "data.seed": [1, 2] } }
        """);

    private static TrainingDynamics Curve(double[] test, double[]? memorization) => new(
        [10, 20, 30], [.. test], [.. test], memorization is null ? [] : [.. memorization], memorization is null ? [] : [.. memorization],
        [.. test], memorization is null ? [] : [.. memorization]);

    private static RunRecord[] Records(params TrainingDynamics[] dynamics) =>
        [.. dynamics.Select((d, i) => new RunRecord(i, s_config.CoordinatesAt(i), [.. new double?[RunMetrics.All.Length]]) { Dynamics = d })];

    [Theory]
    [InlineData(new[] { 0.5, 0.7, 0.7, 0.6 }, 1)]
    [InlineData(new[] { 0.9, 0.7 }, 0)]
    [InlineData(new[] { 0.1, 0.2, 0.3 }, 2)]
    public void The_best_epoch_is_the_first_of_the_highest_accuracy(double[] accuracy, int expected) =>
        Assert.Equal(expected, DynamicsAnalysis.BestEpochIndex(accuracy));

    [Theory]
    [InlineData(new[] { 0.1, 0.49, 0.5, 0.9 }, 2)]
    [InlineData(new[] { 0.6, 0.2 }, 0)]
    [InlineData(new[] { 0.1, 0.499999 }, -1)]
    [InlineData(new double[0], -1)]
    public void Half_memorised_is_the_first_epoch_at_or_above_one_half(double[] memorization, int expected) =>
        Assert.Equal(expected, DynamicsAnalysis.HalfMemorizedIndex(memorization));

    [Fact]
    public void Findings_on_constructed_curves_match_hand_computed_values()
    {
        // Plan order: (p 0, draw 1), (p 0, draw 2), (p 0.2, draw 1), (p 0.2, draw 2).
        RunRecord[] records = Records(
            Curve([0.80, 0.90, 0.88], null),
            Curve([0.70, 0.90, 0.92], null),
            Curve([0.60, 0.80, 0.70], [0.2, 0.6, 0.9]),
            Curve([0.70, 0.70, 0.60], [0.1, 0.2, 0.3]));
        DynamicsSummary summary = DynamicsAnalysis.Analyze(s_config, records, resampleCount: 400)!;
        Assert.Equal(2, summary.DrawCount);
        Assert.Equal(1, summary.SeedCount);
        Assert.Equal(0.2, summary.ChartFraction);
        Assert.Equal(2, summary.Points.Length);

        // p = 0: mean test (0.75, 0.90, 0.90): best at epoch 20 (the first of the tie), nothing saved; no flipped rows.
        DynamicsPoint clean = summary.Points[0];
        Assert.Equal(0, clean.PoisonFraction);
        Assert.Equal(2, clean.RunCount);
        Assert.Equal([0.75, 0.9, 0.9], clean.MeanTestAccuracy.Select(v => Math.Round(v, 12)));
        Assert.Equal(20, clean.BestEpoch);
        Assert.Equal(0, clean.AccuracySaved, 1e-15);
        Assert.False(clean.HasFlippedRows);
        Assert.Null(clean.HalfMemorizedEpoch);
        Assert.Null(clean.Intervals!.HalfMemorizedEpoch);

        // p = 0.2: mean test (0.65, 0.75, 0.65): best at 20, saving 0.10; mean memorization (0.15, 0.40, 0.60): half at 30.
        DynamicsPoint poisoned = summary.Points[1];
        Assert.Equal(20, poisoned.BestEpoch);
        Assert.Equal(0.10, poisoned.AccuracySaved, 1e-12);
        Assert.Equal(30, poisoned.HalfMemorizedEpoch);
        // Resamples of draw 1 twice reach half at 20; of draw 2 twice never (+∞), about a quarter of them; mixed ones at 30.
        DynamicsIntervals intervals = poisoned.Intervals!;
        Assert.Equal(30, intervals.HalfMemorizedEpoch!.Value.Estimate);
        Assert.Equal(20, intervals.HalfMemorizedEpoch.Value.Lower);
        Assert.Equal(double.PositiveInfinity, intervals.HalfMemorizedEpoch.Value.Upper);
        Assert.InRange(intervals.HalfMemorizedEpoch.Value.CensoredHighCount, 60, 140);
        // Best epoch: 20 for draw 1 and for the mix; draw 2 alone peaks at epochs 10 and 20 (0.70 both): the first, 10.
        Assert.Equal(10, intervals.BestEpoch.Lower);
        Assert.Equal(20, intervals.BestEpoch.Upper);
        // Saved: draw 1 alone 0.10, draw 2 alone 0.10, mixed 0.10: every resample saves 0.10.
        Assert.Equal(0.10, intervals.AccuracySaved.Lower, 1e-12);
        Assert.Equal(0.10, intervals.AccuracySaved.Upper, 1e-12);
    }

    // 300 resamples: whole chunks of the bootstrap and a tail, shared between threads in turn. Twelve draws × three
    // seeds of varied curves, so that each resample's statistic has work enough for threads that shared its state to
    // trip over each other.
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Several_threads_give_one_threads_intervals(int threads)
    {
        SweepConfig config = SweepConfig.FromJson("""
            { "base": { "training": { "epochs": 200, "record_every": 10 }, "model": { "hidden_widths": [8] } },
              "axes": { "poison.fraction": [0, 0.3], "data.seed": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "seed": [1, 2, 3] } }
            """);
        RunRecord[] records = [.. Enumerable.Range(0, (int)config.RunCount).Select(i =>
        {
            double[] test = [.. Enumerable.Range(0, 20).Select(e => 0.6 + 0.3 * Math.Sin(0.15 * e + 0.37 * i) * Math.Exp(-0.01 * e * (i % 5)))];
            double[] memorization = [.. Enumerable.Range(0, 20).Select(e => Math.Min(1, 0.02 * e * (1 + i % 7) / 3))];
            return new RunRecord(i, config.CoordinatesAt(i), [.. new double?[RunMetrics.All.Length]])
            {
                Dynamics = new TrainingDynamics([.. Enumerable.Range(1, 20).Select(e => 10 * e)], [.. test], [.. test],
                    [.. memorization], [.. memorization], [.. test], [.. memorization]),
            };
        })];
        DynamicsSummary one = DynamicsAnalysis.Analyze(config, records, resampleCount: 2000)!;
        DynamicsSummary several = DynamicsAnalysis.Analyze(config, records, resampleCount: 2000, maxDegreeOfParallelism: threads)!;
        Assert.Equal(one.Points.Select(p => p.Intervals), several.Points.Select(p => p.Intervals));
        Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism",
            () => DynamicsAnalysis.Analyze(config, records, resampleCount: 300, maxDegreeOfParallelism: 0));
    }

    [Fact]
    public void A_curve_that_never_reaches_half_is_censored_and_one_draw_gives_no_intervals()
    {
        SweepConfig oneDraw = SweepConfig.FromJson("""
            { "base": { "training": { "epochs": 30, "record_every": 10 }, "model": { "hidden_widths": [8] } },
              "axes": { "poison.fraction": [0.4], "seed": [1, 2] } }
            """);
        RunRecord[] records = [.. new[] { Curve([0.5, 0.6, 0.7], [0.1, 0.3, 0.5]), Curve([0.5, 0.6, 0.7], [0.1, 0.3, 0.49]) }
            .Select((d, i) => new RunRecord(i, oneDraw.CoordinatesAt(i), [.. new double?[RunMetrics.All.Length]]) { Dynamics = d })];
        DynamicsSummary summary = DynamicsAnalysis.Analyze(oneDraw, records)!;
        DynamicsPoint point = Assert.Single(summary.Points);
        Assert.Null(point.HalfMemorizedEpoch);  // mean 0.495 at the last epoch
        Assert.True(point.HasFlippedRows);
        Assert.Equal(30, point.BestEpoch);
        Assert.Equal(0, point.AccuracySaved);
        Assert.Null(point.Intervals);
        Assert.Equal(0, summary.ResampleCount);
        Assert.Equal(0.4, summary.ChartFraction); // every fraction is above 0.3: the smallest
        Assert.Equal("not reached (within 30 epochs)", DynamicsAnalysis.HalfMemorizedText(point));
    }

    [Fact]
    public void Without_recorded_dynamics_there_is_no_analysis()
    {
        RunRecord[] records = [.. Enumerable.Range(0, 4).Select(i => new RunRecord(i, s_config.CoordinatesAt(i), [.. new double?[RunMetrics.All.Length]]))];
        Assert.Null(DynamicsAnalysis.Analyze(s_config, records));
    }
}
