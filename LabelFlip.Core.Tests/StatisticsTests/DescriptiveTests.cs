using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Tests.StatisticsTests;

[Properties(Arbitrary = [typeof(StatisticsGenerators)])]
public class DescriptiveTests
{
    [Fact]
    public void Mean_and_standard_deviation_match_hand_computed_values()
    {
        Assert.Equal(2.5, Descriptive.Mean([1, 2, 3, 4]));
        // Mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, over n − 1 = 7.
        Assert.Equal(Math.Sqrt(32.0 / 7.0), Descriptive.StandardDeviation([2, 4, 4, 4, 5, 5, 7, 9]));
        Assert.Equal(0.0, Descriptive.StandardDeviation([3, 3, 3]));
        // Two-pass: a large common offset does not swamp the spread.
        Assert.Equal(1.0, Descriptive.StandardDeviation([1e9 + 1, 1e9 + 2, 1e9 + 3]));
    }

    [Fact]
    public void The_sum_is_plain_left_to_right()
    {
        // Left to right: 1e16 + 1 rounds back to 1e16 twice, then cancels to 0. A compensated or reordered sum
        // would give 0.5.
        Assert.Equal(0.0, Descriptive.Mean([1e16, 1, 1, -1e16]));
        Assert.Equal(0.5, Descriptive.Mean([1, 1, 1e16, -1e16]));
    }

    [Fact]
    public void Type_7_quantiles_match_hand_computed_values()
    {
        double[] five = [3, 1, 5, 2, 4];
        Assert.Equal(1.0, Descriptive.Quantile(five, 0));
        Assert.Equal(2.0, Descriptive.Quantile(five, 0.25));      // h = 1
        Assert.Equal(2.25, Descriptive.Quantile(five, 0.3125));   // h = 1.25: 0.75·2 + 0.25·3
        Assert.Equal(3.0, Descriptive.Quantile(five, 0.5));
        Assert.Equal(4.6, Descriptive.Quantile(five, 0.9), 1e-14); // h = 3.6
        Assert.Equal(5.0, Descriptive.Quantile(five, 1));
        // R: quantile(c(10, 20, 30, 40), c(0.1, 0.5, 0.9)) gives 13, 25, 37.
        double[] four = [40, 10, 30, 20];
        Assert.Equal(13.0, Descriptive.Quantile(four, 0.1), 1e-12);
        Assert.Equal(25.0, Descriptive.Quantile(four, 0.5));
        Assert.Equal(37.0, Descriptive.Quantile(four, 0.9), 1e-12);
        Assert.Equal(2.5, Descriptive.Median([4, 1, 3, 2]));
        Assert.Equal(3.0, Descriptive.Median([5, 1, 3]));
        Assert.Equal(7.0, Descriptive.Median([7]));
        Assert.Equal([40.0, 10, 30, 20], four); // the input is left untouched
    }

    [Fact]
    public void Quantiles_are_rank_based_with_infinities()
    {
        double inf = double.PositiveInfinity;
        Assert.Equal(2.0, Descriptive.Median([inf, 1, 2]));
        Assert.Equal(inf, Descriptive.Quantile([1, 2, inf], 0.75));  // interpolates towards +∞
        Assert.Equal(2.0, Descriptive.Quantile([1, 2, inf], 0.5));   // falls exactly on 2
        Assert.Equal(inf, Descriptive.Quantile([1, 2, inf], 1));
        Assert.Equal(inf, Descriptive.Median([inf, inf]));           // not ∞ − ∞ = NaN
        Assert.Equal(1.0, Descriptive.Median([-inf, 1, inf]));
        Assert.Equal(-inf, Descriptive.Quantile([-inf, 1, inf], 0.25));
        Assert.Equal(inf, Descriptive.Quantile([-inf, inf], 0.5));    // documented: towards +∞ wins
        Assert.Equal(1.5, Descriptive.Quantile([1, 2, inf, inf], 1.0 / 6)); // h = 0.5 between finite values
    }

    [Fact]
    public void Bad_input_is_refused_naming_the_parameter()
    {
        Assert.Throws<ArgumentException>("values", () => Descriptive.Mean([]));
        Assert.Throws<ArgumentException>("values", () => Descriptive.Mean([1, double.NaN]));
        Assert.Throws<ArgumentException>("values", () => Descriptive.Mean([1, double.PositiveInfinity]));
        Assert.Throws<ArgumentException>("values", () => Descriptive.StandardDeviation([1]));
        Assert.Throws<ArgumentException>("values", () => Descriptive.Median([]));
        Assert.Throws<ArgumentException>("values", () => Descriptive.Quantile([1, double.NaN], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>("probability", () => Descriptive.Quantile([1], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>("probability", () => Descriptive.Quantile([1], -0.1));
        Assert.Throws<ArgumentOutOfRangeException>("probability", () => Descriptive.Quantile([1], double.NaN));
        Assert.Throws<ArgumentException>("sortedValues", () => Descriptive.QuantileOfSorted([2, 1], 0.5));
        Assert.Throws<ArgumentException>("sortedValues", () => Descriptive.QuantileOfSorted([], 0.5));
    }

    [Property]
    public Property Quantile_matches_the_plain_definition_bit_for_bit(QuantileCase c)
    {
        // Plain reference: sort, h = (n − 1)p, interpolate between the neighbours with R's arithmetic.
        double[] sorted = c.Values.OrderBy(x => x).ToArray();
        double h = (sorted.Length - 1) * c.Probability;
        int j = (int)Math.Floor(h);
        double g = h - j;
        double expected = g == 0 || sorted[j] == sorted[Math.Min(j + 1, sorted.Length - 1)]
            ? sorted[j]
            : (1 - g) * sorted[j] + g * sorted[j + 1];
        double actual = Descriptive.Quantile(c.Values, c.Probability);
        return (BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual)).Label($"reference {expected:R}, got {actual:R}")
            .And((actual >= sorted[0] && actual <= sorted[^1]).Label("within the sample's range"))
            .And((Descriptive.QuantileOfSorted(sorted, c.Probability) == actual).Label("sorted overload agrees"));
    }

    [Property]
    public Property Mean_matches_a_plain_left_to_right_loop(QuantileCase c)
    {
        double sum = 0;
        for (int i = 0; i < c.Values.Length; i++)
            sum += c.Values[i];
        return (Descriptive.Mean(c.Values) == sum / c.Values.Length).ToProperty();
    }
}
