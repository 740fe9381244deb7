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
    }
}
