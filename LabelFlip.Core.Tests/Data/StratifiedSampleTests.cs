using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Data;

/// <summary>A pool's labels over k classes, a sample size in [1, n] and a seed.</summary>
public sealed record StratifiedCase(int[] Labels, int ClassCount, int SampleCount, ulong Seed)
{
    /// <inheritdoc />
    public override string ToString() => $"StratifiedCase(labels=[{string.Join(",", Labels)}], k={ClassCount}, n={SampleCount}, seed={Seed})";
}

/// <summary>Valid stratified-sampling problems, built directly.</summary>
public static class StratifiedGenerators
{
    /// <summary>1 to 300 labels over 2 to 10 classes (some possibly absent), a size in [1, rows] and a seed.</summary>
    public static Arbitrary<StratifiedCase> StratifiedCases() =>
        Arb.From(
            from classCount in Gen.Choose(2, 10)
            from rows in Gen.Choose(1, 300)
            from labels in Gen.Choose(0, classCount - 1).ArrayOf(rows)
            from sampleCount in Gen.Choose(1, rows)
            from seed in Gen.Choose(int.MinValue, int.MaxValue)
            select new StratifiedCase(labels, classCount, sampleCount, (ulong)(uint)seed));
}

[Properties(Arbitrary = [typeof(StratifiedGenerators)])]
public class StratifiedSampleTests
{
    // 20 rows: labels of 3 classes (8 of class 0, 7 of class 1, 5 of class 2) in a mixed order.
    private static readonly int[] s_labels = [0, 1, 2, 0, 1, 0, 2, 1, 0, 0, 1, 2, 0, 1, 1, 2, 0, 1, 2, 0];

    private static Dataset Pool(int[] labels, int classCount) =>
        new(Enumerable.Range(0, labels.Length).Select(i => (float)i).ToArray(), labels, 1, classCount);

    [Fact]
    public void Pinned_case_draws_the_same_rows_on_every_machine()
    {
        // Quotas for 9 of (8, 7, 5) / 20: 3.6, 3.15, 2.25 → 3, 3, 2, plus one for class 0 (largest remainder).
        int[] rows = StratifiedSample.DrawRows(Pool(s_labels, 3), 9, new RandomSource(42, StreamKey.Of("subset")));
        Assert.Equal([0, 3, 4, 6, 10, 12, 16, 17, 18], rows);
    }

    [Fact]
    public void Pinned_case_follows_the_documented_draw_order()
    {
        // The documented order written out by hand: class by class, positions among that class's rows.
        var random = new RandomSource(42, StreamKey.Of("subset"));
        int[] quotas = [4, 3, 2];
        var expected = new List<int>();
        for (int c = 0; c < 3; c++)
        {
            int[] classRows = Enumerable.Range(0, s_labels.Length).Where(r => s_labels[r] == c).ToArray();
            expected.AddRange(random.SampleWithoutReplacement(classRows.Length, quotas[c]).Select(p => classRows[p]));
        }
        expected.Sort();

        Assert.Equal(quotas, StratifiedSample.Quotas([8, 7, 5], 9));
        Assert.Equal(expected, StratifiedSample.DrawRows(Pool(s_labels, 3), 9, new RandomSource(42, StreamKey.Of("subset"))));
    }

    [Fact]
    public void Draw_returns_the_chosen_rows_with_their_features_and_labels()
    {
        Dataset pool = Pool(s_labels, 3);
        Dataset sample = StratifiedSample.Draw(pool, 9, new RandomSource(42, StreamKey.Of("subset")));
        int[] rows = [0, 3, 4, 6, 10, 12, 16, 17, 18];
        Assert.Equal(rows.Select(r => (float)r), sample.Features.ToArray());
        Assert.Equal(rows.Select(r => s_labels[r]), sample.Labels.ToArray());
        Assert.Equal([4, 3, 2], sample.CountPerClass());
    }

    [Theory]
    [InlineData(new[] { 6000, 6000, 6000 }, 1000, new[] { 334, 333, 333 })]
    [InlineData(new[] { 1, 1, 1, 1 }, 2, new[] { 1, 1, 0, 0 })]
    [InlineData(new[] { 10, 0, 30 }, 40, new[] { 10, 0, 30 })]
    [InlineData(new[] { 10, 0, 30 }, 0, new[] { 0, 0, 0 })]
    [InlineData(new[] { 5, 3, 2 }, 5, new[] { 3, 1, 1 })] // 2.5, 1.5, 1.0: the tie of remainders goes to class 0
    [InlineData(new[] { 2, 5, 3 }, 5, new[] { 1, 3, 1 })] // 1.0, 2.5, 1.5: class 1 before class 2 on the tie
    public void Quotas_are_largest_remainder_with_ties_to_the_lower_class(int[] counts, int n, int[] expected)
    {
        Assert.Equal(expected, StratifiedSample.Quotas(counts, n));
    }

    [Property(MaxTest = 200)]
    public Property Sample_has_the_quotas_distinct_rows_and_is_reproducible(StratifiedCase c)
    {
        Dataset pool = Pool(c.Labels, c.ClassCount);
        int n = c.SampleCount;
        int[] rows = StratifiedSample.DrawRows(pool, n, new RandomSource(c.Seed));
        int[] again = StratifiedSample.DrawRows(pool, n, new RandomSource(c.Seed));
        int[] counts = pool.CountPerClass();
        int[] quotas = StratifiedSample.Quotas(counts, n);
        int[] drawn = new int[c.ClassCount];
        foreach (int r in rows)
            drawn[c.Labels[r]]++;
        bool withinOne = Enumerable.Range(0, c.ClassCount)
            .All(k => Math.Abs(quotas[k] - (double)n * counts[k] / c.Labels.Length) < 1.0);
        return (rows.Length == n).Label("size")
            .And(rows.Zip(rows.Skip(1)).All(p => p.First < p.Second).Label("distinct, ascending"))
            .And(drawn.SequenceEqual(quotas).Label("each class gets its quota"))
            .And(withinOne.Label("each quota within one row of the proportional share"))
            .And(rows.SequenceEqual(again).Label("same stream, same rows"));
    }

    [Fact]
    public void The_whole_pool_is_every_row()
    {
        Assert.Equal(Enumerable.Range(0, 20), StratifiedSample.DrawRows(Pool(s_labels, 3), 20, new RandomSource(1)));
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        Dataset pool = Pool(s_labels, 3);
        Assert.Throws<ArgumentOutOfRangeException>("sampleCount", () => StratifiedSample.DrawRows(pool, 0, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("sampleCount", () => StratifiedSample.DrawRows(pool, 21, new RandomSource(1)));
        Assert.Throws<ArgumentNullException>("pool", () => StratifiedSample.Draw(null!, 1, new RandomSource(1)));
        Assert.Throws<ArgumentNullException>("random", () => StratifiedSample.Draw(pool, 1, null!));
        Assert.Throws<ArgumentException>("classCounts", () => StratifiedSample.Quotas([], 0));
        Assert.Throws<ArgumentException>("classCounts", () => StratifiedSample.Quotas([0, 0], 0));
        Assert.Throws<ArgumentOutOfRangeException>("classCounts", () => StratifiedSample.Quotas([3, -1], 1));
        Assert.Throws<ArgumentOutOfRangeException>("sampleCount", () => StratifiedSample.Quotas([3, 1], 5));
    }
}
