using System.Runtime.Intrinsics;
using LabelFlip.Core.Data;
using LabelFlip.Core.Detection;
using LabelFlip.Core.Detection.Kernels;
using LabelFlip.Core.Tests.Nn;

namespace LabelFlip.Core.Tests.Detection;

/// <summary>
/// Hashes squared distances (row counts that are and are not multiples of 16, 8 and 4, so every lane width and the
/// tail run) and the k-nearest-neighbour scores of a data set with many ties, for the instruction-set test.
/// </summary>
public static class DetectionIsaProbe
{
    public static string Run()
    {
        var parts = new List<float[]>();
        foreach ((int rows, int features) in new[] { (1, 3), (7, 5), (16, 10), (37, 10), (100, 33) })
        {
            float[] x = DetectionTestData.Gaussian(rows, features, (ulong)rows);
            float[] columns = new float[x.Length];
            DistanceKernels.Transpose(x, rows, features, columns);
            for (int i = 0; i < rows; i++)
            {
                float[] distances = new float[rows];
                DistanceKernels.SquaredDistances(x.AsSpan(i * features, features), columns, rows, distances);
                parts.Add(distances);
            }
        }
        (float[] grid, int[] labels) = DetectionTestData.IntegerGrid(150, 3, 3, 5);
        DetectionResult knn = new NearestNeighbourDetector(7).Detect(new Dataset(grid, labels, 3, 3));
        parts.Add([.. knn.Scores.Select(s => (float)s)]);
        parts.Add([.. knn.FlaggedRows.Select(r => (float)r)]);
        int lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;
        return $"lanes={lanes} hash={NnTestData.Hash([.. parts])}";
    }
}
