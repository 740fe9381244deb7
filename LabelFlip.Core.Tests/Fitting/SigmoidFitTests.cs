using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Tests.Fitting;

[Properties(Arbitrary = [typeof(FittingGenerators)])]
public class SigmoidFitTests
{
    private static readonly double[] s_studyX = [0.0, 0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];

    private static double[] Sample(SigmoidParameters truth, double[] x) =>
        x.Select(v => SigmoidModel.Evaluate(truth, v)).ToArray();

    private static bool Close(double expected, double actual, double relative) =>
        Math.Abs(actual - expected) <= relative * Math.Abs(expected);

    [Theory]
    [InlineData(0.7, 4.0, 0.15, 0.2)]
    [InlineData(0.7, 6.0, 0.30, 0.2)]
    [InlineData(0.7, 8.0, 0.45, 0.2)]
    [InlineData(0.5, 20.0, 0.25, 0.3)]
    [InlineData(0.6, 50.0, 0.22, 0.2)]
    [InlineData(1.2, 2.0, 0.6, 0.0)]
    public void Noiseless_study_grid_data_are_recovered_to_1e_6(double l, double k, double x0, double b)
    {
        var truth = new SigmoidParameters(l, k, x0, b);
        SigmoidFitResult fit = SigmoidFit.Fit(s_studyX, Sample(truth, s_studyX));

        Assert.True(fit.SsRes < 1e-28, $"SS_res {fit.SsRes}");
        Assert.True(Close(l, fit.L, 1e-6), $"L {fit.L:R}");
        Assert.True(Close(k, fit.K, 1e-6), $"k {fit.K:R}");
        Assert.True(Close(x0, fit.X0, 1e-6), $"x0 {fit.X0:R}");
        Assert.True(Math.Abs(fit.B - b) <= 1e-6 * Math.Max(b, 1e-3), $"b {fit.B:R}");
        Assert.True(fit.HasTransition);
        Assert.True(fit.RSquared > 0.999999);
    }

    // What the analysis code's own tests rely on.
    [Fact]
    public void Analysis_expectations_hold_on_the_study_grid()
    {
        foreach (double k in new[] { 4.0, 5.0, 6.0, 7.0, 8.0 })
        {
            foreach (double x0 in new[] { 0.15, 0.25, 0.35, 0.45 })
            {
                SigmoidFitResult fit = SigmoidFit.Fit(s_studyX, Sample(new SigmoidParameters(0.7, k, x0, 0.2), s_studyX));
                Assert.Equal(k, fit.K, 4);
                Assert.True(fit.RSquared > 0.999999, $"k={k}, x0={x0}: R² {fit.RSquared}");
            }
        }

        double[] flat = Enumerable.Repeat(0.9, s_studyX.Length).ToArray();
        SigmoidFitResult constant = SigmoidFit.Fit(s_studyX, flat);
        Assert.Equal(double.PositiveInfinity, constant.ThresholdOnGrid(SigmoidFit.ThresholdTarget(0.9, 5)));
        Assert.False(constant.HasTransition);
        Assert.Equal(0.0, constant.RSquared);
        Assert.Equal(0.0, constant.SsRes);
    }

    [Property(MaxTest = 200)]
    public Property Noiseless_data_are_refitted_exactly(NoiselessSigmoidCase c)
    {
        SigmoidFitResult fit = SigmoidFit.Fit(c.X, Sample(c.Truth, c.X));
        SigmoidParameters t = c.Truth;
        return (fit.SsRes < 1e-26).Label($"SS_res {fit.SsRes:R} ({fit.ExitReason}, {fit.Iterations} iterations)")
            .And(Close(t.L, fit.L, 1e-6).Label($"L {fit.L:R}"))
            .And(Close(t.K, fit.K, 1e-6).Label($"k {fit.K:R}"))
            .And(Close(t.X0, fit.X0, 1e-6).Label($"x0 {fit.X0:R}"))
            .And(Close(t.B, fit.B, 1e-6).Label($"b {fit.B:R}"))
            .And((fit.ActiveBounds == SigmoidActiveBounds.None).Label($"bounds {fit.ActiveBounds}"));
    }

    [Property(MaxTest = 500)]
    public Property Closed_form_threshold_is_the_root_and_the_grid_one_is_the_next_grid_point(CrossingCase c)
    {
        var fit = new SigmoidFitResult { Parameters = c.Curve };
        double closed = fit.ThresholdClosedForm(c.Target);
        double grid = fit.ThresholdOnGrid(c.Target);
        double step = SigmoidFit.DefaultGridMax / (SigmoidFit.DefaultGridPoints - 1);
        // At the root the curve equals t up to the rounding of t, b and the slope times an ulp of x.
        double slope = c.Curve.L * c.Curve.K / 4;
        double residual = Math.Abs(fit.Evaluate(closed) - c.Target);
        return (residual <= 1e-14 + slope * 1e-15).Label($"f(closed) − t = {residual:E2} at {closed:R}")
            .And((grid >= closed - 1e-15).Label($"grid {grid:R} < closed {closed:R}"))
            .And((grid - closed <= step * (1 + 1e-9)).Label($"grid {grid:R} more than a step after {closed:R}"));
    }

    [Fact]
    public void Closed_form_threshold_is_infinite_where_the_curve_does_not_cross()
    {
        var fit = new SigmoidFitResult { Parameters = new SigmoidParameters(0.5, 10, 0.3, 0.3) };
        Assert.Equal(double.PositiveInfinity, fit.ThresholdClosedForm(0.3));  // never comes down to b
        Assert.Equal(double.PositiveInfinity, fit.ThresholdClosedForm(0.1));
        Assert.Equal(double.NegativeInfinity, fit.ThresholdClosedForm(0.8));  // below t everywhere
        Assert.Equal(double.PositiveInfinity, fit.ThresholdOnGrid(0.1));
        Assert.Equal(0.0, fit.ThresholdOnGrid(0.8));
        var flat = new SigmoidFitResult { Parameters = new SigmoidParameters(0.0, 10, 0.3, 0.9) };
        Assert.Equal(double.PositiveInfinity, flat.ThresholdClosedForm(0.55));
        Assert.Equal(double.NegativeInfinity, flat.ThresholdClosedForm(0.95));
    }

    [Fact]
    public void Grid_matches_numpy_linspace()
    {
        // The first point below the target is found on x_i = i·0.6/1999: a curve crossing just after x_1000
        // reports x_1001 (and the last point is exactly 0.6).
        double step = 0.6 / 1999;
        double crossing = 1000.5 * step;
        var fit = new SigmoidFitResult { Parameters = new SigmoidParameters(0.5, 40, crossing, 0.2) };
        Assert.Equal(1001, fit.ThresholdIndexOnGrid(0.45));
        Assert.Equal(1001 * step, fit.ThresholdOnGrid(0.45));
        var late = new SigmoidFitResult { Parameters = new SigmoidParameters(0.5, 100, 0.59995, 0.2) };
        Assert.Equal(0.6, late.ThresholdOnGrid(0.45));
    }

    [Fact]
    public void Rising_and_constant_data_return_honest_results()
    {
        double[] rising = s_studyX.Select(x => 0.3 + 0.5 * x).ToArray();
        SigmoidFitResult fit = SigmoidFit.Fit(s_studyX, rising);
        Assert.True(fit.ExitReason is FitExitReason.ConvergedOnGradient or FitExitReason.ConvergedOnCostChange or FitExitReason.ConvergedOnStepSize);
        Assert.False(fit.HasTransition);
        Assert.Equal(0.0, fit.L);
        Assert.True(fit.ActiveBounds.HasFlag(SigmoidActiveBounds.LAtLower));
        Assert.Equal(rising.Average(), fit.B, 12);
        Assert.Equal(CovarianceStatus.Singular, fit.CovarianceStatus);
        Assert.True(double.IsNaN(fit.StandardErrors.K));
        Assert.Equal(double.PositiveInfinity, fit.ThresholdOnGrid(0.2));

        SigmoidFitResult two = SigmoidFit.Fit([0.0, 0.5], [0.9, 0.4]);
        Assert.Equal(CovarianceStatus.TooFewPoints, two.CovarianceStatus);
        Assert.Equal(double.PositiveInfinity, two.StandardErrors.L);
        Assert.True(two.SsRes < 1e-20);
    }

    [Fact]
    public void Iteration_limit_is_reported()
    {
        SigmoidFitResult fit = SigmoidFit.Fit(s_studyX, Sample(new SigmoidParameters(0.7, 30, 0.3, 0.2), s_studyX),
            new SigmoidFitOptions { MaxIterations = 2, Search = SigmoidFitSearch.Local });
        Assert.Equal(FitExitReason.IterationLimit, fit.ExitReason);
        Assert.Equal(2, fit.Iterations);
    }

    [Fact]
    public void Custom_bounds_and_start_are_respected()
    {
        double[] y = Sample(new SigmoidParameters(0.7, 30, 0.3, 0.2), s_studyX);
        SigmoidFitResult fit = SigmoidFit.Fit(s_studyX, y, new SigmoidFitOptions
        {
            InitialGuess = new SigmoidParameters(0.5, 5, 0.25, 0.25),
            Upper = SigmoidFitOptions.DefaultUpper with { K = 10 },
        });
        Assert.Equal(10.0, fit.K);
        Assert.True(fit.ActiveBounds.HasFlag(SigmoidActiveBounds.KAtUpper), fit.ActiveBounds.ToString());
        Assert.True(fit.SsRes > 1e-6); // the data want k = 30: capped at 10 the curve cannot follow them
    }

    [Fact]
    public void Default_initial_guess_is_the_study_rule_clipped_into_the_bounds()
    {
        double[] y = [0.9, 0.8, 0.3];
        Assert.Equal(new SigmoidParameters(0.6000000000000001, 10, 0.2, 0.3),
            SigmoidFit.StudyInitialGuess(y, SigmoidFitOptions.DefaultLower, SigmoidFitOptions.DefaultUpper));
        Assert.Equal(new SigmoidParameters(1.5, 10, 0.2, 0.0),
            SigmoidFit.StudyInitialGuess([3.0, -1.0], SigmoidFitOptions.DefaultLower, SigmoidFitOptions.DefaultUpper));
    }

    [Fact]
    public void Threshold_target_is_halfway_to_chance()
    {
        Assert.Equal((0.9 + 0.2) / 2, SigmoidFit.ThresholdTarget(0.9, 5));
        Assert.Throws<ArgumentOutOfRangeException>("cleanAccuracy", () => SigmoidFit.ThresholdTarget(double.NaN, 5));
        Assert.Throws<ArgumentOutOfRangeException>("cleanAccuracy", () => SigmoidFit.ThresholdTarget(1.5, 5));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => SigmoidFit.ThresholdTarget(0.9, 1));
    }

    [Fact]
    public void Bad_input_throws_naming_the_parameter()
    {
        double[] x = s_studyX, y = Sample(new SigmoidParameters(0.7, 5, 0.3, 0.2), s_studyX);
        Assert.Throws<ArgumentException>("y", () => SigmoidFit.Fit(x, y.AsSpan(1)));
        Assert.Throws<ArgumentException>("x", () => SigmoidFit.Fit([0.1], [0.5]));
        Assert.Throws<ArgumentException>("x", () => SigmoidFit.Fit([], []));
        Assert.Throws<ArgumentException>("x", () => SigmoidFit.Fit([0.0, double.NaN], [0.5, 0.4]));
        Assert.Throws<ArgumentException>("y", () => SigmoidFit.Fit([0.0, 0.1], [0.5, double.PositiveInfinity]));
        Assert.Throws<ArgumentException>("options", () => SigmoidFit.Fit(x, y, new SigmoidFitOptions
        {
            InitialGuess = new SigmoidParameters(0.5, 200, 0.2, 0.2),
        }));
        Assert.Throws<ArgumentException>("options", () => SigmoidFit.Fit(x, y, new SigmoidFitOptions
        {
            InitialGuess = new SigmoidParameters(0.5, 10, double.NaN, 0.2),
        }));
        Assert.Throws<ArgumentException>("options", () => SigmoidFit.Fit(x, y, new SigmoidFitOptions
        {
            Lower = SigmoidFitOptions.DefaultLower with { X0 = 0.9 },
            Upper = SigmoidFitOptions.DefaultUpper with { X0 = 0.1 },
        }));
        Assert.Throws<ArgumentException>("options", () => SigmoidFit.Fit(x, y, new SigmoidFitOptions
        {
            Lower = SigmoidFitOptions.DefaultLower with { B = double.NaN },
        }));
        Assert.Throws<ArgumentOutOfRangeException>("MaxIterations", () => new SigmoidFitOptions { MaxIterations = 0 });
        Assert.Throws<ArgumentOutOfRangeException>("Gradient", () => new SigmoidFitOptions { GradientTolerance = -1 });
        Assert.Throws<ArgumentOutOfRangeException>("Cost", () => new SigmoidFitOptions { CostTolerance = double.NaN });

        var fit = new SigmoidFitResult { Parameters = new SigmoidParameters(0.5, 10, 0.3, 0.3) };
        Assert.Throws<ArgumentOutOfRangeException>("target", () => fit.ThresholdOnGrid(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("max", () => fit.ThresholdOnGrid(0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>("points", () => fit.ThresholdOnGrid(0.5, 0.6, 1));
        Assert.Throws<ArgumentOutOfRangeException>("target", () => fit.ThresholdClosedForm(double.NegativeInfinity));
    }

    [Fact]
    public void Fits_through_a_reused_fitter_allocate_nothing()
    {
        var fitter = new SigmoidFitter();
        double[] y = Sample(new SigmoidParameters(0.7, 12, 0.3, 0.2), s_studyX);
        double[] noisy = y.Select((v, i) => v + (i % 2 == 0 ? 0.01 : -0.01)).ToArray();
        fitter.Fit(s_studyX, noisy);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 10; i++)
        {
            SigmoidFitResult fit = fitter.Fit(s_studyX, i % 2 == 0 ? noisy : y);
            sum += fit.SsRes + fit.ThresholdOnGrid(0.5) + fit.ThresholdClosedForm(0.5) + fit.StandardErrors.L;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.False(double.IsNaN(sum));
    }

    [Fact]
    public void Same_data_give_the_same_bits()
    {
        double[] y = Sample(new SigmoidParameters(0.7, 12, 0.3, 0.2), s_studyX).Select((v, i) => v + 0.003 * Math.Sin(7 * i)).ToArray();
        SigmoidFitResult first = new SigmoidFitter().Fit(s_studyX, y);
        SigmoidFitResult second = SigmoidFit.Fit(s_studyX, y);
        Assert.Equal(first, second); // record equality: every double compared exactly (NaN equals NaN)
    }
}
