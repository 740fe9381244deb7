using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Tests.StatisticsTests;

public class HolmCorrectionTests
{
    [Fact]
    public void Adjusts_a_hand_computed_case()
    {
        // Sorted: 0.005·4 = 0.02; 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → running max 0.06.
        double[] adjusted = HolmCorrection.Adjust([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([3 * 0.01, 2 * 0.03, 2 * 0.03, 4 * 0.005], adjusted);
        // At α = 0.05 Holm rejects the first and the last only.
        Assert.Equal([true, false, false, true], adjusted.Select(p => p <= 0.05));
    }

    [Fact]
    public void Handles_ties_caps_and_empty_input()
    {
        Assert.Equal([3 * 0.02, 3 * 0.02, 0.5], HolmCorrection.Adjust([0.02, 0.02, 0.5]));
        Assert.Equal([0.8, 0.8], HolmCorrection.Adjust([0.4, 0.6]));
        Assert.Equal([1.0, 1.0], HolmCorrection.Adjust([0.6, 0.9]));
        Assert.Equal([0.0, 0.5], HolmCorrection.Adjust([0.0, 0.5]));
        Assert.Empty(HolmCorrection.Adjust([]));
    }

    [Fact]
    public void Bad_input_is_refused_naming_the_parameter()
    {
        Assert.Throws<ArgumentException>("pValues", () => HolmCorrection.Adjust([0.1, 1.5]));
        Assert.Throws<ArgumentException>("pValues", () => HolmCorrection.Adjust([double.NaN]));
        Assert.Throws<ArgumentException>("pValues", () => HolmCorrection.Adjust([-0.01]));
        Assert.Throws<ArgumentException>("destination", () => HolmCorrection.Adjust([0.1, 0.2], new double[1]));
    }

    [Property]
    public Property Matches_Rs_p_adjust_formula(int[] raw)
    {
        // R: o = order(p); pmin(1, cummax((m − i + 1) · p[o]))[order(o)], written plainly.
        double[] p = raw.Select(r => (r & 0xFFFF) / 65535.0).ToArray();
        int m = p.Length;
        int[] order = Enumerable.Range(0, m).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
        double[] expected = new double[m];
        double running = 0;
        for (int i = 0; i < m; i++)
        {
            running = Math.Max(running, Math.Min(1, (m - i) * p[order[i]]));
            expected[order[i]] = running;
        }
        double[] actual = HolmCorrection.Adjust(p);
        return expected.SequenceEqual(actual).Label("same as the reference")
            .And(actual.Zip(p).All(t => t.First >= t.Second && t.First <= 1).Label("between raw p and 1"));
    }
}
