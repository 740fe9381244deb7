using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Poisoning;

[Properties(Arbitrary = [typeof(Generators)])]
public class UniformLabelFlipTests
{
    [Property(MaxTest = 300)]
    public Property Flips_exactly_round_n_p_labels_to_other_classes_and_nothing_else(PoisonCase c)
    {
        int[] original = (int[])c.Labels.Clone();
        PoisonResult result = new UniformLabelFlip(c.Fraction).Poison(c.Labels, c.ClassCount, new RandomSource(c.Seed));
        int expectedCount = (int)Math.Round(c.Labels.Length * c.Fraction, MidpointRounding.ToEven);
        var flipped = result.FlippedRows.ToHashSet();
        bool othersUntouched = Enumerable.Range(0, c.Labels.Length).Where(i => !flipped.Contains(i)).All(i => result.Labels[i] == c.Labels[i]);
        bool flippedChanged = result.FlippedRows.All(i => result.Labels[i] != c.Labels[i]);
        return (result.FlippedCount == expectedCount).Label($"count {result.FlippedCount} = round(n·p) = {expectedCount}")
            .And((flipped.Count == result.FlippedCount).Label("rows distinct"))
            .And(result.FlippedRows.SequenceEqual(result.FlippedRows.Order()).Label("rows ascending"))
            .And(flippedChanged.Label("never flipped to the original class"))
            .And(othersUntouched.Label("no other label touched"))
            .And(result.Labels.All(l => l >= 0 && l < c.ClassCount).Label("labels in range"))
            .And(c.Labels.SequenceEqual(original).Label("input unchanged"));
    }

    [Property(MaxTest = 100)]
    public Property Same_seed_same_poison(PoisonCase c)
    {
        var flip = new UniformLabelFlip(c.Fraction);
        PoisonResult a = flip.Poison(c.Labels, c.ClassCount, new RandomSource(c.Seed));
        PoisonResult b = flip.Poison(c.Labels, c.ClassCount, new RandomSource(c.Seed));
        return (a.Labels.SequenceEqual(b.Labels) && a.FlippedRows.SequenceEqual(b.FlippedRows)).ToProperty();
    }

    [Fact]
    public void Different_seeds_flip_different_rows()
    {
        int[] labels = new int[350];
        var flip = new UniformLabelFlip(0.1);
        PoisonResult a = flip.Poison(labels, 5, new RandomSource(1));
        PoisonResult b = flip.Poison(labels, 5, new RandomSource(2));
        Assert.NotEqual(a.FlippedRows.ToArray(), b.FlippedRows.ToArray());
    }

    [Theory]
    [InlineData(350, 0.05, 18)]  // 17.5 rounds half to even: 18
    [InlineData(250, 0.01, 2)]   // 2.5 rounds half to even: 2
    [InlineData(350, 0.01, 4)]   // 3.5 → 4
    [InlineData(350, 0.5, 175)]
    [InlineData(350, 0.0, 0)]
    [InlineData(350, 1.0, 350)]
    [InlineData(0, 0.5, 0)]
    public void Flip_count_rounds_half_to_even(int n, double p, int expected) =>
        Assert.Equal(expected, UniformLabelFlip.FlipCount(n, p));

    [Fact]
    public void New_classes_are_uniform_over_the_other_classes()
    {
        const int K = 5;
        int[] labels = new int[1000]; // all class 0: every flip goes to 1, 2, 3 or 4
        long[] counts = new long[K];
        var flip = new UniformLabelFlip(0.5);
        var random = new RandomSource(2024);
        for (int trial = 0; trial < 100; trial++)
        {
            PoisonResult result = flip.Poison(labels, K, random);
            foreach (int row in result.FlippedRows)
                counts[result.Labels[row]]++;
        }
        Assert.Equal(0, counts[0]);
        Assert.InRange(Statistics.ChiSquareUniform(counts.AsSpan(1)), 0, Statistics.ChiSquareCritical(K - 2));
    }

    [Fact]
    public void Rows_are_chosen_uniformly()
    {
        int[] labels = new int[20];
        long[] hits = new long[20];
        var flip = new UniformLabelFlip(0.25);
        var random = new RandomSource(77);
        for (int trial = 0; trial < 40_000; trial++)
        {
            foreach (int row in flip.Poison(labels, 3, random).FlippedRows)
                hits[row]++;
        }
        Assert.InRange(Statistics.ChiSquareUniform(hits), 0, Statistics.ChiSquareCritical(19));
    }

    [Fact]
    public void Dataset_overload_matches_the_label_overload_and_leaves_the_dataset_alone()
    {
        Dataset data = GaussianClusters.Generate();
        int[] before = [.. data.Labels];
        var flip = new UniformLabelFlip(0.2);
        PoisonResult fromData = flip.Poison(data, new RandomSource(9));
        PoisonResult fromLabels = flip.Poison(before, data.ClassCount, new RandomSource(9));
        Assert.Equal(fromLabels.Labels.ToArray(), fromData.Labels.ToArray());
        Assert.Equal(fromLabels.FlippedRows.ToArray(), fromData.FlippedRows.ToArray());
        Assert.Equal(before, data.Labels.ToArray());
    }

    [Fact]
    public void Bad_arguments_name_the_parameter_and_range()
    {
        var random = new RandomSource(1);
        var tooBig = Assert.Throws<ArgumentOutOfRangeException>("fraction", () => new UniformLabelFlip(1.5));
        Assert.Contains("[0, 1]", tooBig.Message);
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => new UniformLabelFlip(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => new UniformLabelFlip(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => new UniformLabelFlip(0.1).Poison([0, 0], 1, random));
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => new UniformLabelFlip(0.1).Poison([0, 5], 5, random));
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => new UniformLabelFlip(0.1).Poison([-1], 5, random));
        Assert.Throws<ArgumentNullException>("random", () => new UniformLabelFlip(0.1).Poison([0], 2, null!));
    }
}
