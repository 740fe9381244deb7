using LabelFlip.Core.Data;
using LabelFlip.Core.Detection;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;

namespace LabelFlip.Core.Tests.Detection;

public class ConfidentLearningTests
{
    [Fact]
    public void Thresholds_joint_noise_matrix_and_pruning_by_hand()
    {
        // Two classes, six rows; rows 2 and 5 look like the other class.
        double[] p =
        [
            0.9, 0.1,  // label 0
            0.8, 0.2,  // label 0
            0.2, 0.8,  // label 0, confidently 1
            0.1, 0.9,  // label 1
            0.3, 0.7,  // label 1
            0.7, 0.3,  // label 1, confidently 0
        ];
        int[] labels = [0, 0, 0, 1, 1, 1];
        ConfidentLearningResult cl = ConfidentLearning.Estimate(p, labels, 2);

        // t_0 = (0.9 + 0.8 + 0.2)/3, t_1 = (0.9 + 0.7 + 0.3)/3, both 0.6333.
        Assert.Equal((0.9 + 0.8 + 0.2) / 3, cl.Thresholds[0], 15);
        Assert.Equal((0.9 + 0.7 + 0.3) / 3, cl.Thresholds[1], 15);
        // Each row has exactly one class at or above its threshold: C = [[2, 1], [1, 2]].
        Assert.Equal([2, 1], cl.ConfidentJoint[0].ToArray());
        Assert.Equal([1, 2], cl.ConfidentJoint[1].ToArray());
        // Rows of C already sum to the label counts (3, 3): Q = C/6, noise rate 1 − 4/6.
        Assert.Equal(1.0 / 3, cl.Joint[0][0], 15);
        Assert.Equal(1.0 / 6, cl.Joint[0][1], 15);
        Assert.Equal(1.0 / 3, cl.EstimatedNoiseRate, 15);
        Assert.Equal(1.0 / 3, cl.Detection.EstimatedNoiseRate!.Value, 15);
        // P(ỹ = i | y* = j): each column of Q sums to 1/2.
        Assert.Equal(2.0 / 3, cl.NoiseMatrix[0][0], 15);
        Assert.Equal(1.0 / 3, cl.NoiseMatrix[1][0], 15);
        // One row per off-diagonal cell, the largest margin p_j − p_i among the given label's rows: rows 2 and 5.
        Assert.Equal([2, 5], cl.Detection.FlaggedRows.ToArray());
        // Scores are 1 − p(given label).
        Assert.Equal([0.1, 0.2, 0.8, 0.1, 0.3, 0.7], cl.Detection.Scores.Select(s => Math.Round(s, 12)));
    }

    [Fact]
    public void Calibration_scales_each_row_to_its_label_count_and_rows_with_no_confident_class_are_not_counted()
    {
        // Three classes. Label 0: four rows, one (row 3) confident of no class; label 1: two rows; label 2: two rows.
        double[] p =
        [
            0.8, 0.1, 0.1,
            0.8, 0.1, 0.1,
            0.1, 0.8, 0.1,  // label 0, confidently 1
            0.5, 0.25, 0.25, // label 0, no class at its threshold
            0.1, 0.8, 0.1,
            0.1, 0.8, 0.1,
            0.1, 0.1, 0.8,
            0.1, 0.1, 0.8,
        ];
        int[] labels = [0, 0, 0, 0, 1, 1, 2, 2];
        ConfidentLearningResult cl = ConfidentLearning.Estimate(p, labels, 3);
        // t_0 = (0.8 + 0.8 + 0.1 + 0.5)/4 = 0.55; t_1 = t_2 = 0.8 (so 0.25 < t_1 and 0.5 < t_0 for row 3).
        Assert.Equal([2, 1, 0], cl.ConfidentJoint[0].ToArray());
        // Row 0 of C (3 counted) scaled to the 4 rows labelled 0: 8/3 and 4/3; over n = 8.
        Assert.Equal(8.0 / 3 / 8, cl.Joint[0][0], 15);
        Assert.Equal(4.0 / 3 / 8, cl.Joint[0][1], 15);
        Assert.Equal(1 - (8.0 / 3 + 2 + 2) / 8, cl.EstimatedNoiseRate, 14);
        // round(4/3) = 1 row pruned from cell (0, 1): the largest p_1 − p_0 among label 0's rows, row 2.
        Assert.Equal([2], cl.Detection.FlaggedRows.ToArray());
    }

    [Fact]
    public void Folds_are_stratified_balanced_and_drawn_from_the_seed()
    {
        int[] labels = [.. Enumerable.Range(0, 103).Select(i => i % 3 == 0 ? 0 : i % 7 == 0 ? 2 : 1)];
        var cl = new ConfidentLearning(5, [8], new TrainingOptions());
        int[] folds = cl.Folds(labels, 3, 42);
        Assert.Equal(folds, cl.Folds(labels, 3, 42));
        Assert.NotEqual(folds, cl.Folds(labels, 3, 43));
        int[] sizes = [.. Enumerable.Range(0, 5).Select(f => folds.Count(x => x == f))];
        Assert.True(sizes.Max() - sizes.Min() <= 1);
        for (int label = 0; label < 3; label++)
        {
            int[] perFold = [.. Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, 103).Count(i => labels[i] == label && folds[i] == f))];
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {label}: {string.Join(", ", perFold)}");
        }
    }

    [Fact]
    public void Two_separated_clusters_with_a_few_flips_prune_exactly_those_and_estimate_their_rate()
    {
        int[] flipped = [3, 10, 25, 38, 51];
        Dataset data = DetectionTestData.TwoClusters(30, flipped);
        var cl = new ConfidentLearning(4, [16], new TrainingOptions { Epochs = 60 });
        ConfidentLearningResult result = cl.Detect(data, seed: 9);
        Assert.Equal(flipped, result.Detection.FlaggedRows.ToArray());
        Assert.Equal(5.0 / 60, result.EstimatedNoiseRate, 12);
        DetectionQuality quality = DetectionQuality.Measure(result.Detection, flipped);
        Assert.Equal(1.0, quality.Auroc);
        // The same seed gives the same bits.
        Assert.Equal(result.Detection.Scores.ToArray(), cl.Detect(data, seed: 9, new MlpTrainer()).Detection.Scores.ToArray());
    }

    /// <summary>
    /// On near-separable Gaussian clusters (data.cluster_std 0.5: the clean network scores 100 % on the test rows)
    /// confident learning's noise rate is within 0.04 of the realised rate up to 30 % uniform noise. Why 0.04: the
    /// estimate counts rows, and with n = 350 training rows the binomial standard error of a rate p ≤ 0.3 is at most
    /// √(0.3 · 0.7/350) = 0.0245; 0.04 is 1.6 of those. Beyond about 40 % the out-of-fold networks themselves learn
    /// the noise and it overestimates (measured +0.03 to +0.07 at 40–50 %), which the README reports.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.2)]
    [InlineData(0.3)]
    public void The_noise_rate_estimate_tracks_the_true_rate_on_separable_gaussian_clusters(double fraction)
    {
        foreach (ulong dataSeed in new ulong[] { 1, 2 })
        {
            RunSpec run = new()
            {
                Data = new DataSpec { Seed = dataSeed, ClusterStd = 0.5 },
                Poison = new PoisonSpec { Fraction = fraction },
                Defence = new DefenceSpec { Detector = DefenceSpec.ConfidentLearningDetector },
            };
            double?[] metrics = [.. SweepRunner.RunOne(run)];
            double estimate = metrics[RunMetrics.IndexOf(RunMetrics.EstimatedNoiseRate)]!.Value;
            double realised = metrics[RunMetrics.IndexOf(RunMetrics.FlippedCount)]!.Value / 350;
            Assert.True(Math.Abs(estimate - realised) <= 0.04, $"data seed {dataSeed}, p = {fraction}: estimated {estimate}, realised {realised}");
            Assert.Equal(estimate - realised, metrics[RunMetrics.IndexOf(RunMetrics.NoiseRateError)]!.Value, 15);
        }
    }

    [Fact]
    public void Arguments_are_checked_with_their_names()
    {
        Assert.Throws<ArgumentOutOfRangeException>("foldCount", () => new ConfidentLearning(1, [8], new TrainingOptions()));
        Assert.Throws<ArgumentException>("data", () => new ConfidentLearning(5, [8], new TrainingOptions())
            .Detect(new Dataset([0f, 1f, 2f], [0, 1, 0], 1, 2), 1));
        Assert.Throws<ArgumentException>("probabilities", () => ConfidentLearning.Estimate([0.5, 0.5, 0.5], [0, 1], 2));
        Assert.Throws<ArgumentException>("probabilities", () => ConfidentLearning.Estimate([0.5, 1.5], [0], 2));
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => ConfidentLearning.Estimate([0.5, 0.5], [2], 2));
    }
}
