using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
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

    // A small data set as a CSV file would give it: a few rows of plain numbers and labels, no generator behind them.
    private static Dataset CsvLike() => new(
        [0.1f, 2.0f, 1.5f, 0.3f, -1.2f, 0.8f, 2.2f, -0.4f, 0.0f, 0.0f, -0.7f, -1.9f, 1.1f, 1.0f, 0.6f, -0.2f, -1.5f, 0.4f,
         1.8f, 1.2f, -0.3f, 1.6f, 0.9f, -1.1f, 0.2f, 0.7f, -2.0f, -0.5f, 1.3f, -0.9f, 0.5f, 1.9f, -0.8f, 0.1f, 1.4f, 0.4f],
        [0, 1, 2, 1, 0, 2, 0, 1, 2, 1, 0, 2, 1, 0, 2, 1, 2, 0], 2, 3);

    private static double[] BruteForceSoftmax(Mlp network, ReadOnlySpan<float> row)
    {
        float[] logits = new float[network.ClassCount];
        network.Logits(row, logits);
        double[] e = [.. logits.Select(z => Math.Exp(z))];
        return [.. e.Select(v => v / e.Sum())];
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void With_a_reference_network_flips_the_rows_of_smallest_softmax_margin_to_their_likeliest_wrong_class(double p)
    {
        Dataset data = CsvLike();
        Mlp network = new MlpTrainer().Train(data, [5], new TrainingOptions { Epochs = 30, BatchSize = 4 }, new RandomSource(11)).Model;
        var rows = new List<(double Margin, int Row, int Wrong)>();
        for (int r = 0; r < data.RowCount; r++)
        {
            double[] post = BruteForceSoftmax(network, data.GetRow(r));
            int label = data.Labels[r];
            int wrong = Enumerable.Range(0, 3).Where(c => c != label).MaxBy(c => post[c]);
            rows.Add((post[label] - post[wrong], r, wrong));
        }
        var ranked = rows.OrderBy(t => t.Margin).ThenBy(t => t.Row).ToList();
        int count = (int)Math.Round(data.RowCount * p, MidpointRounding.ToEven);
        Assert.True(count == data.RowCount || ranked[count].Margin - ranked[count - 1].Margin > 1e-9, "the case has a near tie at the cut");

        var random = new RandomSource(3);
        PoisonResult result = new BoundaryLabelFlip(p, new NetworkPosterior(network)).Poison(data, random);
        Assert.Equal(count, result.FlippedCount);
        Assert.Equal(ranked.Take(count).Select(t => t.Row).Order(), result.FlippedRows);
        foreach ((double _, int row, int wrong) in ranked.Take(count))
            Assert.Equal(wrong, result.Labels[row]);
        Assert.Equal(Enumerable.Range(0, data.RowCount).Where(r => result.Labels[r] != data.Labels[r]), result.FlippedRows);
        Assert.Equal(new RandomSource(3).NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void A_network_posterior_is_its_softmax()
    {
        Dataset data = CsvLike();
        Mlp network = Mlp.CreateInitialized(2, [4], 3, new RandomSource(2));
        var posterior = new NetworkPosterior(network);
        double[] all = new double[data.RowCount * 3];
        posterior.Posteriors(data.Features.AsSpan(), all);
        for (int r = 0; r < data.RowCount; r++)
        {
            double[] expected = BruteForceSoftmax(network, data.GetRow(r));
            for (int c = 0; c < 3; c++)
                Assert.Equal(expected[c], all[r * 3 + c], 1e-12);
        }
        Assert.Throws<ArgumentException>("rows", () => posterior.Posteriors(new float[3], new double[3]));
        Assert.Throws<ArgumentException>("destination", () => posterior.Posteriors(new float[4], new double[3]));
        Assert.Throws<ArgumentNullException>("network", () => new NetworkPosterior(null!));
    }

    [Theory]
    [InlineData(0.0, 0.1)]
    [InlineData(0.3, 0.1)]
    [InlineData(0.5, 0.02)]
    [InlineData(1.0, 1.0)]
    public void Soft_noise_flips_exactly_round_n_p_rows_drawing_one_number_per_row(double p, double temperature)
    {
        Dataset data = GaussianClusters.Generate(50, 2, 3, 1.5, 2.0, 8);
        var soft = BoundaryLabelFlip.Soft(p, GaussianClusterPosterior.ForGaussianClusters(2, 3, 1.5, 2.0, 8), temperature);
        var random = new RandomSource(21);
        PoisonResult result = soft.Poison(data, random);
        Assert.Equal((int)Math.Round(50 * p, MidpointRounding.ToEven), result.FlippedCount);
        Assert.Equal(Enumerable.Range(0, 50).Where(r => result.Labels[r] != data.Labels[r]), result.FlippedRows);
        (double[] _, int[] wrong) = soft.Margins(data);
        foreach (int row in result.FlippedRows)
            Assert.Equal(wrong[row], result.Labels[row]);
        var expected = new RandomSource(21);
        for (int i = 0; i < 50; i++)
            expected.NextDouble();
        Assert.Equal(expected.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Soft_noise_is_the_documented_draw()
    {
        // The documented keys, written plainly (Math.Log, not the library's): ln(−ln(1 − u_i)) + m_i / τ, smallest first.
        Dataset data = GaussianClusters.Generate(40, 2, 3, 1.5, 2.0, 5);
        var soft = BoundaryLabelFlip.Soft(0.3, GaussianClusterPosterior.ForGaussianClusters(2, 3, 1.5, 2.0, 5), 0.2);
        (double[] margins, int[] _) = soft.Margins(data);
        var random = new RandomSource(77);
        double[] keys = [.. margins.Select(m => Math.Log(-Math.Log(1.0 - random.NextDouble())) + m / 0.2)];
        var ranked = Enumerable.Range(0, 40).OrderBy(r => keys[r]).ThenBy(r => r).ToList();
        Assert.True(keys[ranked[12]] - keys[ranked[11]] > 1e-9, "the case has a near tie at the cut");
        Assert.Equal(ranked.Take(12).Order(), soft.Poison(data, new RandomSource(77)).FlippedRows);
    }

    [Fact]
    public void Soft_noise_picks_its_first_victim_with_probability_proportional_to_exp_of_minus_margin_over_temperature()
    {
        // Two classes at −1 and +1 on a line with σ = 1: P(1 | x) = 1 / (1 + e^(−2x)). Four rows of class 0, one victim.
        var data = new Dataset([-1.5f, -0.5f, 0.0f, 0.4f], [0, 0, 0, 0], 1, 2);
        var soft = BoundaryLabelFlip.Soft(0.25, new GaussianClusterPosterior([-1.0, 1.0], 2, 1.0), 0.5);
        (double[] margins, int[] _) = soft.Margins(data);
        double[] weights = [.. margins.Select(m => Math.Exp(-m / 0.5))];
        const int Trials = 20_000;
        int[] chosen = new int[4];
        for (int t = 0; t < Trials; t++)
            chosen[Assert.Single(soft.Poison(data, new RandomSource((ulong)t, 99)).FlippedRows)]++;
        for (int r = 0; r < 4; r++)
        {
            double q = weights[r] / weights.Sum();
            double sd = Math.Sqrt(Trials * q * (1 - q));
            Assert.InRange(chosen[r], Trials * q - 5 * sd, Trials * q + 5 * sd);
        }
        Assert.True(chosen[3] > chosen[2] && chosen[2] > chosen[1] && chosen[1] > chosen[0], "rows nearer the boundary are chosen more often");
    }

    [Fact]
    public void Soft_arguments_are_checked_naming_the_parameter()
    {
        var posterior = new GaussianClusterPosterior([0.0, 1.0], 2, 1.0);
        Assert.Throws<ArgumentOutOfRangeException>("temperature", () => BoundaryLabelFlip.Soft(0.1, posterior, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("temperature", () => BoundaryLabelFlip.Soft(0.1, posterior, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => BoundaryLabelFlip.Soft(-0.1, posterior));
        Assert.Throws<ArgumentNullException>("posterior", () => BoundaryLabelFlip.Soft(0.1, null!));
        Assert.Null(new BoundaryLabelFlip(0.1, posterior).Temperature);
        Assert.Equal(BoundaryLabelFlip.DefaultSoftTemperature, BoundaryLabelFlip.Soft(0.1, posterior).Temperature);
    }
}
