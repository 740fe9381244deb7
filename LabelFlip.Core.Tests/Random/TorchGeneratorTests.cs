using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Random;

[Properties(Arbitrary = [typeof(Generators)])]
public class TorchGeneratorTests
{
    // torch.manual_seed(0); torch.rand(4): tensor([0.4963, 0.7682, 0.0885, 0.1320]), the values every PyTorch
    // tutorial prints, here to the last bit.
    [Fact]
    public void Seed_0_gives_torch_rand_well_known_values()
    {
        var generator = new TorchGenerator(0);
        float[] values = new float[4];
        generator.UniformFill(values, 0.0, 1.0);
        Assert.Equal([0.49625658988952637f, 0.7682217955589294f, 0.08847743272781372f, 0.13203048706054688f], values);
    }

    [Fact]
    public void Random64_puts_the_first_word_high()
    {
        var generator = new TorchGenerator(123);
        var mt = new Mt19937(123);
        ulong expected = ((ulong)mt.NextUInt32() << 32) | mt.NextUInt32();
        Assert.Equal(expected, generator.NextUInt64());
        Assert.Equal((long)((((ulong)mt.NextUInt32() << 32) | mt.NextUInt32()) & long.MaxValue), generator.NextInt64());
    }

    [Property]
    public Property Manual_seed_uses_the_low_32_bits_and_restarts(Seed seed)
    {
        var generator = new TorchGenerator(seed.Value);
        var mt = new Mt19937((uint)seed.Value);
        bool same = Enumerable.Range(0, 10).All(_ => generator.NextUInt32() == mt.NextUInt32());
        generator.ManualSeed(seed.Value);
        var restarted = new Mt19937((uint)seed.Value);
        bool restartedSame = Enumerable.Range(0, 10).All(_ => generator.NextUInt32() == restarted.NextUInt32());
        return same.Label("init_genrand(seed mod 2^32)").And(restartedSame.Label("manual_seed restarts"))
            .And((generator.InitialSeed == seed.Value).Label("initial seed kept"));
    }

    // PyTorch's CPU kernels are compiled with fused multiply-add contraction: x·(to − from) + from is one
    // fma (the study's initial weights differ in the last bits otherwise).
    [Property]
    public Property Float_uniform_is_one_fused_multiply_add_of_the_low_24_bits(Seed seed)
    {
        var generator = new TorchGenerator(seed.Value);
        var mt = new Mt19937((uint)seed.Value);
        double from = -(double)(seed.Value % 1000) / 997.0, to = from + 0.001 + (seed.Value % 77) / 13.0;
        float[] values = new float[50];
        generator.UniformFill(values, from, to);
        float lo = (float)from, hi = (float)to;
        bool same = values.All(v => v == MathF.FusedMultiplyAdd((mt.NextUInt32() & 0xFFFFFF) / 16777216.0f, hi - lo, lo));
        return same.Label("fma(x, to − from, from) in float, x = low 24 bits / 2^24");
    }

    // randperm_cpu for small n: from the identity, swap i with i + random() mod (n − i), for i < n − 1.
    [Property]
    public Property Randperm_matches_the_plain_algorithm(Seed seed)
    {
        int n = (int)(seed.Value % 500);
        int[] permutation = new TorchGenerator(seed.Value).RandPerm(n);
        var mt = new Mt19937((uint)seed.Value);
        int[] expected = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < n - 1; i++)
        {
            int z = (int)(mt.NextUInt32() % (uint)(n - i));
            (expected[i], expected[i + z]) = (expected[i + z], expected[i]);
        }
        return permutation.SequenceEqual(expected).Label("same swaps")
            .And(permutation.Order().SequenceEqual(Enumerable.Range(0, n)).Label("a permutation"));
    }

    // randperm_cpu for n ≥ UINT32_MAX / 20 (too large to allocate here), run on small n: the C loop
    // r[i] = i; r[i] = r[z]; r[z] = i with z = random64() % (i + 1), written out on a fresh array.
    [Property]
    public Property Large_n_randperm_algorithm_matches_the_c_loop(Seed seed)
    {
        int n = (int)(seed.Value % 300);
        int[] actual = Enumerable.Repeat(-7, n).ToArray(); // stale contents must not leak through
        new TorchGenerator(seed.Value).RandPermInsideOut(actual);
        var mt = new Mt19937((uint)seed.Value);
        long[] expected = new long[n];
        for (long i = 0; i < n; i++)
        {
            ulong word = ((ulong)mt.NextUInt32() << 32) | mt.NextUInt32();
            long z = (long)(word % (ulong)(i + 1));
            expected[i] = i;
            expected[i] = expected[z];
            expected[z] = i;
        }
        return actual.Select(v => (long)v).SequenceEqual(expected).Label("same as the C loop")
            .And(actual.Order().SequenceEqual(Enumerable.Range(0, n)).Label("a permutation"));
    }

    [Property]
    public Property Skipping_a_randperm_leaves_the_generator_where_drawing_it_does(Seed seed)
    {
        int n = (int)(seed.Value % 500);
        var skipped = new TorchGenerator(seed.Value);
        var drawn = new TorchGenerator(seed.Value);
        skipped.SkipRandPerm(n);
        drawn.RandPerm(n);
        uint[] afterSkip = Enumerable.Range(0, 10).Select(_ => skipped.NextUInt32()).ToArray();
        uint[] afterDraw = Enumerable.Range(0, 10).Select(_ => drawn.NextUInt32()).ToArray();
        return afterSkip.SequenceEqual(afterDraw).Label($"same next outputs after a permutation of {n}");
    }

    // What SkipRandPerm skips from the limit on (too large to draw here): two words per item.
    [Property]
    public Property The_large_n_algorithm_draws_two_words_per_item(Seed seed)
    {
        int n = (int)(seed.Value % 300);
        var drawn = new TorchGenerator(seed.Value);
        drawn.RandPermInsideOut(new int[n]);
        var mt = new Mt19937((uint)seed.Value);
        mt.Discard(2L * n);
        return (drawn.NextUInt32() == mt.NextUInt32()).Label($"2·{n} words consumed");
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var generator = new TorchGenerator(1);
        Assert.Throws<ArgumentOutOfRangeException>("n", () => generator.RandPerm(-1));
        Assert.Throws<ArgumentOutOfRangeException>("n", () => generator.SkipRandPerm(-1));
        Assert.Throws<ArgumentOutOfRangeException>("to", () => generator.UniformFill(new float[1], 1.0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>("from", () => generator.UniformFill(new float[1], double.NaN, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>("to", () => generator.UniformFill(new float[1], 0.0, 1e300));
    }
}
