using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Internal;

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
}
