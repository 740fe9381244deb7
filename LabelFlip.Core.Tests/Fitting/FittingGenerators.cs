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

    /// <summary>A descending curve and a level strictly between its values at 0 and at 0.6.</summary>
    public static Arbitrary<CrossingCase> CrossingCases() =>
        Arb.From(
            from curve in s_parameters
            from u in Uniform(0.001, 0.999)
            let top = SigmoidModel.Evaluate(curve, 0.0)
            let bottom = SigmoidModel.Evaluate(curve, 0.6)
            select new CrossingCase(curve, bottom + u * (top - bottom)));
}
