using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Nn.Kernels;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>
/// Every loss written from its documented formula, one row at a time with plain arrays: the trainer's per-row loss
/// and logit gradient must agree with it bit for bit. p_c = e_c·(1/s), u_c = z_c − max z, e_c = exp(u_c) (our exp),
/// s = Σ e_c from +0 in order.
/// </summary>
public static class LossReference
{
    /// <summary>Whether the row's loss leaves out ln s, which the batch adds as ln Π s.</summary>
    public static bool AddsLogSum(LossFunction loss) => loss.Name is LossFunction.CrossEntropyName or LossFunction.LabelSmoothingName
        or LossFunction.SoftBootstrappingName or LossFunction.HardBootstrappingName;

    /// <summary>The row's loss (without ln s when <see cref="AddsLogSum"/>); writes g[c] = (∂ℓ/∂z_c)/B; returns s too.</summary>
    public static double Row(LossFunction loss, float[] z, int y, double inverseRows, float[] g, out double sum)
    {
        int k = z.Length;
        double max = z[0];
        for (int c = 1; c < k; c++)
            if (z[c] > max) max = z[c];
        double[] u = new double[k], e = new double[k], p = new double[k];
        for (int c = 0; c < k; c++) u[c] = z[c] - max;
        for (int c = 0; c < k; c++) e[c] = PolynomialExp.Exp(u[c]);
        sum = 0;
        for (int c = 0; c < k; c++) sum += e[c];
        double inverseSum = 1.0 / sum;
        for (int c = 0; c < k; c++) p[c] = e[c] * inverseSum;

        switch (loss.Name)
        {
            case LossFunction.CrossEntropyName:
                for (int c = 0; c < k; c++)
                    g[c] = c == y ? (float)((p[c] - 1.0) * inverseRows) : (float)(p[c] * inverseRows);
                return -u[y];
            case LossFunction.LabelSmoothingName:
            {
                double epsilon = loss.Parameter, spread = epsilon / k, target = 1.0 - epsilon + epsilon / k, shiftedSum = 0;
                for (int c = 0; c < k; c++)
                {
                    shiftedSum += u[c];
                    g[c] = (float)((p[c] - (c == y ? target : spread)) * inverseRows);
                }
                return -((1.0 - epsilon) * u[y] + spread * shiftedSum);
            }
            case LossFunction.GeneralizedCrossEntropyName:
            {
                double q = loss.Parameter;
                double power = PolynomialExp.Exp(q * (u[y] - DeterministicMath.Log(sum)));
                for (int c = 0; c < k; c++)
                    g[c] = (float)((c == y ? p[c] - 1.0 : p[c]) * (power * inverseRows));
                return (1.0 - power) * (1.0 / q);
            }
            case LossFunction.SymmetricCrossEntropyName:
            {
                double alpha = loss.Parameter, beta = loss.SecondParameter, a = -4.0;
                double weight = (alpha - a * beta * p[y]) * inverseRows;
                for (int c = 0; c < k; c++)
                    g[c] = (float)((c == y ? p[c] - 1.0 : p[c]) * weight);
                return alpha * (DeterministicMath.Log(sum) - u[y]) - a * beta * (1.0 - p[y]);
            }
            case LossFunction.SoftBootstrappingName:
            {
                double beta = loss.Parameter, mean = 0;
                for (int c = 0; c < k; c++) mean += p[c] * u[c];
                for (int c = 0; c < k; c++)
                    g[c] = (float)((beta * (c == y ? p[c] - 1.0 : p[c]) - (1.0 - beta) * (p[c] * (u[c] - mean))) * inverseRows);
                return -(beta * u[y] + (1.0 - beta) * mean);
            }
            case LossFunction.HardBootstrappingName:
            {
                double beta = loss.Parameter;
                int predicted = 0;
                for (int c = 1; c < k; c++)
                    if (z[c] > z[predicted]) predicted = c;
                for (int c = 0; c < k; c++) g[c] = (float)(p[c] * inverseRows);
                if (predicted == y)
                {
                    g[y] = (float)((p[y] - 1.0) * inverseRows);
                }
                else
                {
                    g[y] = (float)((p[y] - beta) * inverseRows);
                    g[predicted] = (float)((p[predicted] - (1.0 - beta)) * inverseRows);
                }
                return -(beta * u[y]);
            }
            case LossFunction.ForwardCorrectedName:
            {
                var t = loss.Matrix!;
                double noisy = 0;
                for (int i = 0; i < k; i++) noisy += t[i, y] * p[i];
                for (int c = 0; c < k; c++)
                    g[c] = (float)(p[c] * (1.0 - t[c, y] * (1.0 / noisy)) * inverseRows);
                return -DeterministicMath.Log(noisy);
            }
            default:
                throw new ArgumentException(loss.Name);
        }
    }

    /// <summary>The batch: the sum of the rows' losses (ln Π s added, flushed above 2⁹⁰⁰, for the losses that leave
    /// ln s out) and the B × k logit gradient.</summary>
    public static double Batch(LossFunction loss, float[] logits, int[] labels, int k, float[] gradient)
    {
        int rows = labels.Length;
        double lossSum = 0, product = 1, inverseRows = 1.0 / rows;
        for (int r = 0; r < rows; r++)
        {
            float[] g = new float[k];
            lossSum += Row(loss, logits[(r * k)..(r * k + k)], labels[r], inverseRows, g, out double sum);
            g.CopyTo(gradient, r * k);
            if (AddsLogSum(loss))
            {
                product *= sum;
                if (product > Math.Pow(2, 900))
                {
                    lossSum += DeterministicMath.Log(product);
                    product = 1;
                }
            }
        }
        return AddsLogSum(loss) ? lossSum + DeterministicMath.Log(product) : lossSum;
    }
}
