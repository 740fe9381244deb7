using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

public class MlpTests
{
    private static readonly Dataset s_data = GaussianClusters.Generate(90, 6, 4, seed: 11);

    private static Mlp Trained() =>
        new MlpTrainer().Train(s_data, 21, new TrainingOptions { Epochs = 5 }, new RandomSource(4)).Model;

    [Fact]
    public void Logits_match_a_plain_forward_pass()
    {
        Mlp model = Trained();
        float[] logits = model.Logits(s_data);
        float[] w1 = model.GetHiddenWeights(), b1 = model.GetHiddenBiases(), w2 = model.GetOutputWeights(), b2 = model.GetOutputBiases();
        int d = 6, h = 21, k = 4;
        for (int r = 0; r < s_data.RowCount; r++)
        {
            ReadOnlySpan<float> x = s_data.GetRow(r);
            double[] hidden = new double[h];
            for (int j = 0; j < h; j++)
            {
                double s = b1[j];
                for (int i = 0; i < d; i++) s += (double)w1[j * d + i] * x[i];
                hidden[j] = Math.Max(s, 0);
            }
            for (int c = 0; c < k; c++)
            {
                double z = b2[c];
                for (int j = 0; j < h; j++) z += w2[c * h + j] * hidden[j];
                Assert.Equal(z, logits[r * k + c], 4);
            }
        }
    }

    // Any depth: the logits of a plain forward pass in double over the PyTorch-layout layers, to float precision.
    [Theory]
    [InlineData(new[] { 21 })]
    [InlineData(new[] { 21, 40 })]
    [InlineData(new[] { 16, 5, 33 })]
    public void Logits_match_a_plain_forward_pass_at_every_depth(int[] widths)
    {
        Mlp model = new MlpTrainer().Train(s_data, widths, new TrainingOptions { Epochs = 5 }, new RandomSource(4)).Model;
        float[] logits = model.Logits(s_data);
        int k = 4;
        for (int r = 0; r < s_data.RowCount; r++)
        {
            double[] a = s_data.GetRow(r).ToArray().Select(v => (double)v).ToArray();
            for (int l = 0; l < model.LayerCount; l++)
            {
                float[] w = model.GetWeights(l), b = model.GetBiases(l);
                double[] next = new double[b.Length];
                for (int o = 0; o < b.Length; o++)
                {
                    double s = b[o];
                    for (int i = 0; i < a.Length; i++) s += (double)w[o * a.Length + i] * a[i];
                    next[o] = l < model.LayerCount - 1 ? Math.Max(s, 0) : s;
                }
                a = next;
            }
            for (int c = 0; c < k; c++)
                Assert.Equal(a[c], logits[r * k + c], 4);
        }
    }

    [Fact]
    public void A_network_built_from_its_layers_gives_them_back_and_the_same_logits()
    {
        Mlp model = new MlpTrainer().Train(s_data, [21, 7, 16], new TrainingOptions { Epochs = 2 }, new RandomSource(5)).Model;
        float[][] weights = [.. Enumerable.Range(0, model.LayerCount).Select(model.GetWeights)];
        float[][] biases = [.. Enumerable.Range(0, model.LayerCount).Select(model.GetBiases)];
        Mlp rebuilt = Mlp.FromLayers(6, weights, biases);
        Assert.Equal([21, 7, 16], rebuilt.HiddenWidths.ToArray());
        Assert.Equal(4, rebuilt.ClassCount);
        Assert.Equal(model.Parameters, rebuilt.Parameters); // padding included: zero
        Assert.Equal(model.Logits(s_data), rebuilt.Logits(s_data));

        float[] w0 = [1, 2, 3, 4, 5, 6];             // 3 × 2: PyTorch's [o·in + i]
        Mlp tiny = Mlp.FromLayers(2, [w0, [7, 8, 9, 10, 11, 12]], [[0.5f, 0.25f, 0.125f], [1, 2]]);
        Assert.Equal(w0, tiny.GetWeights(0));
        Assert.Equal([0.5f, 0.25f, 0.125f], tiny.GetBiases(0));
        Assert.Equal([7f, 8, 9, 10, 11, 12], tiny.GetOutputWeights());
        // x = (1, −1): hidden = relu(W0·x + b0) = relu(−0.5, −0.75, −0.875) = 0, so the logits are the output biases.
        Assert.Equal([1f, 2f], Logits(tiny, [1f, -1f]));
    }

    [Fact]
    public void Building_from_layers_refuses_inconsistent_shapes_and_values()
    {
        float[] w0 = new float[6], b0 = new float[3], w1 = new float[6], b1 = new float[2];
        Assert.Throws<ArgumentNullException>("weights", () => Mlp.FromLayers(2, null!, [b0, b1]));
        Assert.Throws<ArgumentNullException>("biases", () => Mlp.FromLayers(2, [w0, w1], null!));
        Assert.Throws<ArgumentOutOfRangeException>("inputCount", () => Mlp.FromLayers(0, [w0, w1], [b0, b1]));
        Assert.Throws<ArgumentException>("biases", () => Mlp.FromLayers(2, [w0], [b0]));
        Assert.Throws<ArgumentException>("weights", () => Mlp.FromLayers(2, [w0], [b0, b1]));
        Assert.Throws<ArgumentException>("weights", () => Mlp.FromLayers(3, [w0, w1], [b0, b1]));
        Assert.Throws<ArgumentException>("weights", () => Mlp.FromLayers(2, [w0, new float[5]], [b0, b1]));
        Assert.Throws<ArgumentOutOfRangeException>("biases", () => Mlp.FromLayers(2, [w0, new float[3]], [b0, new float[1]]));
        Assert.Throws<ArgumentOutOfRangeException>("biases", () => Mlp.FromLayers(2, [Array.Empty<float>(), w1], [Array.Empty<float>(), b1]));
        Assert.Throws<ArgumentException>("weights", () => Mlp.FromLayers(2, [[0, 0, 0, 0, 0, float.NaN], w1], [b0, b1]));
        Assert.Throws<ArgumentException>("biases", () => Mlp.FromLayers(2, [w0, w1], [b0, [0, float.PositiveInfinity]]));
        Mlp model = Mlp.FromLayers(2, [w0, w1], [b0, b1]);
        Assert.Throws<ArgumentOutOfRangeException>("layer", () => model.GetWeights(2));
        Assert.Throws<ArgumentOutOfRangeException>("layer", () => model.GetBiases(-1));
    }

    private static float[] Logits(Mlp model, float[] features)
    {
        float[] logits = new float[features.Length / model.InputCount * model.ClassCount];
        model.Logits(features, logits);
        return logits;
    }

    [Fact]
    public void Predictions_are_the_argmax_of_the_logits_and_accuracy_counts_them()
    {
        Mlp model = Trained();
        float[] logits = model.Logits(s_data);
        int[] predicted = model.Predict(s_data);
        int correct = 0;
        for (int r = 0; r < predicted.Length; r++)
        {
            float[] row = logits[(r * 4)..(r * 4 + 4)];
            Assert.Equal(Array.IndexOf(row, row.Max()), predicted[r]); // IndexOf: first, so ties go to the lowest
            if (predicted[r] == s_data.Labels[r]) correct++;
        }
        Assert.Equal((double)correct / predicted.Length, model.Accuracy(s_data));
    }

    [Fact]
    public void Ties_go_to_the_lowest_class() =>
        Assert.Equal(1, Mlp.ArgMax([0f, 2f, 2f, 1f]));

    [Fact]
    public void Span_overloads_agree_with_the_dataset_ones()
    {
        Mlp model = Trained();
        float[] logits = new float[s_data.RowCount * 4];
        model.Logits(s_data.Features.AsSpan(), logits);
        Assert.Equal(model.Logits(s_data), logits);
        int[] classes = new int[s_data.RowCount];
        model.Predict(s_data.Features.AsSpan(), classes);
        Assert.Equal(model.Predict(s_data), classes);
    }

    [Fact]
    public void A_clone_is_independent()
    {
        Mlp model = Trained();
        Mlp clone = model.Clone();
        Assert.Equal(NnTestData.Hash(model), NnTestData.Hash(clone));
        clone.Parameters[0] += 1;
        Assert.NotEqual(NnTestData.Hash(model), NnTestData.Hash(clone));
    }

    [Fact]
    public void Evaluation_refuses_mismatched_inputs()
    {
        Mlp model = Trained();
        Assert.Throws<ArgumentException>("data", () => model.Predict(GaussianClusters.Generate(20, 5, 4)));
        Assert.Throws<ArgumentException>("data", () => model.Accuracy(GaussianClusters.Generate(20, 5, 4)));
        Assert.Throws<ArgumentOutOfRangeException>("data", () => model.Accuracy(GaussianClusters.Generate(30, 6, 6)));
        Assert.Throws<ArgumentException>("features", () => model.Logits(new float[7], new float[4]));
        Assert.Throws<ArgumentException>("features", () => model.Predict([1, 2, 3, 4, 5, float.PositiveInfinity], new int[1]));
        Assert.Throws<ArgumentException>("destination", () => model.Logits(new float[12], new float[4]));
        Assert.Throws<ArgumentException>("destination", () => model.Predict(new float[12], new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>("hiddenWidth", () => Mlp.CreateInitialized(2, 0, 2, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => Mlp.CreateInitialized(2, 3, 1, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("hiddenWidths", () => Mlp.CreateInitialized(2, [3, -1], 2, new RandomSource(1)));
        Assert.Throws<ArgumentException>("hiddenWidths", () => Mlp.CreateInitialized(2, Array.Empty<int>(), 2, new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>("hiddenWidths", () =>
            Mlp.CreateInitialized(Mlp.MaxWidth, [Mlp.MaxWidth, Mlp.MaxWidth], 2, new RandomSource(1)));
    }
}
