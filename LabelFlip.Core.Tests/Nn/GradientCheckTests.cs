using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

public class GradientCheckTests
{
    // Random small networks (d 1–5, 1–3 hidden layers of 1–20 units, k 2–4, 1–12 rows): every analytic gradient
    // entry agrees with the central difference of the mean loss computed entirely in double.
    [Property(MaxTest = 40)]
    public Property Analytic_gradients_agree_with_central_differences(PositiveInt seedValue)
    {
        var random = new RandomSource((ulong)seedValue.Get);
        int depth = 1 + seedValue.Get % 3;
        int d = random.NextInt(1, 6), k = random.NextInt(2, 5), rows = random.NextInt(1, 13);
        int[] widths = Enumerable.Range(0, depth).Select(_ => random.NextInt(1, 21)).ToArray();
        Dataset data = GaussianClusters.Generate(Math.Max(rows, k), d, k, seed: random.NextUInt64());
        Mlp model = Mlp.CreateInitialized(d, widths, k, random);
        int[] batch = Enumerable.Range(0, rows).ToArray();

        double loss = new MlpTrainer().ComputeGradients(model, data, batch, out float[] gradients);
        // The gradients come in the parameters' internal layout: read them back per layer in PyTorch's.
        var analytic = new Mlp(d, widths, k, gradients);
        double[][] weights = Enumerable.Range(0, model.LayerCount).Select(l => model.GetWeights(l).Select(v => (double)v).ToArray()).ToArray();
        double[][] biases = Enumerable.Range(0, model.LayerCount).Select(l => model.GetBiases(l).Select(v => (double)v).ToArray()).ToArray();
        double lossInDouble = MeanLoss(weights, biases, data, batch);

        var failures = new List<string>();
        for (int l = 0; l < model.LayerCount; l++)
        {
            foreach ((double[] values, float[] expected, string name) in new[] { (weights[l], analytic.GetWeights(l), "W"), (biases[l], analytic.GetBiases(l), "b") })
            {
                for (int index = 0; index < values.Length; index++)
                {
                    const double Step = 1e-6;
                    double saved = values[index];
                    values[index] = saved + Step;
                    double up = MeanLoss(weights, biases, data, batch);
                    values[index] = saved - Step;
                    double down = MeanLoss(weights, biases, data, batch);
                    values[index] = saved;
                    double numeric = (up - down) / (2 * Step);
                    if (!(Math.Abs(expected[index] - numeric) <= 2e-5 + 1e-3 * Math.Abs(numeric)))
                        failures.Add($"{name}{l}[{index}] analytic {expected[index]}, numeric {numeric}");
                }
            }
        }
        return (failures.Count == 0).Label($"widths [{string.Join(", ", widths)}]: " + string.Join("; ", failures.Take(5)))
            .And((Math.Abs(loss - lossInDouble) <= 1e-5 * Math.Max(1, lossInDouble)).Label($"loss {loss} vs {lossInDouble}"));
    }

    // The mean loss in double, layer by layer from PyTorch-layout weights (out × in) and biases.
    private static double MeanLoss(double[][] weights, double[][] biases, Dataset data, int[] rows)
    {
        double total = 0;
        foreach (int row in rows)
        {
            double[] a = MlpReference.LogitsInDouble(weights, biases, data.GetRow(row));
            double max = a.Max();
            total += Math.Log(a.Sum(v => Math.Exp(v - max))) + max - a[data.Labels[row]];
        }
        return total / rows.Length;
    }
}
