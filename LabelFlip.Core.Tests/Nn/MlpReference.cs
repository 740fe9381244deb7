using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>
/// The parameters of a network in PyTorch's layout, one array per linear layer (out × in weights, out biases; the
/// last layer is the output layer), plus the epoch losses of the run that made them.
/// </summary>
public sealed record ReferenceRun(float[][] Weights, float[][] Biases, double[] EpochLosses)
{
    /// <summary>The same hash as <see cref="NnTestData.Hash(Mlp)"/>: every layer's weights then biases, in order.</summary>
    public ulong Hash() => NnTestData.Hash([.. Weights.Zip(Biases).SelectMany(layer => new[] { layer.First, layer.Second })]);
}

/// <summary>
/// A plain scalar implementation of the documented training algorithm: ordinary nested loops over PyTorch-layout
/// arrays, no spans tricks, no vectors, no padding. It follows the written definitions (sums from +0 in index
/// order, the bias added after a hidden unit's sum, 16 partial sums for a logit, unfused multiply-add, PyTorch
/// SGD), so the vectorised trainer must agree with it bit for bit, at every depth.
/// </summary>
public static class MlpReference
{
    public static ReferenceRun Train(Dataset data, int h, TrainingOptions options, RandomSource random) =>
        Train(data, [h], options, random);

    /// <summary>Initialisation from <paramref name="random"/>, then a reset-and-shuffle per epoch from the same stream.</summary>
    public static ReferenceRun Train(Dataset data, int[] widths, TrainingOptions options, RandomSource random)
    {
        // Initialisation, in the documented draw order: layer by layer, weights (row-major) then biases.
        int[] sizes = [data.FeatureCount, .. widths, data.ClassCount];
        float[][] weights = new float[sizes.Length - 1][], biases = new float[sizes.Length - 1][];
        for (int l = 0; l < weights.Length; l++)
        {
            float bound = (float)(1.0 / Math.Sqrt(sizes[l]));
            weights[l] = new float[sizes[l + 1] * sizes[l]];
            biases[l] = new float[sizes[l + 1]];
            for (int t = 0; t < weights[l].Length; t++) weights[l][t] = random.NextSingle(-bound, bound);
            for (int t = 0; t < biases[l].Length; t++) biases[l][t] = random.NextSingle(-bound, bound);
        }
        return Train(data, weights, biases, options, order =>
        {
            for (int i = 0; i < order.Length; i++) order[i] = i;
            random.Shuffle(order.AsSpan());
        });
    }

    /// <summary>Trains the given parameters (changed in place) with the epoch orders <paramref name="nextEpoch"/> writes.</summary>
    public static ReferenceRun Train(Dataset data, float[][] weights, float[][] biases, TrainingOptions options, Action<int[]> nextEpoch)
    {
        int d = data.FeatureCount, n = data.RowCount;
        float[] x = data.Features.ToArray();
        int[] y = data.Labels.ToArray();
        float[][] parameters = [.. weights.Zip(biases).SelectMany(layer => new[] { layer.First, layer.Second })];
        float[][] velocity = [.. parameters.Select(p => new float[p.Length])];
        float lr = (float)options.LearningRate, mom = (float)options.Momentum, wd = (float)options.WeightDecay;
        int batch = Math.Min(options.BatchSize, n);
        double[] losses = new double[options.Epochs];
        bool first = true;
        int[] order = new int[n];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            nextEpoch(order);
            double lossSum = 0;
            for (int start = 0; start < n; start += batch)
            {
                int[] rows = order[start..Math.Min(n, start + batch)];
                lossSum += Gradients(x, y, rows, d, weights, biases, out float[][] grads, options.Loss);
                for (int t = 0; t < parameters.Length; t++)
                {
                    for (int e = 0; e < parameters[t].Length; e++)
                    {
                        float p = parameters[t][e], g = grads[t][e];
                        if (wd != 0) g = g + wd * p;
                        if (mom != 0)
                        {
                            g = first ? g : g + mom * velocity[t][e];
                            velocity[t][e] = g;
                        }
                        parameters[t][e] = p + -lr * g;
                    }
                }
                first = false;
            }
            losses[epoch] = lossSum / n;
        }
        return new ReferenceRun(weights, biases, losses);
    }

    /// <summary>
    /// Gradients of the batch-mean loss, per layer weights then biases (PyTorch layout): [dW⁰, db⁰, dW¹, db¹, …];
    /// returns the sum of the row losses.
    /// </summary>
    public static double Gradients(float[] x, int[] y, int[] rows, int d, float[][] weights, float[][] biases, out float[][] grads,
                                   LossFunction? loss = null)
    {
        loss ??= LossFunction.CrossEntropy;
        int bsz = rows.Length, hiddenLayers = weights.Length - 1, k = biases[^1].Length;
        // a[l][r] is the input of linear layer l for batch row r: the features for l = 0, else hidden activations.
        float[][][] a = new float[hiddenLayers + 1][][];
        a[0] = [.. rows.Select(row => x[(row * d)..(row * d + d)])];
        float[,] g = new float[bsz, k];
        double lossSum = 0, product = 1;
        for (int r = 0; r < bsz; r++)
        {
            for (int l = 0; l < hiddenLayers; l++)
            {
                int inputs = a[l][r].Length, outputs = biases[l].Length;
                a[l + 1] ??= new float[bsz][];
                float[] hidden = a[l + 1][r] = new float[outputs];
                for (int j = 0; j < outputs; j++)
                {
                    float s = 0;
                    for (int i = 0; i < inputs; i++) s = s + a[l][r][i] * weights[l][j * inputs + i];
                    s = s + 1f * biases[l][j];
                    hidden[j] = s > 0 ? s : 0;
                }
            }
            float[] last = a[hiddenLayers][r], w = weights[hiddenLayers];
            int h = last.Length;
            float[] z = new float[k];
            for (int c = 0; c < k; c++)
            {
                float[] partial = new float[16];
                for (int j = 0; j < h; j++) partial[j % 16] = partial[j % 16] + w[c * h + j] * last[j];
                for (int step = 8; step >= 1; step /= 2)
                    for (int m = 0; m < step; m++) partial[m] = partial[m] + partial[m + step];
                z[c] = partial[0] + biases[hiddenLayers][c];
            }
            int label = y[rows[r]];
            if (loss.Name != LossFunction.CrossEntropyName)
            {
                // Another loss: its own row reference (LossReference), the same batch-level ln Π s.
                float[] row = new float[k];
                lossSum += LossReference.Row(loss, z, label, 1.0 / bsz, row, out double rowSum);
                for (int c = 0; c < k; c++) g[r, c] = row[c];
                if (LossReference.AddsLogSum(loss))
                {
                    product *= rowSum;
                    if (product > Math.Pow(2, 900))
                    {
                        lossSum += DeterministicMath.Log(product);
                        product = 1;
                    }
                }
                continue;
            }
            double max = z.Max();
            double[] e = z.Select(v => PolynomialExp.Exp(v - max)).ToArray();
            double sum = 0;
            foreach (double v in e) sum += v;
            // The documented form: −Σ (z_y − m) plus ln of the product of the denominators, flushed above 2^900.
            lossSum -= z[label] - max;
            product *= sum;
            if (product > Math.Pow(2, 900))
            {
                lossSum += DeterministicMath.Log(product);
                product = 1;
            }
            double inverseSum = 1.0 / sum, inverseRows = 1.0 / bsz;
            for (int c = 0; c < k; c++)
                g[r, c] = c == label ? (float)((e[c] * inverseSum - 1.0) * inverseRows) : (float)(e[c] * inverseSum * inverseRows);
        }

        grads = new float[2 * weights.Length][];
        // delta[r, o]: the gradient with respect to layer l's pre-activations (for the output layer, the logits).
        float[,] delta = g;
        for (int l = hiddenLayers; l >= 0; l--)
        {
            int outputs = biases[l].Length, inputs = a[l][0].Length;
            float[] gw = new float[outputs * inputs], gb = new float[outputs];
            for (int o = 0; o < outputs; o++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    float s = 0;
                    for (int r = 0; r < bsz; r++) s = s + delta[r, o] * a[l][r][i];
                    gw[o * inputs + i] = s;
                }
                float sb = 0;
                for (int r = 0; r < bsz; r++) sb = sb + 1f * delta[r, o];
                gb[o] = sb;
            }
            grads[2 * l] = gw;
            grads[2 * l + 1] = gb;
            if (l == 0)
                break;
            // Back through layer l into the ReLU of hidden layer l − 1 (whose activations are a[l]): a sum over
            // this layer's outputs, in order from +0.
            float[,] below = new float[bsz, inputs];
            for (int r = 0; r < bsz; r++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    float s = 0;
                    for (int o = 0; o < outputs; o++) s = s + delta[r, o] * weights[l][o * inputs + i];
                    below[r, i] = a[l][r][i] > 0 ? s : 0;
                }
            }
            delta = below;
        }
        return lossSum + DeterministicMath.Log(product);
    }

    /// <summary>A network's logits for one row in double, layer by layer from PyTorch-layout weights (out × in) and
    /// biases, ReLU between layers: the textbook forward pass that the gradient checks differentiate numerically.</summary>
    public static double[] LogitsInDouble(double[][] weights, double[][] biases, ReadOnlySpan<float> features)
    {
        double[] a = new double[features.Length];
        for (int i = 0; i < a.Length; i++)
            a[i] = features[i];
        for (int l = 0; l < weights.Length; l++)
        {
            int outputs = biases[l].Length, inputs = a.Length;
            double[] next = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double s = biases[l][o];
                for (int i = 0; i < inputs; i++)
                    s += weights[l][o * inputs + i] * a[i];
                next[o] = l < weights.Length - 1 ? Math.Max(s, 0) : s;
            }
            a = next;
        }
        return a;
    }
}
