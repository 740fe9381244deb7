using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Random;

[Properties(Arbitrary = [typeof(Generators)])]
public class NumPyRandomStateTests
{
    // numpy.random.RandomState(42): rand(4), randn(4), randint(0, 10, size=5) and permutation(10), the values
    // printed in countless tutorials; each from a fresh state.
    [Fact]
    public void Seed_42_gives_numpys_well_known_values()
    {
        var uniform = new NumPyRandomState(42);
        Assert.Equal([0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366],
            Enumerable.Range(0, 4).Select(_ => uniform.RandomSample()).ToArray());

        Assert.Equal([0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254],
            new NumPyRandomState(42).Randn(4));

        var integers = new NumPyRandomState(42);
        Assert.Equal([6L, 3L, 7L, 4L, 6L], Enumerable.Range(0, 5).Select(_ => integers.RandInt(0, 10)).ToArray());

        Assert.Equal([8, 1, 5, 0, 7, 2, 9, 4, 3, 6], new NumPyRandomState(42).Permutation(10));
        Assert.Equal([2, 8, 4, 9, 1, 6, 7, 3, 0, 5], new NumPyRandomState(0).Permutation(10));
    }

    [Fact]
    public void Seed_0_gives_numpys_well_known_normals() =>
        Assert.Equal([1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458],
            new NumPyRandomState(0).Randn(4));

    [Fact]
    public void Random_sample_is_two_words_shifted_and_joined()
    {
        var state = new NumPyRandomState(7);
        var mt = new Mt19937(7);
        for (int i = 0; i < 1000; i++)
        {
            double expected = ((mt.NextUInt32() >> 5) * 67108864.0 + (mt.NextUInt32() >> 6)) / 9007199254740992.0;
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(state.RandomSample()));
        }
    }

    // Masked rejection, written out plainly: the smallest all-ones mask covering the range, redraw above it.
    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(0L, 4L)]
    [InlineData(-3L, 1000L)]
    [InlineData(5L, 6L + uint.MaxValue)]      // closed range 2^32 − 1: one raw word
    [InlineData(0L, 3L + uint.MaxValue)]      // closed range 2^32 + 1: 64-bit words, masked
    [InlineData(long.MinValue, long.MaxValue)] // closed range 2^64 − 2
    public void Randint_matches_plain_masked_rejection(long low, long high)
    {
        var state = new NumPyRandomState(2024);
        var mt = new Mt19937(2024);
        ulong range = (ulong)(high - 1) - (ulong)low;
        ulong mask = range == 0 ? 0 : ulong.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount(range);
        for (int i = 0; i < 200; i++)
        {
            ulong value;
            if (range == 0)
                value = 0;
            else if (range == uint.MaxValue)
                value = mt.NextUInt32();
            else if (range < uint.MaxValue)
                do value = mt.NextUInt32() & mask; while (value > range);
            else
                do value = (((ulong)mt.NextUInt32() << 32) | mt.NextUInt32()) & mask; while (value > range);
            Assert.Equal((long)((ulong)low + value), state.RandInt(low, high));
        }
    }

    [Property]
    public Property Permutation_is_a_permutation_and_shuffle_uses_intervals_from_the_end(Seed seed)
    {
        uint s = (uint)seed.Value;
        int n = (int)(seed.Value % 300);
        int[] permutation = new NumPyRandomState(s).Permutation(n);

        var reference = new Mt19937(s);
        int[] expected = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            uint mask = uint.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount((uint)i);
            uint j;
            do j = reference.NextUInt32() & mask; while (j > i);
            (expected[i], expected[j]) = (expected[j], expected[i]);
        }
        return permutation.Order().SequenceEqual(Enumerable.Range(0, n)).Label("a permutation")
            .And(permutation.SequenceEqual(expected).Label("Fisher–Yates from the end with masked intervals"));
    }

    [Property]
    public Property A_clone_keeps_the_cached_normal(Seed seed)
    {
        var state = new NumPyRandomState((uint)seed.Value);
        state.StandardNormal(); // leaves the pair's second value cached
        NumPyRandomState clone = state.Clone();
        return state.Randn(9).SequenceEqual(clone.Randn(9)).Label("same normals after cloning mid-pair");
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("seed", () => new NumPyRandomState(-1));
        Assert.Throws<ArgumentOutOfRangeException>("seed", () => new NumPyRandomState(NumPyRandomState.MaxSeed + 1));
        Assert.Throws<ArgumentOutOfRangeException>("high", () => new NumPyRandomState(1).RandInt(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>("n", () => new NumPyRandomState(1).Permutation(-1));
        Assert.Throws<ArgumentOutOfRangeException>("count", () => new NumPyRandomState(1).Randn(-1));
    }
}
