using LabelFlip.Core.Data;
using LabelFlip.Core.Detection;
using LabelFlip.Core.Detection.Kernels;

namespace LabelFlip.Core.Tests.Detection;

public class NearestNeighbourDetectorTests
{
    // The reference: Σ_f (q_f − x_f)² in float, feature order, from +0, one row at a time with plain loops.
    private static float PlainSquaredDistance(float[] features, int featureCount, int a, int b)
    {
        float sum = 0f;
        for (int f = 0; f < featureCount; f++)
        {
            float difference = features[a * featureCount + f] - features[b * featureCount + f];
            sum += difference * difference;
        }
        return sum;
    }

    // The reference neighbours: every other row sorted by (distance, row), the first k.
    private static int[] PlainNeighbours(float[] features, int rowCount, int featureCount, int row, int k) =>
        [.. Enumerable.Range(0, rowCount).Where(j => j != row)
            .OrderBy(j => PlainSquaredDistance(features, featureCount, row, j)).ThenBy(j => j).Take(k)];

    [Fact]
    public void The_distance_kernel_equals_plain_loops_bit_for_bit_for_every_row_count_up_to_70()
    {
        foreach (int featureCount in new[] { 1, 2, 3, 7, 17 })
        {
            for (int rows = 1; rows <= 70; rows++)
            {
                float[] x = DetectionTestData.Gaussian(rows, featureCount, (ulong)(rows * 31 + featureCount));
                float[] columns = new float[x.Length];
                DistanceKernels.Transpose(x, rows, featureCount, columns);
                float[] distances = new float[rows];
                for (int i = 0; i < rows; i += Math.Max(1, rows / 5))
                {
                    DistanceKernels.SquaredDistances(x.AsSpan(i * featureCount, featureCount), columns, rows, distances);
                    for (int j = 0; j < rows; j++)
                        Assert.Equal(BitConverter.SingleToInt32Bits(PlainSquaredDistance(x, featureCount, i, j)), BitConverter.SingleToInt32Bits(distances[j]));
                }
            }
        }
    }

    [Theory]
    [InlineData(40, 2, 1)]
    [InlineData(53, 3, 5)]
    [InlineData(70, 1, 9)]
    [InlineData(33, 4, 32)]
    public void Neighbours_are_a_brute_force_sort_by_distance_then_row_even_with_many_ties(int rows, int featureCount, int k)
    {
        (float[] x, _) = DetectionTestData.IntegerGrid(rows, featureCount, 3, (ulong)rows);
        int[][] neighbours = NearestNeighbourDetector.Neighbours(x, rows, featureCount, k);
        for (int i = 0; i < rows; i++)
            Assert.Equal(PlainNeighbours(x, rows, featureCount, i, k), neighbours[i]);
    }

    [Theory]
    [InlineData(60, 2, 3, 1)]
    [InlineData(61, 3, 4, 6)]
    [InlineData(45, 5, 2, 9)]
    public void Scores_and_flags_equal_a_brute_force_reference(int rows, int featureCount, int classes, int k)
    {
        (float[] x, int[] labels) = DetectionTestData.IntegerGrid(rows, featureCount, classes, (ulong)(rows + k));
        DetectionResult result = new NearestNeighbourDetector(k).Detect(new Dataset(x, labels, featureCount, classes));
        var flagged = new List<int>();
        for (int i = 0; i < rows; i++)
        {
            int disagreeing = PlainNeighbours(x, rows, featureCount, i, k).Count(j => labels[j] != labels[i]);
            Assert.Equal((double)disagreeing / k, result.Scores[i]);
            if (disagreeing > k / 2.0)
                flagged.Add(i);
        }
        Assert.Equal(flagged, result.FlaggedRows.ToArray());
    }

    [Fact]
    public void Two_separated_clusters_with_a_few_flips_flag_exactly_those()
    {
        int[] flipped = [3, 10, 25, 38];
        DetectionResult result = new NearestNeighbourDetector(5).Detect(DetectionTestData.TwoClusters(20, flipped));
        Assert.Equal(flipped, result.FlaggedRows.ToArray());
        // A row's 5 neighbours are all of its own cluster, which holds two flips: a flipped row disagrees with at least 4
        // of them (the other flip may be one), a clean row with at most 2.
        Assert.All(flipped, row => Assert.True(result.Scores[row] >= 0.8));
        Assert.All(Enumerable.Range(0, 40).Except(flipped), row => Assert.True(result.Scores[row] <= 0.4));
        Assert.Null(result.EstimatedNoiseRate);
    }

    [Fact]
    public void Equal_distances_go_to_the_lower_row()
    {
        // Row 0 at 0; rows 1 and 2 both at distance 1 (at −1 and +1), row 3 at 2. With k = 1, row 0's neighbour is row 1.
        var data = new Dataset([0f, -1f, 1f, 2f], [0, 1, 0, 0], 1, 2);
        DetectionResult result = new NearestNeighbourDetector(1).Detect(data);
        Assert.Equal(1.0, result.Scores[0]);   // its one neighbour, row 1, has label 1
        Assert.Equal([1, 2], NearestNeighbourDetector.Neighbours([0f, -1f, 1f, 2f], 4, 1, 2)[0]);
        // A strict majority is needed: with k = 2 one disagreeing neighbour of two does not flag row 0.
        Assert.DoesNotContain(0, new NearestNeighbourDetector(2).Detect(data).FlaggedRows);
    }

    [Fact]
    public void Arguments_are_checked_with_their_names()
    {
        Assert.Throws<ArgumentOutOfRangeException>("neighbourCount", () => new NearestNeighbourDetector(0));
        var data = new Dataset([0f, 1f, 2f], [0, 1, 0], 1, 2);
        Assert.Throws<ArgumentException>("data", () => new NearestNeighbourDetector(3).Detect(data));
    }
}
