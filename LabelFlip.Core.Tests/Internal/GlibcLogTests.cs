using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Internal;

public class GlibcLogTests
{
    // Two inputs the study's normals took the log of where glibc's result is NOT the correctly rounded one
    // (exact ln, from 50-digit decimal arithmetic, is −0.0484912938607394670934 and −0.1110578189943778830...;
    // the correctly rounded doubles are −0.048491293860739464 and −0.11105781899437789). The study's data
    // carries glibc's values, so the port must give them.
    [Theory]
    [InlineData(0.9526656333094028, -0.04849129386073947)]
    [InlineData(0.8948870059664156, -0.11105781899437787)]
    public void Gives_glibcs_result_where_glibc_is_not_correctly_rounded(double x, double glibc) =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(glibc), BitConverter.DoubleToInt64Bits(GlibcLog.Log(x)));

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(2.0, 0.6931471805599453)]
    [InlineData(0.5, -0.6931471805599453)]
    [InlineData(Math.E, 1.0)]
    [InlineData(1.0000000000000002, 2.2204460492503128E-16)] // near-one path: ε − ε²/2
    [InlineData(0.9999999999999999, -1.1102230246251565E-16)]
    [InlineData(1e-300, -690.7755278982137)]
    [InlineData(4.9406564584124654E-324, -744.4400719213812)] // the smallest subnormal
    [InlineData(double.MaxValue, 709.782712893384)]
    [InlineData(0.0, double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(-1.0, double.NaN)]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.NegativeInfinity, double.NaN)]
    public void Known_values_and_special_cases(double x, double expected) =>
        Assert.Equal(expected, GlibcLog.Log(x));

    [Fact]
    public void Negative_zero_gives_negative_infinity() =>
        Assert.Equal(double.NegativeInfinity, GlibcLog.Log(-0.0));

    // Where the C runtime is glibc's FMA build (Linux x86-64 with FMA, which the two misrounded inputs above
    // identify), Math.Log calls it: the port must then agree on every input, across the table path, the
    // near-one path and subnormals. Elsewhere there is no glibc to compare with.
    [Fact]
    public void Agrees_bit_for_bit_with_glibc_where_the_runtime_uses_it()
    {
        bool glibcFma = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && Fma.IsSupported
            && Math.Log(0.9526656333094028) == -0.04849129386073947 && Math.Log(0.8948870059664156) == -0.11105781899437787;
        if (!glibcFma)
            return;
        var random = new RandomSource(20260);
        for (int i = 0; i < 3_000_000; i++)
        {
            double x = (i % 3) switch
            {
                0 => random.NextDouble(),                                      // the normals' domain
                1 => 1.0 + (random.NextDouble() - 0.5) * 0.14,                 // around the near-one interval
                _ => BitConverter.UInt64BitsToDouble(random.NextUInt64() >> 1), // every positive double
            };
            double expected = Math.Log(x), actual = GlibcLog.Log(x);
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual) && !(double.IsNaN(expected) && double.IsNaN(actual)))
                Assert.Fail($"log({x:R}): glibc {expected:R}, port {actual:R}.");
        }
    }
}
