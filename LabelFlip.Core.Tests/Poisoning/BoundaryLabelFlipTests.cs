using LabelFlip.Core.Data;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Poisoning;

public class BoundaryLabelFlipTests
{
    // The Bayes posterior written out plainly: the product of the normal densities of every feature, times the equal
    // prior, normalised; no log-space trick, Math.Exp and not the library's exp.
    private static double[] BruteForcePosterior(ReadOnlySpan<float> x, double[] centers, int k, double sigma)
    {
        int f = x.Length;
        double[] density = new double[k];
        for (int c = 0; c < k; c++)
        {
            double product = 1.0 / k;
            for (int j = 0; j < f; j++)
            {
                double d = x[j] - centers[c * f + j];
                product *= Math.Exp(-d * d / (2 * sigma * sigma)) / (sigma * Math.Sqrt(2 * Math.PI));
            }
            density[c] = product;
        }
        double total = density.Sum();
        return [.. density.Select(d => d / total)];
    }

    [Theory]
    [InlineData(60, 2, 3, 1.5, 0.2, 1UL)]
    [InlineData(50, 3, 4, 2.0, 0.3, 7UL)]
    [InlineData(40, 1, 2, 1.0, 0.5, 42UL)]
    public void Flips_the_rows_with_the_smallest_brute_force_margin_to_their_likeliest_wrong_class(
        int n, int features, int k, double sigma, double p, ulong seed)
    {
        Dataset data = GaussianClusters.Generate(n, features, k, sigma, 2.0, seed);
        double[] centers = GaussianClusters.Centers(features, k, 2.0, seed);
        var rows = new List<(double Margin, int Row, int Wrong)>();
        for (int r = 0; r < n; r++)
        {
            double[] post = BruteForcePosterior(data.GetRow(r), centers, k, sigma);
            int label = data.Labels[r];
            int wrong = Enumerable.Range(0, k).Where(c => c != label).MaxBy(c => post[c]);
            rows.Add((post[label] - post[wrong], r, wrong));
        }
        var chosen = rows.OrderBy(t => t.Margin).ThenBy(t => t.Row).Take((int)Math.Round(n * p, MidpointRounding.ToEven)).ToList();
        // The margins of the chosen rows are apart from the next one by far more than the two exps differ.
        double last = chosen[^1].Margin, next = rows.OrderBy(t => t.Margin).ElementAt(chosen.Count).Margin;
        Assert.True(next - last > 1e-9, "the case has a near tie at the cut");

        PoisonResult result = BoundaryLabelFlip.ForGaussianClusters(p, features, k, sigma, 2.0, seed).Poison(data, new RandomSource(1));
        Assert.Equal(chosen.Select(t => t.Row).Order(), result.FlippedRows);
        foreach ((double _, int row, int wrong) in chosen)
            Assert.Equal(wrong, result.Labels[row]);
        Assert.Equal(Enumerable.Range(0, n).Where(r => result.Labels[r] != data.Labels[r]), result.FlippedRows);
    }

    [Fact]
    public void Posterior_agrees_with_the_brute_force_one()
    {
        Dataset data = GaussianClusters.Generate(30, 4, 5, 2.0, 2.0, 3);
        double[] centers = GaussianClusters.Centers(4, 5, 2.0, 3);
        var model = new BoundaryLabelFlip(0.1, centers, 5, 2.0);
        double[] posterior = new double[5];
        for (int r = 0; r < data.RowCount; r++)
        {
            model.Posterior(data.GetRow(r), posterior);
            double[] expected = BruteForcePosterior(data.GetRow(r), centers, 5, 2.0);
            for (int c = 0; c < 5; c++)
                Assert.Equal(expected[c], posterior[c], 1e-12);
        }
    }

    [Fact]
    public void Ties_go_to_the_smaller_row_and_nothing_is_drawn()
    {
        // Two classes at −1 and +1 on a line; rows at 0 have margin 0, the others are further away.
        var data = new Dataset([0f, 3f, 0f, -3f, 0f], [0, 1, 1, 0, 0], 1, 2);
        var model = new BoundaryLabelFlip(0.4, [-1.0, 1.0], 2, 1.0);
        var random = new RandomSource(5);
        PoisonResult result = model.Poison(data, random);
        Assert.Equal([0, 2], result.FlippedRows.ToArray());
        Assert.Equal([1, 1, 0, 0, 0], result.Labels.ToArray());
        Assert.Equal(new RandomSource(5).NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Arguments_are_checked_naming_the_parameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => new BoundaryLabelFlip(1.1, [0.0, 1.0], 2, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>("clusterStd", () => new BoundaryLabelFlip(0.1, [0.0, 1.0], 2, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => new BoundaryLabelFlip(0.1, [0.0, 1.0], 1, 1.0));
        Assert.Throws<ArgumentException>("centers", () => new BoundaryLabelFlip(0.1, [0.0, 1.0, 2.0], 2, 1.0));
        Assert.Throws<ArgumentException>("centers", () => new BoundaryLabelFlip(0.1, [0.0, double.NaN], 2, 1.0));
        var model = new BoundaryLabelFlip(0.1, [0.0, 1.0], 2, 1.0);
        Assert.Throws<ArgumentException>("data", () => model.Poison(new Dataset(new float[6], [0, 1, 2], 2, 3), new RandomSource(1)));
    }
}
