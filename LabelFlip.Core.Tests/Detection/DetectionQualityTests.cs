using System.Collections.Immutable;
using LabelFlip.Core.Detection;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Detection;

public class DetectionQualityTests
{
    private static DetectionResult Flags(int rows, int[] flagged, double[]? scores = null) =>
        new([.. scores ?? new double[rows]], [.. flagged]);

    [Fact]
    public void Precision_recall_and_f1_by_hand()
    {
        // 10 rows, flipped {1, 3, 5, 7}, flagged {1, 2, 3}: 2 true positives, P = 2/3, R = 2/4, F1 = 2PR/(P + R) = 4/7.
        DetectionQuality q = DetectionQuality.Measure(Flags(10, [1, 2, 3]), [1, 3, 5, 7]);
        Assert.Equal(2.0 / 3, q.Precision);
        Assert.Equal(0.5, q.Recall);
        Assert.Equal(4.0 / 7, q.F1!.Value, 14);
        Assert.Equal((3, 4, 2), (q.FlaggedCount, q.FlippedCount, q.TruePositiveCount));
    }

    [Fact]
    public void Undefined_rates_are_null_and_disjoint_sets_have_f1_zero()
    {
        DetectionQuality nothingFlagged = DetectionQuality.Measure(Flags(4, []), [1]);
        Assert.Null(nothingFlagged.Precision);
        Assert.Equal(0.0, nothingFlagged.Recall);
        Assert.Null(nothingFlagged.F1);

        DetectionQuality nothingFlipped = DetectionQuality.Measure(Flags(4, [2]), []);
        Assert.Equal(0.0, nothingFlipped.Precision);
        Assert.Null(nothingFlipped.Recall);
        Assert.Null(nothingFlipped.F1);
        Assert.Null(nothingFlipped.Auroc);

        DetectionQuality disjoint = DetectionQuality.Measure(Flags(4, [0]), [1]);
        Assert.Equal((0.0, 0.0, 0.0), (disjoint.Precision, disjoint.Recall, disjoint.F1));
    }

    [Fact]
    public void Auroc_by_hand_with_ties_counting_one_half()
    {
        // Positives score 0.9 and 0.5, negatives 0.5 and 0.1: of the 4 pairs, 3 are won and 1 tied, so 3.5/4.
        Assert.Equal(0.875, DetectionQuality.AreaUnderRoc([0.9, 0.5, 0.5, 0.1], [true, true, false, false]));
        // Every score equal: every pair a tie.
        Assert.Equal(0.5, DetectionQuality.AreaUnderRoc([1, 1, 1, 1, 1], [true, false, false, true, false]));
        // Perfectly wrong ranking.
        Assert.Equal(0.0, DetectionQuality.AreaUnderRoc([0, 1, 2], [true, false, false]));
        Assert.Null(DetectionQuality.AreaUnderRoc([0, 1], [false, false]));
        Assert.Null(DetectionQuality.AreaUnderRoc([], []));
    }

    [Fact]
    public void Auroc_equals_the_share_of_pairs_won_counted_one_by_one()
    {
        var random = new RandomSource(11);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.NextInt(2, 40);
            double[] scores = [.. Enumerable.Range(0, n).Select(_ => (double)random.NextInt(0, 6))]; // many ties
            bool[] positive = [.. Enumerable.Range(0, n).Select(_ => random.NextInt(3) == 0)];
            double won = 0;
            int pairs = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (!positive[i] || positive[j])
                        continue;
                    pairs++;
                    won += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
            double? auroc = DetectionQuality.AreaUnderRoc(scores, positive);
            if (pairs == 0)
                Assert.Null(auroc);
            else
                Assert.Equal(won / pairs, auroc!.Value, 14);
        }
    }

    [Fact]
    public void The_oracle_has_precision_recall_f1_and_auroc_one()
    {
        ImmutableArray<int> flipped = [0, 4, 5, 9];
        DetectionResult oracle = OracleDetector.Detect(12, flipped);
        Assert.Equal(flipped.ToArray(), oracle.FlaggedRows.ToArray());
        DetectionQuality q = DetectionQuality.Measure(oracle, flipped.AsSpan());
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (q.Precision, q.Recall, q.F1, q.Auroc));
        Assert.Equal([1, 2, 3, 6, 7, 8, 10, 11], oracle.KeptRows());
    }

    [Fact]
    public void Random_flags_the_asked_count_and_the_same_rows_from_the_same_stream()
    {
        DetectionResult first = RandomDetector.Detect(100, 17, new RandomSource(3, StreamKey.Of("random")));
        DetectionResult again = RandomDetector.Detect(100, 17, new RandomSource(3, StreamKey.Of("random")));
        DetectionResult other = RandomDetector.Detect(100, 17, new RandomSource(4, StreamKey.Of("random")));
        Assert.Equal(17, first.FlaggedRows.Length);
        Assert.Equal(17, first.FlaggedRows.Distinct().Count());
        Assert.Equal(first.FlaggedRows.ToArray(), again.FlaggedRows.ToArray());
        Assert.NotEqual(first.FlaggedRows.ToArray(), other.FlaggedRows.ToArray());
        Assert.Equal(17, first.Scores.Count(s => s == 1));
        Assert.All(first.FlaggedRows, row => Assert.Equal(1.0, first.Scores[row]));
        Assert.Empty(RandomDetector.Detect(5, 0, new RandomSource(1)).FlaggedRows);
        Assert.Throws<ArgumentOutOfRangeException>("count", () => RandomDetector.Detect(5, 6, new RandomSource(1)));
    }

    [Fact]
    public void Results_and_ground_truth_are_checked()
    {
        Assert.Throws<ArgumentException>("flaggedRows", () => new DetectionResult([0, 0, 0], [2, 1]));
        Assert.Throws<ArgumentException>("flaggedRows", () => new DetectionResult([0, 0, 0], [3]));
        Assert.Throws<ArgumentException>("scores", () => new DetectionResult([0, double.NaN], []));
        Assert.Throws<ArgumentOutOfRangeException>("estimatedNoiseRate", () => new DetectionResult([0], [], 1.5));
        Assert.Throws<ArgumentException>("flippedRows", () => DetectionQuality.Measure(Flags(3, []), [1, 1]));
        Assert.Throws<ArgumentException>("flaggedRows", () => OracleDetector.Detect(3, [5]));
    }
}
