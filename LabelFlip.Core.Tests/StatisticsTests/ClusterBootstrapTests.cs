using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Random;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Tests.StatisticsTests;

[Properties(Arbitrary = [typeof(StatisticsGenerators)])]
public class ClusterBootstrapTests
{
    /// <summary>
    /// The documented scheme written plainly: per resample, per position, a draw then its seeds, all from
    /// NextInt; the statistic on the pooled values; type-7 bounds of the sorted replicates.
    /// </summary>
    private static (double Estimate, List<double> Replicates, double Lower, double Upper) Reference(
        double[][] values, Func<double[], double> statistic, ulong seed, int resamples, double level)
    {
        var random = new RandomSource(seed, StreamKey.Of("bootstrap"));
        double estimate = statistic(values.SelectMany(d => d).ToArray());
        var replicates = new List<double>();
        for (int b = 0; b < resamples; b++)
        {
            var pooled = new List<double>();
            for (int k = 0; k < values.Length; k++)
            {
                double[] draw = values[random.NextInt(values.Length)];
                for (int s = 0; s < draw.Length; s++)
                    pooled.Add(draw[random.NextInt(draw.Length)]);
            }
            replicates.Add(statistic(pooled.ToArray()));
        }
        double[] sorted = replicates.OrderBy(x => x).ToArray();
        return (estimate, replicates, PlainType7(sorted, (1 - level) / 2), PlainType7(sorted, (1 + level) / 2));
    }

    private static double PlainType7(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int j = (int)Math.Floor(h);
        double g = h - j;
        if (g == 0 || sorted[j] == sorted[j + 1])
            return sorted[j];
        if (double.IsPositiveInfinity(sorted[j + 1]))
            return double.PositiveInfinity;
        return (1 - g) * sorted[j] + g * sorted[j + 1];
    }

    private static double PlainMean(double[] values)
    {
        double sum = 0;
        foreach (double x in values)
            sum += x;
        return sum / values.Length;
    }

    private static double PlainMedian(double[] values)
    {
        double[] sorted = values.OrderBy(x => x).ToArray();
        return PlainType7(sorted, 0.5);
    }

    private static double[][] JaggedSample()
    {
        var random = new RandomSource(7, StreamKey.Of("test-data"));
        int[] seeds = [3, 1, 2, 5, 3, 3, 4];
        return seeds.Select(s => Enumerable.Range(0, s).Select(_ => Math.Round(random.NextGaussian(0.3, 0.05), 3)).ToArray()).ToArray();
    }

    private static void AssertSameBits(double expected, double actual) =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));

    [Theory]
    [InlineData(1UL, 200, 0.95)]
    [InlineData(2026UL, 1000, 0.9)]
    public void Matches_the_plain_reference_bit_for_bit(ulong seed, int resamples, double level)
    {
        double[][] values = JaggedSample();
        var (estimate, replicates, lower, upper) = Reference(values, PlainMean, seed, resamples, level);

        BootstrapResult result = ClusterBootstrap.Run(values, v => PlainMean(v.ToArray()),
            new RandomSource(seed, StreamKey.Of("bootstrap")), resamples, level);

        ConfidenceInterval interval = result.Interval();
        AssertSameBits(estimate, interval.Estimate);
        Assert.Equal(replicates.Select(BitConverter.DoubleToInt64Bits), result.Replicates().ToArray().Select(BitConverter.DoubleToInt64Bits));
        AssertSameBits(lower, interval.Lower);
        AssertSameBits(upper, interval.Upper);
        Assert.Equal((resamples, level, 0, 0), (interval.ResampleCount, interval.ConfidenceLevel, interval.CensoredHighCount, interval.CensoredLowCount));
        Assert.True(interval.Lower < interval.Estimate && interval.Estimate < interval.Upper);
    }

    [Fact]
    public void The_statistic_sees_valid_multisets_and_the_original_sample_first()
    {
        int[] seedCounts = [2, 1, 4, 3];
        var seen = new List<int>();
        BootstrapResult result = ClusterBootstrap.Run(seedCounts, 1, (resample, destination) =>
        {
            seen.Add(resample.Index);
            Assert.Equal(4, resample.DrawCount);
            int total = 0;
            for (int k = 0; k < resample.DrawCount; k++)
            {
                int d = resample.DrawIndices[k];
                ReadOnlySpan<int> seeds = resample.SeedIndices(k);
                Assert.Equal(seedCounts[d], seeds.Length);
                foreach (int s in seeds)
                    Assert.InRange(s, 0, seedCounts[d] - 1);
                if (resample.IsOriginal)
                {
                    Assert.Equal(k, d);
                    Assert.Equal(Enumerable.Range(0, seedCounts[d]), seeds.ToArray());
                }
                total += seeds.Length;
            }
            Assert.Equal(total, resample.AllSeedIndices.Length);
            destination[0] = resample.Index;
        }, new RandomSource(3), resampleCount: 50);

        Assert.Equal(Enumerable.Range(-1, 51), seen);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (double)i), result.Replicates().ToArray());
        Assert.Equal(-1.0, result.Interval().Estimate);
    }

    [Fact]
    public void Several_statistics_at_once_equal_separate_runs()
    {
        double[][] values = JaggedSample();
        int[] seedCounts = values.Select(d => d.Length).ToArray();
        double[] pooled = new double[64];
        BootstrapResult both = ClusterBootstrap.Run(seedCounts, 2, (resample, destination) =>
        {
            int n = Gather(values, resample, pooled);
            destination[0] = PlainMean(pooled[..n]);
            destination[1] = PlainMedian(pooled[..n]);
        }, new RandomSource(11), resampleCount: 300);

        BootstrapResult mean = ClusterBootstrap.Run(values, v => PlainMean(v.ToArray()), new RandomSource(11), 300);
        BootstrapResult median = ClusterBootstrap.Run(values, Descriptive.Median, new RandomSource(11), 300);

        Assert.Equal(2, both.StatisticCount);
        Assert.Equal(mean.Interval(), both.Interval(0));
        Assert.Equal(median.Interval(), both.Interval(1));
        Assert.Equal(median.Replicates().ToArray(), both.Replicates(1).ToArray());
    }

    private static int Gather(double[][] values, ClusterResample resample, double[] destination)
    {
        int n = 0;
        for (int k = 0; k < resample.DrawCount; k++)
        {
            foreach (int s in resample.SeedIndices(k))
                destination[n++] = values[resample.DrawIndices[k]][s];
        }
        return n;
    }

    // 300 resamples: four chunks of 64 shared among the threads, then a shorter one.
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Several_threads_give_the_bits_of_one(int threads)
    {
        double[][] values = JaggedSample();
        int[] seedCounts = values.Select(d => d.Length).ToArray();
        int made = 0, caller = Environment.CurrentManagedThreadId;
        ClusterStatistic Make()
        {
            Assert.Equal(caller, Environment.CurrentManagedThreadId); // made up front, on the calling thread
            made++;
            double[] pooled = new double[64];
            return (resample, destination) =>
            {
                int n = Gather(values, resample, pooled);
                destination[0] = PlainMean(pooled[..n]);
                destination[1] = resample.Index; // which resample each replicate came from
            };
        }

        BootstrapResult one = ClusterBootstrap.Run(seedCounts, 2, Make(), new RandomSource(5, StreamKey.Of("bootstrap")), 300);
        made = 0;
        BootstrapResult many = ClusterBootstrap.Run(seedCounts, 2, Make, new RandomSource(5, StreamKey.Of("bootstrap")), 300, 0.9, threads);
        BootstrapResult oneAtNinety = ClusterBootstrap.Run(seedCounts, 2, Make(), new RandomSource(5, StreamKey.Of("bootstrap")), 300, 0.9);

        Assert.Equal(threads, made - 1);
        Assert.Equal(one.Replicates(0).ToArray().Select(BitConverter.DoubleToInt64Bits), many.Replicates(0).ToArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Enumerable.Range(0, 300).Select(b => (double)b), many.Replicates(1).ToArray());
        Assert.Equal(oneAtNinety.Interval(0), many.Interval(0));
        Assert.Equal(one.Interval(0).Estimate, many.Interval(0).Estimate);

        Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism", () => ClusterBootstrap.Run(seedCounts, 1, Make, new RandomSource(1), 10, 0.95, 0));
        Assert.Throws<ArgumentNullException>("createStatistic", () => ClusterBootstrap.Run(seedCounts, 1, (Func<ClusterStatistic>)null!, new RandomSource(1), 10, 0.95, 2));
    }

    [Fact]
    public void Censored_values_give_rank_based_bounds_and_counts()
    {
        double inf = double.PositiveInfinity;
        // 10 draws × 2 seeds; 3 draws never reach the threshold and one reaches it once. The resample median
        // is +∞ when at least half the pooled values are, which about a fifth of the resamples reach.
        double[][] values =
        [
            [0.10, 0.12], [0.11, 0.13], [0.09, 0.10], [0.14, 0.12], [0.10, 0.11],
            [0.13, 0.15], [inf, inf], [inf, inf], [inf, inf], [inf, 0.16],
        ];
        var (estimate, replicates, lower, upper) = Reference(values, PlainMedian, 99, 2000, 0.95);
        BootstrapResult result = ClusterBootstrap.Run(values, Descriptive.Median, new RandomSource(99, StreamKey.Of("bootstrap")));

        ConfidenceInterval interval = result.Interval();
        Assert.Equal(replicates, result.Replicates().ToArray());
        AssertSameBits(estimate, interval.Estimate);
        AssertSameBits(lower, interval.Lower);
        AssertSameBits(upper, interval.Upper);
        int censored = replicates.Count(double.IsPositiveInfinity);
        Assert.Equal(censored, interval.CensoredHighCount);
        Assert.InRange(censored, 51, 1999); // more than 2.5%: the upper bound cannot be finite
        Assert.Equal(double.PositiveInfinity, interval.Upper);
        Assert.True(double.IsFinite(interval.Lower));
        Assert.Equal(2000 - censored, interval.FiniteCount);
        Assert.True(interval.Contains(1e300) && !interval.Contains(0.05));
    }

    [Fact]
    public void Constant_data_give_a_degenerate_interval()
    {
        double[][] values = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]];
        ConfidenceInterval interval = ClusterBootstrap.Run(values, Descriptive.Median, new RandomSource(1), 100).Interval();
        Assert.Equal((0.5, 0.5, 0.5), (interval.Estimate, interval.Lower, interval.Upper));
    }

    [Fact]
    public void The_interval_of_a_mean_has_the_textbook_width()
    {
        // 40 independent draws of N(0, 1), one seed each: the percentile interval of the mean should be about
        // ±1.96·s/√n wide; a wrong resampling scheme (or quantile) would miss by far more than 15%.
        var data = new RandomSource(5, StreamKey.Of("normal-data"));
        double[][] values = Enumerable.Range(0, 40).Select(_ => new[] { data.NextGaussian() }).ToArray();
        double[] flat = values.Select(v => v[0]).ToArray();
        double halfWidth = 1.96 * Descriptive.StandardDeviation(flat) / Math.Sqrt(40);
        ConfidenceInterval interval = ClusterBootstrap.Run(values, Descriptive.Mean, new RandomSource(6)).Interval();
        Assert.InRange((interval.Upper - interval.Lower) / 2, 0.85 * halfWidth, 1.15 * halfWidth);
        Assert.InRange(interval.Estimate, interval.Lower, interval.Upper);
    }

    [Fact]
    public void A_statistic_that_leaves_NaN_is_reported()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterBootstrap.Run([2, 2], 2,
            (resample, destination) => destination[0] = 1, new RandomSource(1), 10));
        Assert.Contains("slot 1", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => ClusterBootstrap.Run([[1.0], [2.0]],
            _ => double.NaN, new RandomSource(1), 10));
        Assert.Contains("original sample", error.Message);
        // On several threads too, as itself.
        error = Assert.Throws<InvalidOperationException>(() => ClusterBootstrap.Run([2, 2], 1,
            () => (resample, destination) => destination[0] = resample.Index == 70 ? double.NaN : 1, new RandomSource(1), 100, 0.95, 2));
        Assert.Contains("resample 70", error.Message);
    }

    [Fact]
    public void Resampling_allocates_nothing_per_resample()
    {
        double[][] values = JaggedSample();
        int[] seedCounts = values.Select(d => d.Length).ToArray();
        double[] pooled = new double[64];
        ClusterStatistic statistic = (resample, destination) => destination[0] = Gather(values, resample, pooled);
        long Allocated(int resamples)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            ClusterBootstrap.Run(seedCounts, 1, statistic, new RandomSource(1), resamples);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(10);
        Allocated(4000); // warm up every path
        long small = Allocated(1000), large = Allocated(4000);
        // Only the replicate array and its sorted copy grow: 2 × 8 bytes per resample, plus array headers.
        Assert.InRange(large - small, 0, 2 * 8 * 3000 + 256);
    }

    [Fact]
    public void Bad_input_is_refused_naming_the_parameter()
    {
        ClusterStatistic zero = (_, destination) => destination.Clear();
        var random = new RandomSource(1);
        Assert.Throws<ArgumentException>("seedCounts", () => ClusterBootstrap.Run([], 1, zero, random));
        Assert.Throws<ArgumentOutOfRangeException>("seedCounts", () => ClusterBootstrap.Run([2, 0], 1, zero, random));
        Assert.Throws<ArgumentOutOfRangeException>("statisticCount", () => ClusterBootstrap.Run([2], 0, zero, random));
        Assert.Throws<ArgumentNullException>("statistic", () => ClusterBootstrap.Run([2], 1, null!, random));
        Assert.Throws<ArgumentNullException>("random", () => ClusterBootstrap.Run([2], 1, zero, null!));
        Assert.Throws<ArgumentOutOfRangeException>("resampleCount", () => ClusterBootstrap.Run([2], 1, zero, random, 0));
        Assert.Throws<ArgumentOutOfRangeException>("resampleCount", () => ClusterBootstrap.Run([2], 3, zero, random, int.MaxValue / 2));
        Assert.Throws<ArgumentOutOfRangeException>("confidenceLevel", () => ClusterBootstrap.Run([2], 1, zero, random, 10, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>("confidenceLevel", () => ClusterBootstrap.Run([2], 1, zero, random, 10, double.NaN));
        Assert.Throws<ArgumentException>("values", () => ClusterBootstrap.Run(Array.Empty<double[]>(), Descriptive.Median, random));
        Assert.Throws<ArgumentException>("values", () => ClusterBootstrap.Run([[1.0], []], Descriptive.Median, random));
        Assert.Throws<ArgumentException>("values", () => ClusterBootstrap.Run([[1.0], [double.NaN]], Descriptive.Median, random));
        Assert.Throws<ArgumentNullException>("values", () => ClusterBootstrap.Run((IReadOnlyList<double[]>)null!, Descriptive.Median, random));
        BootstrapResult result = ClusterBootstrap.Run([2], 1, zero, random, 10);
        Assert.Throws<ArgumentOutOfRangeException>("statistic", () => result.Interval(1));
        Assert.Throws<ArgumentOutOfRangeException>("statistic", () => result.Replicates(-1).Length);
    }

    private static string Resamples(int[] seedCounts, ulong seed)
    {
        var trace = new System.Text.StringBuilder();
        ClusterBootstrap.Run(seedCounts, 1, (resample, destination) =>
        {
            trace.Append(string.Join(",", resample.DrawIndices.ToArray())).Append('|')
                .Append(string.Join(",", resample.AllSeedIndices.ToArray())).Append(';');
            destination[0] = 0;
        }, new RandomSource(seed, StreamKey.Of("bootstrap")), resampleCount: 20);
        return trace.ToString();
    }

    [Property]
    public Property Resampling_with_a_fixed_seed_is_deterministic(ClusterCase c)
    {
        BootstrapResult first = ClusterBootstrap.Run(c.Values, Descriptive.Median, new RandomSource(c.Seed), 50);
        BootstrapResult second = ClusterBootstrap.Run(c.Values, Descriptive.Median, new RandomSource(c.Seed), 50);
        int[] seedCounts = c.Values.Select(d => d.Length).ToArray();
        return (first.Replicates().SequenceEqual(second.Replicates())).Label("same replicates")
            .And((first.Interval() == second.Interval()).Label("same interval"))
            .And((Resamples(seedCounts, c.Seed) == Resamples(seedCounts, c.Seed)).Label("same resamples"))
            .And((!double.IsNaN(first.Interval().Lower) && !double.IsNaN(first.Interval().Upper)).Label("bounds are never NaN, even with +∞"))
            .And((first.Interval().CensoredHighCount == first.Replicates().ToArray().Count(double.IsPositiveInfinity)).Label("censored count"));
    }

    [Property]
    public Property Different_seeds_give_different_resamples(DistinctSeeds seeds)
    {
        // 6 draws of 3 seeds, 20 resamples: 20·6·4 draws of at least 3 outcomes each; equal traces by
        // chance would need odds far below 1e-100.
        int[] seedCounts = [3, 3, 3, 3, 3, 3];
        return (Resamples(seedCounts, seeds.First) != Resamples(seedCounts, seeds.Second)).ToProperty();
    }

    [Property]
    public Property Matches_the_plain_reference_on_random_samples(ClusterCase c)
    {
        var (estimate, replicates, lower, upper) = Reference(c.Values, PlainMedian, c.Seed, 40, 0.95);
        ConfidenceInterval interval = ClusterBootstrap.Run(c.Values, Descriptive.Median,
            new RandomSource(c.Seed, StreamKey.Of("bootstrap")), 40).Interval();
        return interval.Estimate.Equals(estimate).Label($"estimate {estimate} vs {interval.Estimate}")
            .And(interval.Lower.Equals(lower).Label($"lower {lower} vs {interval.Lower}"))
            .And(interval.Upper.Equals(upper).Label($"upper {upper} vs {interval.Upper}"))
            .And((interval.CensoredHighCount == replicates.Count(double.IsPositiveInfinity)).Label("censored count"));
    }
}
