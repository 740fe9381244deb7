using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn.Kernels;

public class PolynomialExpTests
{
    [Fact]
    public void Agrees_with_Math_Exp_within_two_ulp_over_the_whole_range()
    {
        var random = new RandomSource(3);
        double worst = 0;
        for (int t = 0; t < 200_000; t++)
        {
            double x = t % 2 == 0 ? random.NextDouble(-745, 709.7) : random.NextDouble(-40, 5);
            double expected = Math.Exp(x), actual = PolynomialExp.Exp(x);
            if (expected < 2.2250738585072014E-308)
            {
                Assert.True(Math.Abs(actual - expected) <= 2 * double.Epsilon, $"exp({x:R})");
                continue;
            }
            double ulps = Math.Abs(actual - expected) / (Math.BitIncrement(expected) - expected);
            worst = Math.Max(worst, ulps);
        }
        Assert.True(worst <= 2, $"worst error {worst} ulp");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-746.0, 0.0)]
    [InlineData(-1e6, 0.0)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(710.0, double.PositiveInfinity)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    public void Handles_the_special_inputs(double x, double expected) =>
        Assert.Equal(expected, PolynomialExp.Exp(x));

    // The span overload runs whole vectors lane-wise where every input is in its range, the scalar routine
    // elsewhere; both must give the scalar routine's bits, whatever the length and wherever the special values are.
    [Fact]
    public void The_span_overload_equals_the_scalar_routine_bit_for_bit()
    {
        var random = new RandomSource(5);
        double[] specials = [double.NaN, -800, -708.5, 709.5, 710, double.NegativeInfinity, double.PositiveInfinity, -0.0, 0.0];
        for (int length = 0; length <= 40; length++)
        {
            double[] x = new double[length];
            for (int i = 0; i < length; i++)
                x[i] = random.NextInt(8) == 0 ? specials[random.NextInt(specials.Length)] : random.NextDouble(-60, 5);
            AssertSpanGivesTheScalarBits(x);
        }
    }

    // Long spans run 64 inputs at a time when all of them are in range; a block with one input out of range goes back
    // to eight at a time. Rare specials, so most blocks of 64 are clean and some are not.
    [Fact]
    public void The_span_overloads_long_blocks_equal_the_scalar_routine_bit_for_bit()
    {
        var random = new RandomSource(6);
        double[] specials = [double.NaN, -800, -708.5, 709.5, double.NegativeInfinity, -0.0];
        foreach (int length in new[] { 63, 64, 65, 127, 128, 200, 320, 640, 1000 })
        {
            double[] x = new double[length];
            for (int i = 0; i < length; i++)
                x[i] = random.NextInt(150) == 0 ? specials[random.NextInt(specials.Length)] : random.NextDouble(-708, 709);
            AssertSpanGivesTheScalarBits(x);
        }
    }

    private static void AssertSpanGivesTheScalarBits(double[] x)
    {
        double[] actual = new double[x.Length];
        PolynomialExp.Exp(x, actual);
        Assert.Equal(x.Select(v => BitConverter.DoubleToInt64Bits(PolynomialExp.Exp(v))), actual.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void NaN_stays_NaN() => Assert.True(double.IsNaN(PolynomialExp.Exp(double.NaN)));

    [Fact]
    public void Negative_zero_gives_one() => Assert.Equal(1.0, PolynomialExp.Exp(-0.0));

    [Fact]
    public void Is_within_an_ulp_of_e_at_one_and_monotone_near_zero()
    {
        Assert.InRange(PolynomialExp.Exp(1), Math.BitDecrement(Math.E), Math.BitIncrement(Math.E));
        double previous = 0;
        for (double x = -1; x <= 1; x += 1.0 / 1024)
        {
            double value = PolynomialExp.Exp(x);
            Assert.True(value >= previous);
            previous = value;
        }
    }
}
