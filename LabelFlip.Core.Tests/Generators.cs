using FsCheck;
using FsCheck.Fluent;

namespace LabelFlip.Core.Tests;

/// <summary>A seed of the full 64-bit range.</summary>
public readonly record struct Seed(ulong Value);

/// <summary>Two different seeds.</summary>
public readonly record struct DistinctSeeds(ulong First, ulong Second);

/// <summary>Labels in [0, ClassCount) with a flip fraction and a seed: a valid poisoning problem.</summary>
public sealed record PoisonCase(int[] Labels, int ClassCount, double Fraction, ulong Seed)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"PoisonCase(n={Labels.Length}, k={ClassCount}, p={Fraction:R}, seed={Seed})";
}

/// <summary>A small valid cluster-generation problem.</summary>
public sealed record ClusterCase(int SampleCount, int FeatureCount, int ClassCount, double TrainFraction, ulong Seed);

/// <summary>FsCheck generators of valid inputs, built directly rather than filtered.</summary>
public static class Generators
{
    private static readonly Gen<ulong> s_seed =
        Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32) | (uint)t.Item2);

    /// <summary>Any 64-bit seed.</summary>
    public static Arbitrary<Seed> Seeds() => Arb.From(s_seed.Select(s => new Seed(s)));

    /// <summary>Two seeds that differ: the second is the first plus a non-zero offset.</summary>
    public static Arbitrary<DistinctSeeds> DistinctSeeds() =>
        Arb.From(s_seed.Zip(s_seed, (a, offset) => new DistinctSeeds(a, a + (offset | 1))));

    /// <summary>Up to 400 labels over 2 to 12 classes, a fraction in [0, 1] (ends included) and a seed.</summary>
    public static Arbitrary<PoisonCase> PoisonCases() =>
        Arb.From(
            from classCount in Gen.Choose(2, 12)
            from n in Gen.Choose(0, 400)
            from labels in Gen.Choose(0, classCount - 1).ArrayOf(n)
            from fraction in Gen.OneOf(Gen.Elements(0.0, 0.01, 0.05, 0.5, 1.0), Gen.Choose(0, 1_000_000).Select(i => i / 1e6))
            from seed in s_seed
            select new PoisonCase(labels, classCount, fraction, seed));

    /// <summary>Small datasets: up to 300 rows, 1 to 8 features, 2 to 7 classes, a train share in [0.2, 0.9].</summary>
    public static Arbitrary<ClusterCase> ClusterCases() =>
        Arb.From(
            from classCount in Gen.Choose(2, 7)
            from sampleCount in Gen.Choose(Math.Max(classCount, 5), 300)
            from featureCount in Gen.Choose(1, 8)
            from trainPercent in Gen.Choose(20, 90)
            from seed in s_seed
            select new ClusterCase(sampleCount, featureCount, classCount, trainPercent / 100.0, seed));
}
