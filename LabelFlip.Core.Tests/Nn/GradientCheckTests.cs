using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

public class GradientCheckTests
{
    // Random small networks (d 1–5, h 1–20, k 2–4, 1–12 rows): every analytic gradient entry agrees with the
    // central difference of the mean loss computed entirely in double.
    [Property(MaxTest = 25)]
    public Property Analytic_gradients_agree_with_central_differences(PositiveInt seedValue)
    {
        var random = new RandomSource((ulong)seedValue.Get);
        int d = random.NextInt(1, 6), h = random.NextInt(1, 21), k = random.NextInt(2, 5), rows = random.NextInt(1, 13);
        Dataset data = GaussianClusters.Generate(Math.Max(rows, k), d, k, seed: random.NextUInt64());
        Mlp model = Mlp.CreateInitialized(d, h, k, random);
        int[] batch = Enumerable.Range(0, rows).ToArray();

        double loss = new MlpTrainer().ComputeGradients(model, data, batch, out float[] analytic);
        double[] parameters = model.Parameters.Select(v => (double)v).ToArray();
        double lossInDouble = MeanLoss(model, parameters, data, batch);

        var failures = new List<string>();
        foreach (int index in ParameterIndices(model))
        {
            const double Step = 1e-6;
            double saved = parameters[index];
            parameters[index] = saved + Step;
            double up = MeanLoss(model, parameters, data, batch);
            parameters[index] = saved - Step;
            double down = MeanLoss(model, parameters, data, batch);
            parameters[index] = saved;
            double numeric = (up - down) / (2 * Step);
            if (!(Math.Abs(analytic[index] - numeric) <= 2e-5 + 1e-3 * Math.Abs(numeric)))
                failures.Add($"[{index}] analytic {analytic[index]}, numeric {numeric}");
        }
        return (failures.Count == 0).Label(string.Join("; ", failures.Take(5)))
            .And((Math.Abs(loss - lossInDouble) <= 1e-5 * Math.Max(1, lossInDouble)).Label($"loss {loss} vs {lossInDouble}"));
    }

    // The real parameters in the internal layout (padding excluded): W1ᵀ and b1 rows, W2 rows, b2.
    private static IEnumerable<int> ParameterIndices(Mlp model)
    {
        int hp = model.PaddedWidth;
        for (int q = 0; q <= model.InputCount; q++)
            for (int j = 0; j < model.HiddenWidth; j++) yield return q * hp + j;
        for (int c = 0; c < model.ClassCount; c++)
            for (int j = 0; j < model.HiddenWidth; j++) yield return model.OutputWeightsOffset + c * hp + j;
        for (int c = 0; c < model.ClassCount; c++) yield return model.OutputBiasesOffset + c;
    }

    private static double MeanLoss(Mlp model, double[] p, Dataset data, int[] rows)
    {
        int d = model.InputCount, h = model.HiddenWidth, k = model.ClassCount, hp = model.PaddedWidth;
        double total = 0;
        foreach (int row in rows)
        {
            ReadOnlySpan<float> x = data.GetRow(row);
            double[] hidden = new double[h];
            for (int j = 0; j < h; j++)
            {
                double s = p[d * hp + j];
                for (int i = 0; i < d; i++) s += p[i * hp + j] * x[i];
                hidden[j] = Math.Max(s, 0);
            }
            double[] z = new double[k];
            for (int c = 0; c < k; c++)
            {
                z[c] = p[model.OutputBiasesOffset + c];
                for (int j = 0; j < h; j++) z[c] += p[model.OutputWeightsOffset + c * hp + j] * hidden[j];
            }
            double max = z.Max();
            total += Math.Log(z.Sum(v => Math.Exp(v - max))) + max - z[data.Labels[row]];
        }
        return total / rows.Length;
    }
}
