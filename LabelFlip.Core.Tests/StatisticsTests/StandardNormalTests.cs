using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Tests.StatisticsTests;

public class StandardNormalTests
{
    // Φ(z) to 20 significant digits from mpmath (ncdf at 40 digits); we hold a relative 1e-14, tails included.
    [Theory]
    [InlineData(-0.5, 0.30853753872598689636)]
    [InlineData(-1.0, 0.15865525393145705141)]
    [InlineData(-1.959963984540054, 0.025000000000000010876)]
    [InlineData(-2.0, 0.0227501319481792072)]
    [InlineData(-3.0, 0.0013498980316300945267)]
    [InlineData(-5.0, 2.8665157187919391167e-7)]
    [InlineData(-10.0, 7.619853024160526066e-24)]
    [InlineData(-20.0, 2.7536241186062336951e-89)]
    [InlineData(-37.0, 5.7255712225245768227e-300)]
    [InlineData(0.3, 0.61791142218895263307)]
    [InlineData(1.2, 0.88493032977829172335)]
    public void Cdf_matches_high_precision_values(double z, double expected)
    {
        double actual = StandardNormal.Cdf(z);
        Assert.True(Math.Abs(actual - expected) <= 1e-14 * expected, $"Φ({z}) = {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void Cdf_handles_the_ends()
    {
        Assert.Equal(0.5, StandardNormal.Cdf(0));
        Assert.Equal(0.0, StandardNormal.Cdf(double.NegativeInfinity));
        Assert.Equal(1.0, StandardNormal.Cdf(double.PositiveInfinity));
        Assert.True(double.IsNaN(StandardNormal.Cdf(double.NaN)));
        // Continuous across the switch between the series and the continued fraction (x = 1.5, z = 1.5·√2).
        double z = 1.5 * Math.Sqrt(2);
        Assert.True(Math.Abs(StandardNormal.Cdf(-z + 1e-12) - StandardNormal.Cdf(-z - 1e-12)) < 1e-13);
    }
}
