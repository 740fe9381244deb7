using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Tests.Random;

namespace LabelFlip.Core.Tests.Poisoning;

public class StudyLabelFlipTests
{
    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < StudyStreams.Poisoned.Count; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Poisoned_labels_equal_the_studys(int index)
    {
        StudyPoisonCase expected = StudyStreams.Poisoned[index];
        Assert.Equal(expected.PoisonSeed, StudyLabelFlip.PoisonSeed(expected.Seed, expected.Fraction));

        PoisonResult result = StudyLabelFlip.Poison(StudyStreams.Labels, 5, expected.Fraction, expected.Seed);
        Assert.Equal(expected.Labels, result.Labels.ToArray());

        int[] changed = Enumerable.Range(0, expected.Labels.Length).Where(i => expected.Labels[i] != StudyStreams.Labels[i]).ToArray();
        Assert.Equal(changed, result.FlippedRows.ToArray());
        Assert.Equal(StudyLabelFlip.FlipCount(500, expected.Fraction), result.FlippedCount);
    }

    [Theory]
    [InlineData(42L, 0.0, 42L)]
    [InlineData(42L, 0.29, 332L)]
    [InlineData(7L, 0.57, 577L)]
    [InlineData(0L, 1.0, 1000L)]
    public void Poison_seed_adds_the_truncated_thousandths(long seed, double fraction, long expected) =>
        Assert.Equal(expected, StudyLabelFlip.PoisonSeed(seed, fraction));

    [Fact]
    public void Every_victim_moves_to_another_class_and_the_input_is_untouched()
    {
        int[] labels = Enumerable.Range(0, 200).Select(i => i % 3).ToArray();
        int[] copy = (int[])labels.Clone();
        PoisonResult result = StudyLabelFlip.Poison(labels, 3, 0.4, 11);
        Assert.Equal(copy, labels);
        Assert.Equal(80, result.FlippedCount);
        Assert.All(result.FlippedRows, row => Assert.NotEqual(labels[row], result.Labels[row]));
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => StudyLabelFlip.Poison([0, 1], 2, 1.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => StudyLabelFlip.Poison([0, 0], 1, 0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => StudyLabelFlip.Poison([0, 2], 2, 0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>("seed", () => StudyLabelFlip.Poison([0, 1], 2, 0.5, -600));
    }
}
