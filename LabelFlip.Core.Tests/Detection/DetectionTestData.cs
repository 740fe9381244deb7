using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Detection;

/// <summary>Constructed cases with a known answer.</summary>
internal static class DetectionTestData
{
    /// <summary>
    /// Two tight clusters far apart, <paramref name="perClass"/> rows each (class 0 around (−5, −5), class 1 around
    /// (5, 5), coordinates within ±1 of the centre), interleaved by row, with the labels of <paramref name="flipped"/>
    /// swapped. Every row's clean label is its cluster, and no point is nearer the other cluster.
    /// </summary>
    public static Dataset TwoClusters(int perClass, int[] flipped, ulong seed = 5)
    {
        var random = new RandomSource(seed);
        int n = 2 * perClass;
        float[] features = new float[n * 2];
        int[] labels = new int[n];
        for (int row = 0; row < n; row++)
        {
            int label = row % 2;
            float centre = label == 0 ? -5f : 5f;
            features[2 * row] = centre + random.NextSingle(-1f, 1f);
            features[2 * row + 1] = centre + random.NextSingle(-1f, 1f);
            labels[row] = label;
        }
        foreach (int row in flipped)
            labels[row] = 1 - labels[row];
        return new Dataset(features, labels, 2, 2);
    }

    /// <summary>Random rows of small integer coordinates, so that equal distances (ties) are common.</summary>
    public static (float[] Features, int[] Labels) IntegerGrid(int rows, int features, int classes, ulong seed)
    {
        var random = new RandomSource(seed);
        float[] x = new float[rows * features];
        for (int i = 0; i < x.Length; i++)
            x[i] = random.NextInt(-3, 4);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++)
            labels[i] = random.NextInt(classes);
        return (x, labels);
    }

    /// <summary>Random real-valued rows.</summary>
    public static float[] Gaussian(int rows, int features, ulong seed)
    {
        var random = new RandomSource(seed);
        float[] x = new float[rows * features];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)random.NextGaussian(0, 3);
        return x;
    }
}
