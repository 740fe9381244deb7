using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Poisoning;

[Properties(Arbitrary = [typeof(Generators)])]
public class AdversarialLabelFlipTests
{
    // Each of the models that rank rows by a network, on random features and a random network of the case's classes.
    [Property(MaxTest = 150)]
    public Property Network_ranked_models_flip_exactly_round_n_p_rows_and_report_exactly_the_changed_rows(PoisonCase c)
    {
        var random = new RandomSource(c.Seed, 3);
        float[] features = [.. Enumerable.Range(0, c.Labels.Length * 3).Select(_ => (float)random.NextGaussian())];
        var data = new Dataset(features, c.Labels, 3, c.ClassCount);
        Mlp network = Mlp.CreateInitialized(3, [4], c.ClassCount, new RandomSource(c.Seed, 4));
        ILabelPoisoner poisoner = (c.Seed % 3) switch
        {
            0 => new AdversarialLabelFlip(c.Fraction, network),
            1 => new BoundaryLabelFlip(c.Fraction, new NetworkPosterior(network)),
            _ => BoundaryLabelFlip.Soft(c.Fraction, new NetworkPosterior(network)),
        };
        PoisonResult result = poisoner.Poison(data, new RandomSource(c.Seed));
        int[] changed = [.. Enumerable.Range(0, c.Labels.Length).Where(r => result.Labels[r] != c.Labels[r])];
        return (result.FlippedCount == (int)Math.Round(c.Labels.Length * c.Fraction, MidpointRounding.ToEven)).Label("round(n·p) rows flipped")
            .And(result.FlippedRows.SequenceEqual(changed).Label("flipped rows = the rows whose label changed, ascending"))
            .And(result.Labels.All(l => l >= 0 && l < c.ClassCount).Label("labels in range"))
            .And(data.Labels.SequenceEqual(c.Labels).Label("input unchanged"));
    }

    private static Mlp TrainedNetwork(Dataset data, ulong seed) =>
        new MlpTrainer().Train(data, [6], new TrainingOptions { Epochs = 5 }, new RandomSource(seed)).Model;

    // The network's probabilities written out plainly: softmax of its logits in double with Math.Exp.
    private static double[] Probabilities(Mlp network, Dataset data, int row)
    {
        float[] logits = new float[network.ClassCount];
        network.Logits(data.GetRow(row), logits);
        double[] e = [.. logits.Select(z => Math.Exp(z))];
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    [Theory]
    [InlineData(60, 2, 3, 0.2, 1UL)]
    [InlineData(50, 3, 4, 0.3, 7UL)]
    [InlineData(41, 1, 2, 0.5, 42UL)]
    [InlineData(45, 4, 5, 0.05, 3UL)]
    public void Flips_the_rows_whose_brute_force_loss_increase_is_largest_to_their_least_likely_class(int n, int features, int k, double p, ulong seed)
    {
        Dataset data = GaussianClusters.Generate(n, features, k, 1.5, 2.0, seed);
        Mlp network = TrainedNetwork(data, seed);
        // By hand: for every row and every wrong class j, the loss increase log p_y − log p_j; the best j per row, then
        // the rows with the largest increases.
        var rows = new List<(double Increase, int Row, int Target)>();
        for (int r = 0; r < n; r++)
        {
            double[] probabilities = Probabilities(network, data, r);
            int label = data.Labels[r];
            (double increase, int target) = Enumerable.Range(0, k).Where(j => j != label)
                .Select(j => (Increase: Math.Log(probabilities[label]) - Math.Log(probabilities[j]), Target: j))
                .OrderByDescending(t => t.Increase).ThenBy(t => t.Target).First();
            rows.Add((increase, r, target));
        }
        var ranked = rows.OrderByDescending(t => t.Increase).ThenBy(t => t.Row).ToList();
        int count = (int)Math.Round(n * p, MidpointRounding.ToEven);
        Assert.True(count == n || ranked[count - 1].Increase - ranked[count].Increase > 1e-9, "the case has a near tie at the cut");

        var random = new RandomSource(5);
        PoisonResult result = new AdversarialLabelFlip(p, network).Poison(data, random);
        Assert.Equal(ranked.Take(count).Select(t => t.Row).Order(), result.FlippedRows);
        foreach ((double _, int row, int target) in ranked.Take(count))
            Assert.Equal(target, result.Labels[row]);
        Assert.Equal(Enumerable.Range(0, n).Where(r => result.Labels[r] != data.Labels[r]), result.FlippedRows);
        Assert.Equal(new RandomSource(5).NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Loss_increases_are_the_brute_force_ones()
    {
        Dataset data = GaussianClusters.Generate(40, 3, 4, 1.0, 2.0, 9);
        Mlp network = TrainedNetwork(data, 9);
        (double[] increases, int[] targets) = new AdversarialLabelFlip(0.1, network).LossIncreases(data);
        for (int r = 0; r < data.RowCount; r++)
        {
            double[] probabilities = Probabilities(network, data, r);
            int label = data.Labels[r];
            Assert.Equal(Math.Log(probabilities[label]) - Math.Log(probabilities[targets[r]]), increases[r], 1e-9);
            Assert.Equal(Enumerable.Range(0, 4).Where(j => j != label).MinBy(j => probabilities[j]), targets[r]);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.125)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(1.0)]
    public void Flips_exactly_round_n_p_rows_and_reports_them(double p)
    {
        Dataset data = GaussianClusters.Generate(72, 3, 3, 1.5, 2.0, 4);
        PoisonResult result = new AdversarialLabelFlip(p, TrainedNetwork(data, 4)).Poison(data, new RandomSource(1));
        Assert.Equal((int)Math.Round(72 * p, MidpointRounding.ToEven), result.FlippedCount);
        Assert.Equal(Enumerable.Range(0, 72).Where(r => result.Labels[r] != data.Labels[r]), result.FlippedRows);
        Assert.All(result.Labels, label => Assert.InRange(label, 0, 2));
    }

    [Fact]
    public void Ties_in_the_increase_go_to_the_smaller_row()
    {
        // A network with all weights 0 gives every row the same logits: every increase is 0, every target class 1.
        Mlp zero = Mlp.FromLayers(2, [new float[2 * 2], new float[2 * 3]], [new float[2], new float[3]]);
        var data = new Dataset(new float[10], [0, 0, 2, 1, 0], 2, 3);
        PoisonResult result = new AdversarialLabelFlip(0.4, zero).Poison(data, new RandomSource(1));
        Assert.Equal([0, 1], result.FlippedRows.ToArray());
        Assert.Equal([1, 1, 2, 1, 0], result.Labels.ToArray());
    }

    [Fact]
    public void Arguments_are_checked_naming_the_parameter()
    {
        Dataset data = GaussianClusters.Generate(20, 2, 2, 1.0, 2.0, 1);
        Mlp network = TrainedNetwork(data, 1);
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => new AdversarialLabelFlip(-0.1, network));
        Assert.Throws<ArgumentOutOfRangeException>("fraction", () => new AdversarialLabelFlip(double.NaN, network));
        Assert.Throws<ArgumentNullException>("reference", () => new AdversarialLabelFlip(0.1, null!));
        var attack = new AdversarialLabelFlip(0.1, network);
        Assert.Throws<ArgumentException>("data", () => attack.Poison(new Dataset(new float[6], [0, 1, 2], 2, 3), new RandomSource(1)));
        Assert.Throws<ArgumentException>("data", () => attack.Poison(new Dataset(new float[9], [0, 1, 1], 3, 2), new RandomSource(1)));
        Assert.Throws<ArgumentNullException>("random", () => attack.Poison(data, null!));
    }
}
