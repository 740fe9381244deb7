using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn.Kernels;

namespace LabelFlip.Core.Tests.Internal;

public class DeterministicMathTests
{
    // The plain reference is the C runtime's log, correctly rounded or nearly so on every platform we know.
    [Property(MaxTest = 2000)]
    public Property Log_agrees_with_the_C_runtime_to_two_ulps(PositiveInt mantissa, int exponent)
    {
        double x = Math.ScaleB(mantissa.Get / (double)int.MaxValue, exponent % 1100);
        if (x == 0 || !double.IsFinite(x))
            return true.ToProperty();
        double expected = Math.Log(x), actual = DeterministicMath.Log(x);
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        return (Math.Abs(actual - expected) <= 2 * ulp).Label($"log({x:R}) = {actual:R}, C runtime {expected:R}");
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(2.0, 0.6931471805599453)]
    [InlineData(0.5, -0.6931471805599453)]
    [InlineData(Math.E, 1.0)]
    [InlineData(1e-300, -690.7755278982137)]
    [InlineData(4.9406564584124654E-324, -744.4400719213812)] // the smallest subnormal
    public void Log_of_known_values(double x, double expected) =>
        Assert.Equal(expected, DeterministicMath.Log(x), 15);

    [Fact]
    public void Log_of_edge_values()
    {
        Assert.Equal(double.NegativeInfinity, DeterministicMath.Log(0));
        Assert.True(double.IsNaN(DeterministicMath.Log(-1)));
        Assert.True(double.IsNaN(DeterministicMath.Log(double.NaN)));
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Log(double.PositiveInfinity));
    }

    // Same reference for Exp: the C runtime's exp, correctly rounded or within an ulp on every platform we know.
    [Property(MaxTest = 5000)]
    public Property Exp_agrees_with_the_C_runtime_to_one_ulp(int numerator)
    {
        double x = numerator / (double)int.MaxValue * 745.0; // spans [−745, 745]: underflow to overflow
        double expected = Math.Exp(x), actual = DeterministicMath.Exp(x);
        if (!double.IsFinite(expected))
            return (actual == expected).Label($"exp({x:R}) = {actual:R}, C runtime {expected:R}");
        double ulp = Math.BitIncrement(expected) - expected;
        return (Math.Abs(actual - expected) <= ulp).Label($"exp({x:R}) = {actual:R}, C runtime {expected:R}");
    }

    [Property(MaxTest = 2000)]
    public Property Exp_agrees_with_the_C_runtime_near_zero(int numerator)
    {
        double x = numerator / (double)int.MaxValue; // [−1, 1]: the range the sigmoid fit lives in most
        double expected = Math.Exp(x), actual = DeterministicMath.Exp(x);
        double ulp = Math.BitIncrement(expected) - expected;
        return (Math.Abs(actual - expected) <= ulp).Label($"exp({x:R}) = {actual:R}, C runtime {expected:R}");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, Math.E)]
    [InlineData(-1.0, 0.36787944117144233)]
    [InlineData(0.6931471805599453, 2.0)]
    [InlineData(10.0, 22026.465794806718)]
    [InlineData(-20.0, 2.061153622438558e-09)]
    [InlineData(709.0, 8.218407461554972e+307)]
    [InlineData(-708.0, 3.307553003638408e-308)]
    public void Exp_of_known_values(double x, double expected) =>
        Assert.Equal(expected, DeterministicMath.Exp(x), expected * 1e-15);

    [Fact]
    public void Exp_of_edge_values()
    {
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Exp(710));
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Exp(double.PositiveInfinity));
        Assert.Equal(0.0, DeterministicMath.Exp(-746));
        Assert.Equal(0.0, DeterministicMath.Exp(double.NegativeInfinity));
        Assert.True(double.IsNaN(DeterministicMath.Exp(double.NaN)));
        Assert.Equal(1.0, DeterministicMath.Exp(1e-300));
        Assert.Equal(1.0, DeterministicMath.Exp(-0.0));
        // Subnormal results round once: 2^-1074 · e^(−0.3) … compare with the C runtime there too.
        foreach (double x in new[] { -709.0, -720.0, -740.0, -744.4 })
            Assert.Equal(Math.Exp(x), DeterministicMath.Exp(x));
    }

    // The library has two exps (this one for the fitter, the softmax's Taylor form): not the same bits, but both
    // within an ulp of each other everywhere they are finite and normal, and identical at the edges.
    [Property(MaxTest = 5000)]
    public Property The_two_exps_agree_to_one_ulp(int numerator)
    {
        double x = numerator / (double)int.MaxValue * 745.0;
        double fdlibm = DeterministicMath.Exp(x), taylor = PolynomialExp.Exp(x);
        if (!(fdlibm >= 2.2250738585072014E-308) || double.IsInfinity(fdlibm))
            return (Math.Abs(fdlibm - taylor) <= double.Epsilon || fdlibm == taylor).Label($"exp({x:R}): {fdlibm:R} vs {taylor:R}");
        double ulp = Math.BitIncrement(fdlibm) - fdlibm;
        return (Math.Abs(fdlibm - taylor) <= ulp).Label($"exp({x:R}): {fdlibm:R} vs {taylor:R}");
    }
}

