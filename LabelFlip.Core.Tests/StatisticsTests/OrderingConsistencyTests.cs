using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Tests.StatisticsTests;

public class OrderingConsistencyTests
{
    [Fact]
    public void Counts_a_hand_case_with_censored_values()
    {
        double inf = double.PositiveInfinity;
        OrderingConsistency counts = OrderingConsistency.Of([0.3, 0.2, inf, inf, 0.1, 0.5], [0.1, 0.2, 0.4, inf, inf, 0.4]);
        Assert.Equal(new OrderingConsistency(3, 1, 2), counts);
        Assert.Equal(6, counts.Total);
        Assert.Equal("holds in 3 of 6 (1 reversed, 2 tied)", counts.ToString());
        Assert.Equal(0, OrderingConsistency.Of([], []).Total);
    }

    [Fact]
    public void Bad_input_is_refused_naming_the_parameter()
    {
        Assert.Throws<ArgumentException>("second", () => OrderingConsistency.Of([1, 2], [1]));
        Assert.Throws<ArgumentException>("first", () => OrderingConsistency.Of([double.NaN], [1]));
        Assert.Throws<ArgumentException>("second", () => OrderingConsistency.Of([1], [double.NaN]));
    }
}
