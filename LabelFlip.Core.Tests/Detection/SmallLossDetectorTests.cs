using LabelFlip.Core.Data;
using LabelFlip.Core.Detection;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Detection;

public class SmallLossDetectorTests
{
    [Fact]
    public void Losses_are_the_cross_entropy_by_hand()
    {
        // Logits (2, 0, 0), label 0: ln(1 + 2e⁻²); (0, 2, 0), label 0: ln(2 + e²); three equal logits: ln 3.
        double[] losses = SmallLossDetector.Losses([2f, 0f, 0f, 0f, 2f, 0f, 1f, 1f, 1f], [0, 0, 2], 3);
        Assert.Equal(Math.Log(1 + 2 * Math.Exp(-2)), losses[0], 14);
        Assert.Equal(Math.Log(2 + Math.Exp(2)), losses[1], 14);
        Assert.Equal(Math.Log(3), losses[2], 14);
    }

    [Fact]
    public void Two_separated_clusters_with_a_few_flips_flag_exactly_those_at_the_true_rate()
    {
        int[] flipped = [3, 10, 25, 38];
        Dataset data = DetectionTestData.TwoClusters(20, flipped);
        var detector = new SmallLossDetector(10, [16], new TrainingOptions { Epochs = 200 });
        Assert.Equal(10, detector.Options.Epochs);
        DetectionResult result = detector.Detect(data, 4.0 / 40, new RandomSource(1, StreamKey.Of("small-loss")));
        Assert.Equal(flipped, result.FlaggedRows.ToArray());
        Assert.Equal(1.0, DetectionQuality.Measure(result, flipped).Auroc);
    }

    [Fact]
    public void It_flags_round_n_times_the_rate_of_largest_loss_ties_to_the_lower_row()
    {
        Assert.Equal([1, 3], DetectionResult.Top([0.5, 2.0, 0.1, 2.0, 1.0], 2).ToArray());
        Assert.Equal([1, 2, 3], DetectionResult.Top([0.5, 2.0, 1.0, 2.0, 1.0], 3).ToArray());
        Dataset data = DetectionTestData.TwoClusters(25, []);
        var detector = new SmallLossDetector(2, [4], new TrainingOptions());
        // 50 rows: 0.25 → 12.5 → 12 (half-way to even); 0.07 → 3.5 → 4.
        Assert.Equal(12, detector.Detect(data, 0.25, new RandomSource(1)).FlaggedRows.Length);
        Assert.Equal(4, detector.Detect(data, 0.07, new RandomSource(1)).FlaggedRows.Length);
        Assert.Throws<ArgumentOutOfRangeException>("noiseRate", () => detector.Detect(data, 1.5, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("warmupEpochs", () => new SmallLossDetector(0, [4], new TrainingOptions()));
    }
}
