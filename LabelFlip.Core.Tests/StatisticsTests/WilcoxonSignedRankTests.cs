using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Random;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Tests.StatisticsTests;

[Properties(Arbitrary = [typeof(StatisticsGenerators)])]
public class WilcoxonSignedRankTests
{
    /// <summary>
    /// The plain reference: mid-ranks by counting, then all 2ⁿ sign assignments enumerated. Ranks are kept
    /// doubled (integers), so the tail counts and the p-value (count / 2ⁿ, a power-of-two scaling) are exact.
    /// </summary>
    private static (double Statistic, double PValue, int RankedCount) Enumerate(double[] differences, bool pratt)
    {
        double[] population = pratt ? differences : differences.Where(d => d != 0).ToArray();
        var ranks = new List<int>();
        int positive = 0;
        foreach (double d in population)
        {
            if (d == 0)
                continue;
            double a = Math.Abs(d);
            int below = population.Count(x => Math.Abs(x) < a), equal = population.Count(x => Math.Abs(x) == a);
            int doubledRank = 2 * below + equal + 1; // 2 · (below + (equal + 1)/2)
            ranks.Add(doubledRank);
            if (d > 0)
                positive += doubledRank;
        }
        int n = ranks.Count;
        long lower = 0, upper = 0;
        for (long mask = 0; mask < 1L << n; mask++)
        {
            int sum = 0;
            for (int i = 0; i < n; i++)
            {
                if ((mask >> i & 1) != 0)
                    sum += ranks[i];
            }
            if (sum <= positive)
                lower++;
            if (sum >= positive)
                upper++;
        }
        double p = n == 0 ? 1 : Math.Min(1.0, 2.0 * Math.Min(lower, upper) / Math.Pow(2, n));
        return (positive / 2.0, p, n);
    }

    [Fact]
    public void Depression_data_give_Rs_published_result()
    {
        // R's ?wilcox.test example (Hollander and Wolfe, depression scale before and after therapy):
        // V = 40, p-value = 0.03906 (exact: 20/512); exact = FALSE gives 0.04401 (checked with mpmath).
        double[] x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        double[] y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        WilcoxonResult exact = WilcoxonSignedRank.Test(x, y);
        Assert.Equal(40.0, exact.Statistic);
        Assert.Equal(20.0 / 512, exact.PValue);
        Assert.Equal((9, 0, 9, 22.5, 9 * 10 * 19 / 24.0, false, WilcoxonMethod.Exact),
            (exact.PairCount, exact.ZeroCount, exact.RankedCount, exact.ExpectedStatistic, exact.Variance, exact.HasTies, exact.Method));

        WilcoxonResult normal = WilcoxonSignedRank.Test(x, y, method: WilcoxonMethod.NormalApproximation);
        Assert.Equal(WilcoxonMethod.NormalApproximation, normal.Method);
        Assert.Equal(0.04401098401295144, normal.PValue, 1e-15);
    }

    [Theory]
    // Smallest two-sided p-values (all differences positive): 2 / 2ⁿ, the classic table's boundary cases.
    [InlineData(5, 0.0625)]
    [InlineData(6, 0.03125)]
    [InlineData(10, 2.0 / 1024)]
    public void All_positive_differences_give_two_over_two_to_the_n(int n, double expected)
    {
        double[] differences = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        Assert.Equal(expected, WilcoxonSignedRank.Test(differences).PValue);
        Assert.Equal(expected, WilcoxonSignedRank.Test(differences.Select(d => -d).ToArray()).PValue);
    }

    [Fact]
    public void Critical_values_from_the_published_table_hold()
    {
        // Two-sided α = 0.05 critical values of min(V, n(n+1)/2 − V) (e.g. Hollander and Wolfe's table):
        // n = 8: 3, n = 10: 8, n = 12: 13. At the critical value p ≤ 0.05; one above it p > 0.05.
        foreach (var (n, critical) in new[] { (8, 3), (10, 8), (12, 13) })
        {
            Assert.True(PValueAt(n, critical) <= 0.05, $"n={n}, T={critical}");
            Assert.True(PValueAt(n, critical + 1) > 0.05, $"n={n}, T={critical + 1}");
        }
    }

    // A sample of ranks 1..n whose negative ranks sum to t (greedy from the top).
    private static double PValueAt(int n, int t)
    {
        double[] d = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        for (int r = n; r >= 1 && t > 0; r--)
        {
            if (r <= t)
            {
                d[r - 1] = -r;
                t -= r;
            }
        }
        return WilcoxonSignedRank.Test(d).PValue;
    }

    [Fact]
    public void Zero_handling_matches_hand_counts()
    {
        double[] d = [0, 1, -2, 3];
        // Discard: ranks 1, 2, 3 for 1, −2, 3: V = 1 + 3 = 4 over sums {0,1,2,3,3,4,5,6}: P(V′ ≥ 4) = 3/8.
        WilcoxonResult discard = WilcoxonSignedRank.Test(d);
        Assert.Equal((4.0, 0.75, 3, 1), (discard.Statistic, discard.PValue, discard.RankedCount, discard.ZeroCount));
        // Pratt: the zero takes rank 1, so 1, −2, 3 rank 2, 3, 4: V = 6 over {0,2,3,4,5,6,7,9}: P(V′ ≥ 6) = 3/8.
        WilcoxonResult pratt = WilcoxonSignedRank.Test(d, WilcoxonZeroHandling.Pratt);
        Assert.Equal((6.0, 0.75, 3, 4.5), (pratt.Statistic, pratt.PValue, pratt.RankedCount, pratt.ExpectedStatistic));
        // All zeros: nothing to rank, no evidence.
        WilcoxonResult none = WilcoxonSignedRank.Test([0.0, 0.0]);
        Assert.Equal((1.0, 0, 2), (none.PValue, none.RankedCount, none.ZeroCount));
        Assert.Equal(1.0, WilcoxonSignedRank.Test([]).PValue);
    }

    [Fact]
    public void Censored_pairs_rank_above_finite_ones()
    {
        double inf = double.PositiveInfinity;
        // first reaches no threshold twice (+∞ against finite: the largest differences); ∞ vs ∞ is a zero.
        WilcoxonResult result = WilcoxonSignedRank.Test([inf, inf, 0.3, 0.2, inf], [0.1, 0.2, 0.1, 0.25, inf]);
        // Differences +∞, +∞, 0.2, −0.05, 0: ranks 3.5, 3.5, 2, 1 → V = 9.
        Assert.Equal((9.0, 1, true), (result.Statistic, result.ZeroCount, result.HasTies));
        Assert.Equal(Enumerate([inf, inf, 0.2, -0.05, 0], pratt: false).PValue, result.PValue);
    }

    [Property]
    public Property Exact_p_values_match_full_enumeration(DifferencesCase c)
    {
        var discard = Enumerate(c.Differences, pratt: false);
        var pratt = Enumerate(c.Differences, pratt: true);
        WilcoxonResult d = WilcoxonSignedRank.Test(c.Differences);
        WilcoxonResult p = WilcoxonSignedRank.Test(c.Differences, WilcoxonZeroHandling.Pratt, WilcoxonMethod.Exact);
        return (d.PValue == discard.PValue).Label($"discard p {d.PValue:R} vs {discard.PValue:R}")
            .And((d.Statistic == discard.Statistic).Label("discard V"))
            .And((d.RankedCount == discard.RankedCount).Label("discard n"))
            .And((p.PValue == pratt.PValue).Label($"Pratt p {p.PValue:R} vs {pratt.PValue:R}"))
            .And((p.Statistic == pratt.Statistic).Label("Pratt V"))
            .And((d.Method == WilcoxonMethod.Exact).Label("small n is exact"));
    }

    [Property]
    public Property Normal_approximation_follows_Rs_formula(DifferencesCase c)
    {
        // R: z = (V − n(n+1)/4 − ½·sign) / √(n(n+1)(2n+1)/24 − Σ(t³ − t)/48), p = 2·min(Φ(z), 1 − Φ(z)).
        double[] nonZero = c.Differences.Where(d => d != 0).ToArray();
        int n = nonZero.Length;
        WilcoxonResult result = WilcoxonSignedRank.Test(c.Differences, method: WilcoxonMethod.NormalApproximation);
        if (n == 0)
            return (result.PValue == 1).Label("nothing ranked");
        double ties = nonZero.GroupBy(Math.Abs).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        double sigma = Math.Sqrt(n * (n + 1) * (2 * n + 1) / 24.0 - ties / 48);
        double centred = result.Statistic - n * (n + 1) / 4.0;
        double z = (centred - 0.5 * Math.Sign(centred)) / sigma;
        // Φ itself is checked against high-precision values in StandardNormalTests.
        double expected = Math.Min(1, 2 * StandardNormal.Cdf(-Math.Abs(z)));
        return (Math.Abs(result.PValue - expected) <= 1e-13 * expected).Label($"{result.PValue:R} vs {expected:R}")
            .And((Math.Abs(result.Variance - sigma * sigma) <= 1e-13 * sigma * sigma).Label("tie-corrected variance"))
            .And((result.HasTies == nonZero.GroupBy(Math.Abs).Any(g => g.Count() > 1)).Label("ties flagged"));
    }

    [Fact]
    public void Normal_approximation_is_close_to_exact_at_n_20_to_25()
    {
        var random = new RandomSource(20, StreamKey.Of("wilcoxon-normal"));
        double worst = 0;
        for (int n = 20; n <= 25; n++)
        {
            for (int trial = 0; trial < 50; trial++)
            {
                // Ranks 1..n with random signs, shifted so the p-values span the whole range.
                double shift = random.NextDouble(-0.6, 0.6);
                double[] d = Enumerable.Range(1, n).Select(i => (random.NextDouble() < 0.5 + shift * i / n ? 1 : -1) * (double)i).ToArray();
                double exact = WilcoxonSignedRank.Test(d, method: WilcoxonMethod.Exact).PValue;
                double normal = WilcoxonSignedRank.Test(d, method: WilcoxonMethod.NormalApproximation).PValue;
                worst = Math.Max(worst, Math.Abs(exact - normal));
            }
        }
        // With the continuity correction the approximation is within 0.01 of the exact p-value here
        // (largest difference over all V at these n: 0.0083).
        Assert.InRange(worst, 0, 0.01);
    }

    [Fact]
    public void Automatic_switches_to_the_normal_approximation_above_the_limit()
    {
        double[] small = Enumerable.Range(1, WilcoxonSignedRank.DefaultExactLimit).Select(i => i % 3 == 0 ? -i : (double)i).ToArray();
        double[] large = Enumerable.Range(1, WilcoxonSignedRank.DefaultExactLimit + 1).Select(i => i % 3 == 0 ? -i : (double)i).ToArray();
        Assert.Equal(WilcoxonMethod.Exact, WilcoxonSignedRank.Test(small).Method);
        Assert.Equal(WilcoxonMethod.NormalApproximation, WilcoxonSignedRank.Test(large).Method);
        // Exact stays available above the automatic limit, up to the 64-bit counting limit.
        double[] sixty = Enumerable.Range(1, 60).Select(i => i % 3 == 0 ? -i : (double)i).ToArray();
        WilcoxonResult exact = WilcoxonSignedRank.Test(sixty, method: WilcoxonMethod.Exact);
        double normal = WilcoxonSignedRank.Test(sixty, method: WilcoxonMethod.NormalApproximation).PValue;
        Assert.InRange(exact.PValue, normal - 0.005, normal + 0.005);
    }

    [Fact]
    public void Bad_input_is_refused_naming_the_parameter()
    {
        Assert.Throws<ArgumentException>("differences", () => WilcoxonSignedRank.Test([1, double.NaN]));
        Assert.Throws<ArgumentException>("second", () => WilcoxonSignedRank.Test([1, 2], [1]));
        Assert.Throws<ArgumentException>("first", () => WilcoxonSignedRank.Test([double.NaN], [1]));
        Assert.Throws<ArgumentException>("second", () => WilcoxonSignedRank.Test([1], [double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>("zeroHandling", () => WilcoxonSignedRank.Test([1], (WilcoxonZeroHandling)7));
        Assert.Throws<ArgumentOutOfRangeException>("method", () => WilcoxonSignedRank.Test([1], method: (WilcoxonMethod)7));
        double[] tooMany = Enumerable.Range(1, WilcoxonSignedRank.MaxExactCount + 1).Select(i => (double)i).ToArray();
        Assert.Throws<ArgumentException>("method", () => WilcoxonSignedRank.Test(tooMany, method: WilcoxonMethod.Exact));
    }
}
