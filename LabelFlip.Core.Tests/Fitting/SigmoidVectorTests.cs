using LabelFlip.Core.Fitting;
using Xunit.Abstractions;

namespace LabelFlip.Core.Tests.Fitting;

/// <summary>Every case of the SciPy test vectors, each its own test (tolerances from shared/fit/README.md).</summary>
public class SigmoidVectorTests(ITestOutputHelper output)
{
    private const double SsResRelativeSlack = 1e-9;
    // Residuals at the rounding level of y (~1e-16 each) give SS_res ~1e-31: below this, sums of squares are
    // round-off and cannot be compared relatively (SciPy's noiseless fits stop at 1e-20 or so).
    private const double SsResRoundOffFloor = 1e-28;
    private const double RSquaredTolerance = 1e-8;
    private const double ParameterRelativeTolerance = 1e-6;

    public static TheoryData<string> CaseNames() => SigmoidVectors.Names();

    [Fact]
    public void Vectors_are_found_and_complete()
    {
        output.WriteLine($"Read {SigmoidVectors.Cases.Count} cases from {SigmoidVectors.SourcePath}");
        Assert.True(SigmoidVectors.Cases.Count >= 21);
        foreach (string family in new[] { "ref", "clean", "noisy", "steep", "edge", "flat", "increasing", "few", "dense", "bound" })
            Assert.Contains(SigmoidVectors.Cases, c => c.Family == family);
    }

    [Fact]
    public void Fallback_copy_is_deployed_and_holds_the_public_cases()
    {
        string fallback = Path.Combine(AppContext.BaseDirectory, "Fitting", "TestData", "sigmoid-vectors.json");
        Assert.True(File.Exists(fallback), fallback);
        string text = File.ReadAllText(fallback);
        foreach (string name in new[] { "ref_w32", "ref_w64", "ref_w128", "pub_bound_kstep" })
            Assert.Contains($"\"name\": \"{name}\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Fit_matches_SciPy(string name)
    {
        SigmoidVectorCase c = SigmoidVectors.Get(name);
        var options = new SigmoidFitOptions
        {
            // SciPy's method: the local fit from the same p0 (the global search has its own tests, against
            // these vectors and a brute-force reference, in SigmoidGlobalFitTests).
            Search = SigmoidFitSearch.Local,
            InitialGuess = new SigmoidParameters(c.P0[0], c.P0[1], c.P0[2], c.P0[3]),
            Lower = new SigmoidParameters(c.Lower[0], c.Lower[1], c.Lower[2], c.Lower[3]),
            Upper = new SigmoidParameters(c.Upper[0], c.Upper[1], c.Upper[2], c.Upper[3]),
        };
        SigmoidFitResult fit = SigmoidFit.Fit(c.X, c.Y, options);
        ScipySolution refined = c.Refined;
        int gridIndex = fit.ThresholdIndexOnGrid(c.ThresholdTarget);
        output.WriteLine(
            $"{c.Name}: L={fit.L:R} k={fit.K:R} x0={fit.X0:R} b={fit.B:R} SS_res={fit.SsRes:R} (SciPy {c.Scipy.SsRes:R}, refined {refined.SsRes:R}) " +
            $"R2={fit.RSquared:R} grid={gridIndex} (SciPy {c.Scipy.ThresholdGridIndex?.ToString() ?? "none"}) " +
            $"exit={fit.ExitReason} iterations={fit.Iterations} bounds={fit.ActiveBounds} transition={fit.HasTransition} cov={fit.CovarianceStatus}");

        Assert.True(fit.ExitReason is FitExitReason.ConvergedOnGradient or FitExitReason.ConvergedOnCostChange or FitExitReason.ConvergedOnStepSize,
            $"exit {fit.ExitReason}");
        Assert.True(fit.SsRes <= c.Scipy.SsRes * (1 + SsResRelativeSlack) + SsResRoundOffFloor,
            $"SS_res {fit.SsRes:R} worse than SciPy's {c.Scipy.SsRes:R}");
        if (c.Range > 0)
        {
            Assert.True(Math.Abs(fit.RSquared - c.Scipy.RSquared) <= RSquaredTolerance, $"R² {fit.RSquared:R} vs SciPy {c.Scipy.RSquared:R}");
        }
        else
        {
            // Constant data: SS_tot = 0, so R² = 0 by the reference rule (README). NumPy's mean of equal values
            // misses by an ulp, leaving SS_tot ~1e-31, so SciPy's recorded R² is an artefact (−3e11, or 1).
            Assert.Equal(0.0, fit.RSquared);
        }

        // Grid threshold: the same index (±1); none where SciPy has none.
        if (c.Scipy.ThresholdGridIndex is int expectedIndex)
            Assert.InRange(gridIndex, expectedIndex - 1, expectedIndex + 1);
        else
            Assert.Equal(-1, gridIndex);
        Assert.Equal(gridIndex < 0 ? double.PositiveInfinity : gridIndex * (SigmoidFit.DefaultGridMax / (SigmoidFit.DefaultGridPoints - 1)),
            fit.ThresholdOnGrid(c.ThresholdTarget), 15);

        // Bounds: exactly the ones the true optimum sits on, and those parameters exactly on them. Without a
        // transition (L = 0) k and x0 do not affect the curve, so only the bounds of L and b are meaningful.
        SigmoidActiveBounds meaningful = c.HasTransition
            ? ~SigmoidActiveBounds.None
            : SigmoidActiveBounds.LAtLower | SigmoidActiveBounds.LAtUpper | SigmoidActiveBounds.BAtLower | SigmoidActiveBounds.BAtUpper;
        Assert.Equal(ExpectedActiveBounds(refined.AtBounds) & meaningful, fit.ActiveBounds & meaningful);

        Assert.Equal(c.HasTransition, fit.HasTransition);
        if (c.HasTransition)
        {
            AssertParameter("L", refined.L, fit.L);
            AssertParameter("k", refined.K, fit.K);
            AssertParameter("x0", refined.X0, fit.X0);
            AssertParameter("b", refined.B, fit.B);
            Assert.NotNull(refined.ThresholdAnalytic);
            AssertParameter("closed-form threshold", refined.ThresholdAnalytic.Value, fit.ThresholdClosedForm(c.ThresholdTarget));
        }
        else
        {
            // Only the floor and "no threshold" mean anything: the best descending fit is the constant mean.
            AssertParameter("b", refined.B, fit.B);
            Assert.Equal(0.0, fit.L);
            Assert.Equal(double.PositiveInfinity, fit.ThresholdOnGrid(c.ThresholdTarget));
            Assert.Equal(double.PositiveInfinity, fit.ThresholdClosedForm(c.ThresholdTarget));
        }
    }

    // Our default start is the study's rule, which SciPy was given as p0.
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Study_rule_reproduces_the_start_SciPy_was_given(string name)
    {
        SigmoidVectorCase c = SigmoidVectors.Get(name);
        var lower = new SigmoidParameters(c.Lower[0], c.Lower[1], c.Lower[2], c.Lower[3]);
        var upper = new SigmoidParameters(c.Upper[0], c.Upper[1], c.Upper[2], c.Upper[3]);
        Assert.Equal(new SigmoidParameters(c.P0[0], c.P0[1], c.P0[2], c.P0[3]), SigmoidFit.StudyInitialGuess(c.Y, lower, upper));
    }

    // SciPy's pcov is evaluated at its own stopping point, up to 4e-4 (relative) from the true optimum where
    // we stop, so the two standard errors agree to about that; 1e-2 leaves room for the square-root and the
    // conditioning of (JᵀJ)⁻¹ but catches any wrong formula (a missing s², n − 4 vs n, a transposed Jacobian).
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Standard_errors_match_SciPy_pcov_where_SciPy_reached_the_same_optimum(string name)
    {
        SigmoidVectorCase c = SigmoidVectors.Get(name);
        SigmoidFitResult fit = SigmoidFit.Fit(c.X, c.Y, new SigmoidFitOptions
        {
            // SciPy's method: the local fit from the same p0 (the global search has its own tests, against
            // these vectors and a brute-force reference, in SigmoidGlobalFitTests).
            Search = SigmoidFitSearch.Local,
            InitialGuess = new SigmoidParameters(c.P0[0], c.P0[1], c.P0[2], c.P0[3]),
            Lower = new SigmoidParameters(c.Lower[0], c.Lower[1], c.Lower[2], c.Lower[3]),
            Upper = new SigmoidParameters(c.Upper[0], c.Upper[1], c.Upper[2], c.Upper[3]),
        });

        if (c.X.Length <= 4)
        {
            Assert.Equal(CovarianceStatus.TooFewPoints, fit.CovarianceStatus);
            Assert.Equal(double.PositiveInfinity, fit.StandardErrors.L);
            Assert.Null(c.Scipy.Pcov);
            return;
        }
        if (!c.HasTransition)
        {
            // L = 0 zeroes the k and x0 columns of J: JᵀJ is singular (SciPy reports a pseudo-inverse).
            Assert.Equal(CovarianceStatus.Singular, fit.CovarianceStatus);
            Assert.True(double.IsNaN(fit.StandardErrors.K));
            return;
        }

        Assert.Equal(CovarianceStatus.Estimated, fit.CovarianceStatus);
        bool sameOptimum = c.Scipy.Pcov is not null
            && RelativeDifference(c.Scipy.L, c.Refined.L) <= 1e-3 && RelativeDifference(c.Scipy.K, c.Refined.K) <= 1e-3
            && RelativeDifference(c.Scipy.X0, c.Refined.X0) <= 1e-3 && Math.Abs(c.Scipy.B - c.Refined.B) <= 1e-3 * Math.Max(1e-3, Math.Abs(c.Refined.B))
            // Noiseless fits: SciPy's residuals (1e-11) and ours (1e-16) are both round-off, so s² is noise.
            && c.Scipy.SsRes > 1e-12 * c.Y.Select(v => v * v).Sum();
        output.WriteLine($"{c.Name}: same optimum = {sameOptimum}; SE = {fit.StandardErrors}");
        for (int j = 0; j < 4; j++)
        {
            double se = fit.StandardErrors[j];
            Assert.True(double.IsFinite(se) && se >= 0, $"SE[{j}] = {se}");
            if (!sameOptimum)
                continue;
            double scipySe = Math.Sqrt(c.Scipy.Pcov![j][j]);
            output.WriteLine($"  SE[{j}] {se:R} vs SciPy {scipySe:R} (relative {RelativeDifference(scipySe, se):E2})");
            Assert.True(RelativeDifference(scipySe, se) <= 1e-2, $"SE[{j}] {se:R} vs SciPy {scipySe:R}");
        }
    }

    private static SigmoidActiveBounds ExpectedActiveBounds(string[] atBounds)
    {
        var flags = SigmoidActiveBounds.None;
        foreach (string entry in atBounds)
        {
            flags |= entry switch
            {
                "L=lower" => SigmoidActiveBounds.LAtLower,
                "L=upper" => SigmoidActiveBounds.LAtUpper,
                "k=lower" => SigmoidActiveBounds.KAtLower,
                "k=upper" => SigmoidActiveBounds.KAtUpper,
                "x0=lower" => SigmoidActiveBounds.X0AtLower,
                "x0=upper" => SigmoidActiveBounds.X0AtUpper,
                "b=lower" => SigmoidActiveBounds.BAtLower,
                "b=upper" => SigmoidActiveBounds.BAtUpper,
                _ => throw new InvalidDataException($"Unknown bound entry '{entry}'."),
            };
        }
        return flags;
    }

    private static double RelativeDifference(double expected, double actual) =>
        Math.Abs(actual - expected) / Math.Abs(expected);

    // Relative to the reference value; a reference on a bound at zero (b = 3e-16 where SciPy stops a hair
    // inside the box) is compared absolutely at the same tolerance, as our parameter sits exactly on it.
    private static void AssertParameter(string what, double expected, double actual)
    {
        double tolerance = ParameterRelativeTolerance * Math.Max(Math.Abs(expected), 1e-6);
        Assert.True(Math.Abs(actual - expected) <= tolerance,
            $"{what}: {actual:R} vs refined {expected:R} (relative {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
    }
}
