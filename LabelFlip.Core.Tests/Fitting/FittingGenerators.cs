using FsCheck;
using FsCheck.Fluent;
using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Tests.Fitting;

/// <summary>Sigmoid parameters well inside the study's bounds and a sorted x grid on [0, 0.6] that sees the step.</summary>
public sealed record NoiselessSigmoidCase(SigmoidParameters Truth, double[] X)
{
    /// <inheritdoc />
    public override string ToString() => $"{Truth} on {X.Length} points [{string.Join(", ", X.Select(v => v.ToString("R")))}]";
}

/// <summary>A fitted-looking descending curve and a level it crosses inside [0, 0.6).</summary>
public sealed record CrossingCase(SigmoidParameters Curve, double Target);

/// <summary>
/// A noisy curve over the whole box: steps inside or outside the data, up to the steepest k, flat (L = 0) and
/// clean curves, on the study's grid or random sorted abscissae.
/// </summary>
public sealed record NoisyCurveCase(SigmoidParameters Truth, double Noise, double[] X, double[] Y)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Truth}, noise {Noise:R}: x = [{string.Join(", ", X.Select(v => v.ToString("R")))}], y = [{string.Join(", ", Y.Select(v => v.ToString("R")))}]";
}

/// <summary>FsCheck generators for the fitting tests, built directly rather than filtered.</summary>
public static class FittingGenerators
{
    private static Gen<double> Uniform(double min, double max) =>
        Gen.Choose(0, 1_000_000).Select(i => min + (max - min) * (i / 1e6));

    // Well inside the box: L ∈ [0.2, 1], k ∈ [2, 25], x0 ∈ [0.1, 0.4], b ∈ [0.05, 0.4]. The grid has 10 to 60
    // points: 0 and 0.6, three points within one 1/k of x0 (so the step is seen, not guessed between two
    // samples), and the rest uniform; duplicates are allowed, as in real data with repeated fractions.
    private static readonly Gen<SigmoidParameters> s_parameters =
        from l in Uniform(0.2, 1.0)
        from k in Uniform(2.0, 25.0)
        from x0 in Uniform(0.1, 0.4)
        from b in Uniform(0.05, 0.4)
        select new SigmoidParameters(l, k, x0, b);

    /// <summary>Noiseless data from random parameters on random grids.</summary>
    public static Arbitrary<NoiselessSigmoidCase> NoiselessCases() =>
        Arb.From(
            from truth in s_parameters
            from extra in Gen.Choose(5, 55)
            from uniform in Uniform(0.0, 0.6).ArrayOf(extra)
            from near in Uniform(-1.0, 1.0).ArrayOf(3)
            select new NoiselessSigmoidCase(
                truth,
                uniform.Concat(near.Select(u => Math.Clamp(truth.X0 + u / truth.K, 0.0, 0.6)))
                    .Append(0.0).Append(0.6).Order().ToArray()));

    /// <summary>The study's abscissae (poison fractions).</summary>
    public static readonly double[] StudyX = [0.0, 0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];

    /// <summary>
    /// Noisy curves anywhere in the study's box: L ∈ [0, 1] (a quarter of them flat, L = 0), k geometric in
    /// [0.5, 100], x0 ∈ [−0.2, 0.8] (steps before, inside and after the data), b ∈ [0, 0.5], Gaussian noise
    /// σ ∈ {0, 0.005, 0.02, 0.05}; on the study's 9 fractions or 5 to 50 sorted points in [0, 0.5].
    /// </summary>
    public static Arbitrary<NoisyCurveCase> NoisyCurves() =>
        Arb.From(
            from flat in Gen.Choose(0, 3)
            from l in Uniform(0.05, 1.0)
            from logK in Uniform(Math.Log(0.5), Math.Log(100.0))
            from x0 in Uniform(-0.2, 0.8)
            from b in Uniform(0.0, 0.5)
            from noise in Gen.Elements(0.0, 0.005, 0.02, 0.05)
            from study in Gen.Elements(true, false)
            from count in Gen.Choose(5, 50)
            from uniform in Uniform(0.0, 0.5).ArrayOf(count)
            from normals in Uniform(1e-6, 1.0).ArrayOf(2 * 50)
            let truth = new SigmoidParameters(flat == 0 ? 0.0 : l, Math.Exp(logK), x0, b)
            let x = study ? StudyX : uniform.Order().ToArray()
            select new NoisyCurveCase(truth, noise, x, x.Select((v, i) =>
                SigmoidModel.Evaluate(truth, v) + noise * Math.Sqrt(-2 * Math.Log(normals[2 * i])) * Math.Cos(2 * Math.PI * normals[2 * i + 1])).ToArray()));

    /// <summary>A descending curve and a level strictly between its values at 0 and at 0.6.</summary>
    public static Arbitrary<CrossingCase> CrossingCases() =>
        Arb.From(
            from curve in s_parameters
            from u in Uniform(0.001, 0.999)
            let top = SigmoidModel.Evaluate(curve, 0.0)
            let bottom = SigmoidModel.Evaluate(curve, 0.6)
            select new CrossingCase(curve, bottom + u * (top - bottom)));
}
