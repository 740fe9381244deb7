using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>The parameters of a network in PyTorch's layout, plus the epoch losses of the run that made them.</summary>
public sealed record ReferenceRun(float[] W1, float[] B1, float[] W2, float[] B2, double[] EpochLosses);

/// <summary>
/// A plain scalar implementation of the documented training algorithm: ordinary nested loops over PyTorch-layout
/// arrays, no spans tricks, no vectors, no padding. It follows the written definitions (sums from +0 in index
/// order, 16 partial sums for a logit, unfused multiply-add, PyTorch SGD), so the vectorised trainer must agree
/// with it bit for bit.
/// </summary>
public static class MlpReference
{
    public static ReferenceRun Train(Dataset data, int h, TrainingOptions options, RandomSource random)
    {
        int d = data.FeatureCount, k = data.ClassCount, n = data.RowCount;
        float[] x = data.Features.ToArray();
        int[] y = data.Labels.ToArray();

        // Initialisation, in the documented draw order.
        float[] w1 = new float[h * d], b1 = new float[h], w2 = new float[k * h], b2 = new float[k];
        float bound1 = (float)(1.0 / Math.Sqrt(d)), bound2 = (float)(1.0 / Math.Sqrt(h));
        for (int t = 0; t < w1.Length; t++) w1[t] = random.NextSingle(-bound1, bound1);
        for (int t = 0; t < b1.Length; t++) b1[t] = random.NextSingle(-bound1, bound1);
        for (int t = 0; t < w2.Length; t++) w2[t] = random.NextSingle(-bound2, bound2);
        for (int t = 0; t < b2.Length; t++) b2[t] = random.NextSingle(-bound2, bound2);

        float[][] parameters = [w1, b1, w2, b2];
        float[][] velocity = [new float[w1.Length], new float[b1.Length], new float[w2.Length], new float[b2.Length]];
        float lr = (float)options.LearningRate, mom = (float)options.Momentum, wd = (float)options.WeightDecay;
        int batch = Math.Min(options.BatchSize, n);
        double[] losses = new double[options.Epochs];
        bool first = true;
        int[] order = new int[n];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            for (int i = 0; i < n; i++) order[i] = i;
            random.Shuffle(order.AsSpan());
            double lossSum = 0;
            for (int start = 0; start < n; start += batch)
            {
                int[] rows = order[start..Math.Min(n, start + batch)];
                lossSum += Gradients(x, y, rows, d, h, k, w1, b1, w2, b2, out float[][] grads);
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
        return new ReferenceRun(w1, b1, w2, b2, losses);
    }

    /// <summary>Gradients of the batch-mean loss (W1, b1, W2, b2 in PyTorch layout); returns the sum of the row losses.</summary>
    public static double Gradients(float[] x, int[] y, int[] rows, int d, int h, int k,
        float[] w1, float[] b1, float[] w2, float[] b2, out float[][] grads)
    {
        int bsz = rows.Length;
        float[,] hidden = new float[bsz, h];
        float[,] g = new float[bsz, k];
        double lossSum = 0, product = 1;
        for (int r = 0; r < bsz; r++)
        {
            int row = rows[r];
            for (int j = 0; j < h; j++)
            {
                float s = 0;
                for (int i = 0; i < d; i++) s = s + x[row * d + i] * w1[j * d + i];
                s = s + 1f * b1[j];
                hidden[r, j] = s > 0 ? s : 0;
            }
            float[] z = new float[k];
            for (int c = 0; c < k; c++)
            {
                float[] partial = new float[16];
                for (int j = 0; j < h; j++) partial[j % 16] = partial[j % 16] + w2[c * h + j] * hidden[r, j];
                for (int step = 8; step >= 1; step /= 2)
                    for (int m = 0; m < step; m++) partial[m] = partial[m] + partial[m + step];
                z[c] = partial[0] + b2[c];
            }
            double max = z.Max();
            double[] e = z.Select(v => PolynomialExp.Exp(v - max)).ToArray();
            double sum = 0;
            foreach (double v in e) sum += v;
            // The documented form: −Σ (z_y − m) plus ln of the product of the denominators, flushed above 2^900.
            lossSum -= z[y[row]] - max;
            product *= sum;
            if (product > Math.Pow(2, 900))
            {
                lossSum += DeterministicMath.Log(product);
                product = 1;
            }
            double inverseSum = 1.0 / sum, inverseRows = 1.0 / bsz;
            for (int c = 0; c < k; c++)
                g[r, c] = c == y[row] ? (float)((e[c] * inverseSum - 1.0) * inverseRows) : (float)(e[c] * inverseSum * inverseRows);
        }

        float[] gw1 = new float[h * d], gb1 = new float[h], gw2 = new float[k * h], gb2 = new float[k];
        float[,] dh = new float[bsz, h];
        for (int r = 0; r < bsz; r++)
        {
            for (int j = 0; j < h; j++)
            {
                float s = 0;
                for (int c = 0; c < k; c++) s = s + g[r, c] * w2[c * h + j];
                dh[r, j] = hidden[r, j] > 0 ? s : 0;
            }
        }
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < h; j++)
            {
                float s = 0;
                for (int r = 0; r < bsz; r++) s = s + g[r, c] * hidden[r, j];
                gw2[c * h + j] = s;
            }
            float sb = 0;
            for (int r = 0; r < bsz; r++) sb = sb + g[r, c];
            gb2[c] = sb;
        }
        for (int j = 0; j < h; j++)
        {
            for (int i = 0; i < d; i++)
            {
                float s = 0;
                for (int r = 0; r < bsz; r++) s = s + x[rows[r] * d + i] * dh[r, j];
                gw1[j * d + i] = s;
            }
            float sb = 0;
            for (int r = 0; r < bsz; r++) sb = sb + 1f * dh[r, j];
            gb1[j] = sb;
        }
        grads = [gw1, gb1, gw2, gb2];
        return lossSum + DeterministicMath.Log(product);
    }
}
