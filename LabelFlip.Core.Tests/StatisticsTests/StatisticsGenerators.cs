using FsCheck;
using FsCheck.Fluent;

namespace LabelFlip.Core.Tests.StatisticsTests;

/// <summary>A finite sample (1 to 40 values, often with repeats) and a probability in [0, 1].</summary>
public sealed record QuantileCase(double[] Values, double Probability)
{
    /// <inheritdoc />
    public override string ToString() => $"QuantileCase([{string.Join(", ", Values.Select(v => v.ToString("R")))}], p={Probability:R})";
}

/// <summary>Up to 12 paired differences: small integers (many ties and zeros) or distinct continuous values.</summary>
public sealed record DifferencesCase(double[] Differences)
{
    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Differences.Select(v => v.ToString("R")))}]";
}

/// <summary>A small two-level sample: 1 to 8 draws of 1 to 4 seeds each, values from a few levels or +∞.</summary>
public sealed record ClusterCase(double[][] Values, ulong Seed)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"ClusterCase(seed={Seed}, [{string.Join("; ", Values.Select(d => string.Join(", ", d.Select(v => v.ToString("R")))))}])";
}

/// <summary>FsCheck generators of valid statistics inputs, built directly rather than filtered.</summary>
public static class StatisticsGenerators
{
    private static readonly Gen<ulong> s_seed =
        Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32) | (uint)t.Item2);

    /// <summary>1 to 40 values: coarse integers (ties) or fine fractions, and p from the ends, dyadic or fine.</summary>
    public static Arbitrary<QuantileCase> QuantileCases() =>
        Arb.From(
            from n in Gen.Choose(1, 40)
            from coarse in Gen.Elements(true, false)
            from values in (coarse ? Gen.Choose(-5, 5).Select(i => (double)i) : Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 997.0)).ArrayOf(n)
            from p in Gen.OneOf(Gen.Elements(0.0, 0.025, 0.25, 0.5, 0.975, 1.0), Gen.Choose(0, 1_000_000).Select(i => i / 1e6))
            select new QuantileCase(values, p));

    /// <summary>0 to 12 differences, half the time small integers in [−4, 4], else distinct continuous values.</summary>
    public static Arbitrary<DifferencesCase> DifferencesCases() =>
        Arb.From(
            from n in Gen.Choose(0, 12)
            from tied in Gen.Elements(true, false)
            from values in tied
                ? Gen.Choose(-4, 4).Select(i => (double)i).ArrayOf(n)
                : Gen.Choose(1, 1_000_000).ArrayOf(n).Select(a => a.Select((v, i) => (i % 2 == 0 ? 1 : -1) * (v + i * 1e-3)).ToArray())
            select new DifferencesCase(values));

    /// <summary>1 to 8 draws of 1 to 4 seeds; values in {0, 0.5, …, 3} or +∞ (censored) and a seed.</summary>
    public static Arbitrary<ClusterCase> ClusterCases() =>
        Arb.From(
            from draws in Gen.Choose(1, 8)
            from values in Gen.Choose(1, 4).SelectMany(s => Gen.Choose(0, 7).Select(i => i == 7 ? double.PositiveInfinity : i * 0.5).ArrayOf(s)).ArrayOf(draws)
            from seed in s_seed
            select new ClusterCase(values, seed));

    /// <summary>Any 64-bit seed.</summary>
    public static Arbitrary<Seed> Seeds() => Arb.From(s_seed.Select(s => new Seed(s)));

    /// <summary>Two seeds that differ.</summary>
    public static Arbitrary<DistinctSeeds> DistinctSeeds() =>
        Arb.From(s_seed.Zip(s_seed, (a, offset) => new DistinctSeeds(a, a + (offset | 1))));
}
