using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Random;

[Properties(Arbitrary = [typeof(Generators)])]
public class Mt19937Tests
{
    // The reference implementation's first outputs for init_genrand(5489), the default seed of
    // mt19937ar.c and of C++'s std::mt19937.
    [Fact]
    public void Default_seed_gives_the_reference_first_outputs()
    {
        var mt = new Mt19937();
        uint[] first = [mt.NextUInt32(), mt.NextUInt32(), mt.NextUInt32(), mt.NextUInt32(), mt.NextUInt32()];
        Assert.Equal([3499211612u, 581869302u, 3890346734u, 3586334585u, 545404204u], first);
    }

    // C++ [rand.predef]: "the 10000th consecutive invocation of a default-constructed object of type mt19937
    // shall produce the value 4123659995". Spans many regenerations of the state.
    [Fact]
    public void Ten_thousandth_output_of_the_default_seed_is_the_one_cpp_specifies()
    {
        var mt = new Mt19937(Mt19937.DefaultSeed);
        uint value = 0;
        for (int i = 0; i < 10000; i++)
            value = mt.NextUInt32();
        Assert.Equal(4123659995u, value);
    }

    // mt19937ar.out: init_by_array({0x123, 0x234, 0x345, 0x456}), the reference test vector.
    [Fact]
    public void Key_seeding_gives_the_reference_test_vector()
    {
        Mt19937 mt = Mt19937.FromKey([0x123, 0x234, 0x345, 0x456]);
        uint[] first = Enumerable.Range(0, 5).Select(_ => mt.NextUInt32()).ToArray();
        Assert.Equal([1067595299u, 955945823u, 477289528u, 4107218783u, 4228976476u], first);
    }

    [Fact]
    public void Key_seeding_rejects_an_empty_key() =>
        Assert.Throws<ArgumentException>("key", () => Mt19937.FromKey([]));

    [Property]
    public Property A_clone_continues_with_the_same_outputs(Seed seed)
    {
        var mt = new Mt19937((uint)seed.Value);
        for (int i = 0; i < (int)(seed.Value % 1000); i++)
            mt.NextUInt32();
        Mt19937 clone = mt.Clone();
        uint[] original = Enumerable.Range(0, 700).Select(_ => mt.NextUInt32()).ToArray();
        uint[] copied = Enumerable.Range(0, 700).Select(_ => clone.NextUInt32()).ToArray();
        return original.SequenceEqual(copied).Label("same 700 outputs across a regeneration");
    }

    [Property]
    public Property Discard_leaves_the_generator_where_as_many_outputs_would(Seed seed)
    {
        int before = (int)(seed.Value % 700), count = (int)(seed.Value / 700 % 3000);
        var skipped = new Mt19937((uint)seed.Value);
        var drawn = new Mt19937((uint)seed.Value);
        for (int i = 0; i < before; i++)
        {
            skipped.NextUInt32();
            drawn.NextUInt32();
        }
        skipped.Discard(count);
        for (int i = 0; i < count; i++)
            drawn.NextUInt32();
        uint[] afterSkip = Enumerable.Range(0, 700).Select(_ => skipped.NextUInt32()).ToArray();
        uint[] afterDraws = Enumerable.Range(0, 700).Select(_ => drawn.NextUInt32()).ToArray();
        return afterSkip.SequenceEqual(afterDraws).Label($"same 700 outputs after {before} drawn and {count} skipped");
    }

    [Fact]
    public void Discard_rejects_a_negative_count() =>
        Assert.Throws<ArgumentOutOfRangeException>("count", () => new Mt19937().Discard(-1));

    // The regeneration runs in vector lanes where the hardware has them: it must give the state mt19937ar.c's
    // loop gives, written here as there (with its branch on the low bit), from any state.
    [Property]
    public Property Twist_agrees_with_the_reference_loop(Seed seed)
    {
        var source = new Mt19937((uint)seed.Value);
        uint[] state = Enumerable.Range(0, Mt19937.StateLength).Select(_ => source.NextUInt32()).ToArray();
        uint[] expected = (uint[])state.Clone();
        for (int round = 0; round < 3; round++)
        {
            Mt19937.Twist(state);
            ReferenceTwist(expected);
        }
        return state.SequenceEqual(expected).Label("same 624 words after three regenerations");
    }

    // genrand_int32's regeneration in mt19937ar.c (2002), for mti ≥ N.
    private static void ReferenceTwist(uint[] mt)
    {
        const int N = 624, M = 397;
        uint[] mag01 = [0x0u, 0x9908B0DFu];
        int kk;
        uint y;
        for (kk = 0; kk < N - M; kk++)
        {
            y = (mt[kk] & 0x80000000u) | (mt[kk + 1] & 0x7FFFFFFFu);
            mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag01[y & 0x1u];
        }
        for (; kk < N - 1; kk++)
        {
            y = (mt[kk] & 0x80000000u) | (mt[kk + 1] & 0x7FFFFFFFu);
            mt[kk] = mt[kk + (M - N)] ^ (y >> 1) ^ mag01[y & 0x1u];
        }
        y = (mt[N - 1] & 0x80000000u) | (mt[0] & 0x7FFFFFFFu);
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag01[y & 0x1u];
    }
}
