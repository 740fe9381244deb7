using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Tests.Internal;

[Properties(Arbitrary = [typeof(Generators)])]
public class FastRemainderTests
{
    // Any 32-bit value and divisor from the two halves of a seed (divisor forced to ≥ 2).
    [Property(MaxTest = 2000)]
    public Property Remainder_is_the_division_remainder(Seed seed)
    {
        uint value = (uint)seed.Value, divisor = Math.Max((uint)(seed.Value >> 32), 2u);
        uint expected = value % divisor;
        uint actual = FastRemainder.Remainder(value, FastRemainder.Reciprocal(divisor), divisor);
        return (actual == expected).Label($"{value} mod {divisor}: {actual}, expected {expected}");
    }

    // The edges: smallest and largest divisors, powers of two and their neighbours, values at and around
    // multiples of the divisor and at the top of the range; and every divisor a permutation of 500 items uses.
    [Fact]
    public void Remainder_is_exact_at_the_edges()
    {
        uint[] divisors = [2, 3, 5, 7, 350, 499, 500, 65535, 65536, 65537, 0x7FFFFFFF, 0x80000000, 0x80000001, uint.MaxValue - 1, uint.MaxValue];
        foreach (uint divisor in divisors.Concat(Enumerable.Range(2, 499).Select(d => (uint)d)))
        {
            ulong reciprocal = FastRemainder.Reciprocal(divisor);
            ulong[] candidates = [0, 1, divisor - 1, divisor, divisor + 1UL, 2UL * divisor - 1, 2UL * divisor,
                uint.MaxValue / divisor * divisor, uint.MaxValue / divisor * divisor - 1, uint.MaxValue - 1, uint.MaxValue];
            foreach (ulong candidate in candidates.Where(c => c <= uint.MaxValue))
            {
                uint value = (uint)candidate;
                Assert.Equal(value % divisor, FastRemainder.Remainder(value, reciprocal, divisor));
            }
        }
    }
}
