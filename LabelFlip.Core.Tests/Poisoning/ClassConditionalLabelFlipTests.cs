using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Poisoning;

[Properties(Arbitrary = [typeof(Generators)])]
public class ClassConditionalLabelFlipTests
{
    // A family per seed, so one property covers them all: symmetric, pair, random asymmetric, targeted (one source, all).
    private static TransitionMatrix Family(PoisonCase c)
    {
        int k = c.ClassCount;
        return (c.Seed % 5) switch
        {
            0 => TransitionMatrix.Symmetric(k, c.Fraction),
            1 => TransitionMatrix.Pair(k, c.Fraction),
            2 => TransitionMatrix.RandomAsymmetric(k, c.Fraction, new RandomSource(c.Seed, 1)),
            3 => TransitionMatrix.Targeted(k, c.Fraction, targetClass: 0, sourceClass: k - 1),
            _ => TransitionMatrix.Targeted(k, c.Fraction, targetClass: 1),
        };
    }

    [Property(MaxTest = 300)]
    public Property Flips_exact_counts_per_class_and_reports_exactly_the_changed_rows(PoisonCase c)
    {
        int[] original = (int[])c.Labels.Clone();
        TransitionMatrix t = Family(c);
        PoisonResult result = new ClassConditionalLabelFlip(t).Poison(c.Labels, new RandomSource(c.Seed));
        int k = c.ClassCount;
        bool countsExact = true;
        for (int i = 0; i < k; i++)
        {
            int n = c.Labels.Count(l => l == i);
            int expected = ClassConditionalLabelFlip.FlipCount(n, t.FlipShare(i));
            int[] allotted = ClassConditionalLabelFlip.Apportion(t, i, expected);
            for (int j = 0; j < k; j++)
            {
                int realised = Enumerable.Range(0, c.Labels.Length).Count(r => c.Labels[r] == i && result.Labels[r] == j);
                countsExact &= j == i ? realised == n - expected : realised == allotted[j];
            }
        }
        int[] changed = [.. Enumerable.Range(0, c.Labels.Length).Where(r => result.Labels[r] != c.Labels[r])];
        return countsExact.Label("per class: round(n_i · share) flipped, allotted by largest remainders")
            .And(result.FlippedRows.SequenceEqual(changed).Label("flipped rows = the rows whose label changed, ascending"))
            .And(result.Labels.All(l => l >= 0 && l < k).Label("labels in range"))
            .And(c.Labels.SequenceEqual(original).Label("input unchanged"));
    }

    [Property(MaxTest = 100)]
    public Property Apportioned_counts_sum_to_the_count_and_follow_the_quotas(PoisonCase c)
    {
        TransitionMatrix t = TransitionMatrix.RandomAsymmetric(c.ClassCount, Math.Max(c.Fraction, 0.01), new RandomSource(c.Seed));
        int count = c.Labels.Length;
        int[] allotted = ClassConditionalLabelFlip.Apportion(t, 0, count);
        double off = Enumerable.Range(1, c.ClassCount - 1).Sum(j => t[0, j]);
        bool withinOne = Enumerable.Range(1, c.ClassCount - 1).All(j => Math.Abs(allotted[j] - count * t[0, j] / off) < 1 + 1e-9);
        return (allotted.Sum() == count).Label("sum = count")
            .And((allotted[0] == 0).Label("nothing to the class itself"))
            .And(withinOne.Label("each within one of its quota"));
    }

    [Fact]
    public void Largest_remainders_take_the_units_left_over_ties_to_the_smaller_class()
    {
        // Quotas 7 × (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4: floors 3, 2, 1, the unit left goes to the largest remainder (0.5).
        var t = new TransitionMatrix([[0.0, 0.5, 0.3, 0.2], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
        Assert.Equal([0, 4, 2, 1], ClassConditionalLabelFlip.Apportion(t, 0, 7).ToArray());
        // Symmetric over 3 other classes, 5 units: 5/3 each, floors 1, 1, 1, the two left to the smaller classes on a tie.
        Assert.Equal([0, 2, 2, 1], ClassConditionalLabelFlip.Apportion(TransitionMatrix.Symmetric(4, 0.3), 0, 5).ToArray());
        Assert.Equal([0, 0, 0, 0], ClassConditionalLabelFlip.Apportion(TransitionMatrix.Symmetric(4, 0.3), 0, 0).ToArray());
    }

    // The documented order of draws, written out plainly: classes ascending; the class's rows by index;
    // SampleWithoutReplacement(n_i, m_i); new labels in ascending class order to the rows in the order drawn.
    private static int[] Reference(int[] labels, TransitionMatrix t, RandomSource random)
    {
        int[] result = (int[])labels.Clone();
        for (int i = 0; i < t.ClassCount; i++)
        {
            int[] rows = [.. Enumerable.Range(0, labels.Length).Where(r => labels[r] == i)];
            int m = (int)Math.Round(rows.Length * t.FlipShare(i), MidpointRounding.ToEven);
            int[] counts = ClassConditionalLabelFlip.Apportion(t, i, m);
            int[] drawn = random.SampleWithoutReplacement(rows.Length, m);
            var newLabels = new List<int>();
            for (int j = 0; j < t.ClassCount; j++)
                newLabels.AddRange(Enumerable.Repeat(j, counts[j]));
            for (int u = 0; u < m; u++)
                result[rows[drawn[u]]] = newLabels[u];
        }
        return result;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Draws_follow_the_documented_order(int family)
    {
        int[] labels = [.. Enumerable.Range(0, 40).Select(i => (i * 7 + i / 3) % 4)];
        TransitionMatrix t = family switch
        {
            0 => TransitionMatrix.Symmetric(4, 0.3),
            1 => TransitionMatrix.Pair(4, 0.45),
            2 => TransitionMatrix.RandomAsymmetric(4, 0.5, new RandomSource(5)),
            _ => TransitionMatrix.Towards(new TransitionMatrix([[0.2, 0.8, 0, 0], [0, 0, 0.5, 0.5], [0, 0, 1, 0], [1, 0, 0, 0]]), 0.7),
        };
        PoisonResult result = new ClassConditionalLabelFlip(t).Poison(labels, new RandomSource(2024, 9));
        Assert.Equal(Reference(labels, t, new RandomSource(2024, 9)), result.Labels);
    }

    [Fact]
    public void A_pinned_case_flips_these_rows()
    {
        // Pair noise on 12 rows of 3 classes (4 each), p = 0.5: two rows per class, each to the next class.
        int[] labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
        PoisonResult result = new ClassConditionalLabelFlip(TransitionMatrix.Pair(3, 0.5)).Poison(labels, new RandomSource(7));
        int[] expected = Reference(labels, TransitionMatrix.Pair(3, 0.5), new RandomSource(7));
        Assert.Equal(expected, result.Labels);
        Assert.Equal(6, result.FlippedCount);
        Assert.All(result.FlippedRows, r => Assert.Equal((labels[r] + 1) % 3, result.Labels[r]));
    }

    [Fact]
    public void Realised_noise_is_the_nominal_rate()
    {
        int[] labels = [.. Enumerable.Range(0, 1000).Select(i => i % 5)]; // 200 per class
        foreach (double p in new[] { 0.05, 0.1, 0.25, 0.5 })
        {
            PoisonResult result = new ClassConditionalLabelFlip(TransitionMatrix.Symmetric(5, p)).Poison(labels, new RandomSource(1));
            Assert.Equal((int)Math.Round(1000 * p), result.FlippedCount);
        }
    }

    [Fact]
    public void The_data_must_have_the_matrix_class_count()
    {
        var data = new LabelFlip.Core.Data.Dataset(new float[4], [0, 1, 2, 0], 1, 3);
        ArgumentException e = Assert.Throws<ArgumentException>("data",
            () => new ClassConditionalLabelFlip(TransitionMatrix.Pair(2, 0.1)).Poison(data, new RandomSource(1)));
        Assert.Contains("3 classes", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>("flipShare", () => ClassConditionalLabelFlip.FlipCount(10, 1.5));
    }
}
