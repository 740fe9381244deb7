using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

[Properties(Arbitrary = [typeof(NnGenerators)])]
public class LossFunctionTests
{
    /// <summary>Every loss, its parameters drawn from <paramref name="random"/> (a forward matrix of k classes with a
    /// heavy diagonal and every entry positive).</summary>
    internal static LossFunction[] EveryLoss(RandomSource random, int k)
    {
        double[][] rows = new double[k][];
        for (int i = 0; i < k; i++)
        {
            rows[i] = [.. Enumerable.Range(0, k).Select(j => (j == i ? 2.0 : 0.0) + random.NextDouble(0.01, 1))];
            double total = rows[i].Sum();
            rows[i] = [.. rows[i].Select(t => t / total)];
        }
        return
        [
            LossFunction.CrossEntropy,
            LossFunction.LabelSmoothing(random.NextDouble(0, 1)),
            LossFunction.GeneralizedCrossEntropy(random.NextDouble(0.05, 1)),
            LossFunction.SymmetricCrossEntropy(random.NextDouble(0, 2), random.NextDouble(0.01, 2)),
            LossFunction.SoftBootstrapping(random.NextDouble(0, 1)),
            LossFunction.HardBootstrapping(random.NextDouble(0, 1)),
            LossFunction.ForwardCorrected(new TransitionMatrix(rows)),
        ];
    }

    // Logits of every kind: small, spread by 60 (so some exps are tiny), and rows of ties (equal largest logits).
    private static (float[] Logits, int[] Labels, int K) RandomBatch(RandomSource random)
    {
        int k = random.NextInt(2, 13), rows = random.NextInt(1, 21);
        double scale = random.NextInt(3) switch { 0 => 1, 1 => 60, _ => 0 };
        float[] logits = new float[rows * k];
        for (int t = 0; t < logits.Length; t++)
            logits[t] = scale == 0 ? random.NextInt(3) : (float)(scale * random.NextGaussian());
        int[] labels = [.. Enumerable.Range(0, rows).Select(_ => random.NextInt(k))];
        return (logits, labels, k);
    }

    [Property(MaxTest = 200)]
    public Property Every_loss_gives_the_scalar_references_bits_per_row(PositiveInt seed)
    {
        var random = new RandomSource((ulong)seed.Get, 77);
        (float[] logits, int[] labels, int k) = RandomBatch(random);
        var failures = new List<string>();
        foreach (LossFunction loss in EveryLoss(random, k))
        {
            float[] gradient = new float[logits.Length], expected = new float[logits.Length];
            int scratch = MlpTrainer.SoftmaxScratchLength(labels.Length, k);
            double sum = MlpTrainer.SoftmaxLoss(loss, logits, labels, k, gradient, new double[scratch], new double[scratch], new double[scratch]);
            double expectedSum = LossReference.Batch(loss, logits, labels, k, expected);
            if (BitConverter.DoubleToInt64Bits(sum) != BitConverter.DoubleToInt64Bits(expectedSum))
                failures.Add($"{loss}: loss {sum:R} vs {expectedSum:R}");
            for (int t = 0; t < gradient.Length; t++)
            {
                if (BitConverter.SingleToInt32Bits(gradient[t]) != BitConverter.SingleToInt32Bits(expected[t]))
                {
                    failures.Add($"{loss}: gradient[{t}] {gradient[t]:R} vs {expected[t]:R}");
                    break;
                }
            }
        }
        return (failures.Count == 0).Label(string.Join("; ", failures));
    }

    // Whole training runs (every depth, batch size, momentum and decay the generator draws) with each loss against
    // MlpReference, which takes its losses from LossReference.
    [Property(MaxTest = 12)]
    public Property Training_with_every_loss_equals_the_scalar_reference_bit_for_bit(TrainingCase testCase)
    {
        Dataset data = testCase.Data();
        var failures = new List<string>();
        foreach (LossFunction loss in EveryLoss(new RandomSource(testCase.Seed, 5), data.ClassCount))
        {
            TrainingOptions options = testCase.Options with { Loss = loss };
            ReferenceRun reference = MlpReference.Train(data, testCase.Widths, options, new RandomSource(testCase.Seed));
            TrainingResult result;
            try
            {
                result = new MlpTrainer().Train(data, testCase.Widths, options, new RandomSource(testCase.Seed));
            }
            catch (TrainingDivergedException)
            {
                if (reference.EpochLosses.All(double.IsFinite) && reference.Weights.Concat(reference.Biases).All(b => b.All(float.IsFinite)))
                    failures.Add($"{loss}: diverged, the reference did not");
                continue;
            }
            if (NnTestData.Hash(result.Model) != reference.Hash())
                failures.Add($"{loss}: weights differ");
            if (!result.EpochLosses.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(reference.EpochLosses.Select(BitConverter.DoubleToInt64Bits)))
                failures.Add($"{loss}: losses [{string.Join(", ", result.EpochLosses)}] vs [{string.Join(", ", reference.EpochLosses)}]");
        }
        return (failures.Count == 0).Label(string.Join("; ", failures));
    }

    // Random small networks: every analytic gradient entry agrees with the central difference of the mean loss
    // computed entirely in double (with Math.Exp and Math.Log), for every loss.
    [Property(MaxTest = 15)]
    public Property Every_loss_has_analytic_gradients_that_agree_with_central_differences(PositiveInt seedValue)
    {
        var random = new RandomSource((ulong)seedValue.Get, 3);
        int depth = 1 + seedValue.Get % 2;
        int d = random.NextInt(1, 5), k = random.NextInt(2, 5), rows = random.NextInt(1, 9);
        int[] widths = [.. Enumerable.Range(0, depth).Select(_ => random.NextInt(1, 13))];
        Dataset data = GaussianClusters.Generate(Math.Max(rows, k), d, k, seed: random.NextUInt64());
        Mlp model = Mlp.CreateInitialized(d, widths, k, random);
        int[] batch = [.. Enumerable.Range(0, rows)];
        float[] floatLogits = model.Logits(data);
        int[] predicted = [.. batch.Select(r => Mlp.ArgMax(floatLogits.AsSpan(r * k, k)))];
        double[][] weights = [.. Enumerable.Range(0, model.LayerCount).Select(l => model.GetWeights(l).Select(v => (double)v).ToArray())];
        double[][] biases = [.. Enumerable.Range(0, model.LayerCount).Select(l => model.GetBiases(l).Select(v => (double)v).ToArray())];

        var failures = new List<string>();
        foreach (LossFunction loss in EveryLoss(random, k))
        {
            double meanLoss = new MlpTrainer().ComputeGradients(model, data, batch, out float[] gradients, loss);
            var analytic = new Mlp(d, widths, k, gradients);
            double lossInDouble = MeanLoss(loss, weights, biases, data, batch, predicted);
            if (!(Math.Abs(meanLoss - lossInDouble) <= 1e-5 * Math.Max(1, Math.Abs(lossInDouble))))
                failures.Add($"{loss}: loss {meanLoss} vs {lossInDouble}");
            for (int l = 0; l < model.LayerCount; l++)
            {
                foreach ((double[] values, float[] expected, string name) in new[] { (weights[l], analytic.GetWeights(l), "W"), (biases[l], analytic.GetBiases(l), "b") })
                {
                    for (int index = 0; index < values.Length; index++)
                    {
                        const double Step = 1e-6;
                        double saved = values[index];
                        values[index] = saved + Step;
                        double up = MeanLoss(loss, weights, biases, data, batch, predicted);
                        values[index] = saved - Step;
                        double down = MeanLoss(loss, weights, biases, data, batch, predicted);
                        values[index] = saved;
                        double numeric = (up - down) / (2 * Step);
                        if (!(Math.Abs(expected[index] - numeric) <= 2e-5 + 1e-3 * Math.Abs(numeric)))
                            failures.Add($"{loss}: {name}{l}[{index}] analytic {expected[index]}, numeric {numeric}");
                    }
                }
            }
        }
        return (failures.Count == 0).Label($"widths [{string.Join(", ", widths)}]: " + string.Join("; ", failures.Take(5)));
    }

    // The mean loss in double from the textbook formulas; hard bootstrapping's predicted class is held at the
    // network's (float) prediction, as the trainer holds it.
    private static double MeanLoss(LossFunction loss, double[][] weights, double[][] biases, Dataset data, int[] rows, int[] predicted)
    {
        double total = 0;
        for (int r = 0; r < rows.Length; r++)
        {
            double[] a = MlpReference.LogitsInDouble(weights, biases, data.GetRow(rows[r]));
            total += RowLossInDouble(loss, a, data.Labels[rows[r]], predicted[r]);
        }
        return total / rows.Length;
    }

    private static double RowLossInDouble(LossFunction loss, double[] z, int y, int predicted)
    {
        int k = z.Length;
        double max = z.Max(), logSum = Math.Log(z.Sum(v => Math.Exp(v - max)));
        double[] logP = [.. z.Select(v => v - max - logSum)], p = [.. logP.Select(Math.Exp)];
        double beta = loss.Parameter;
        return loss.Name switch
        {
            LossFunction.CrossEntropyName => -logP[y],
            LossFunction.LabelSmoothingName => -Enumerable.Range(0, k).Sum(c => ((c == y ? 1 - loss.Parameter : 0) + loss.Parameter / k) * logP[c]),
            LossFunction.GeneralizedCrossEntropyName => (1 - Math.Pow(p[y], loss.Parameter)) / loss.Parameter,
            LossFunction.SymmetricCrossEntropyName => loss.Parameter * -logP[y] + loss.SecondParameter * 4 * (1 - p[y]),
            LossFunction.SoftBootstrappingName => -Enumerable.Range(0, k).Sum(c => (beta * (c == y ? 1 : 0) + (1 - beta) * p[c]) * logP[c]),
            LossFunction.HardBootstrappingName => -beta * logP[y] - (1 - beta) * logP[predicted],
            LossFunction.ForwardCorrectedName => -Math.Log(Enumerable.Range(0, k).Sum(i => loss.Matrix![i, y] * p[i])),
            _ => throw new ArgumentException(loss.Name),
        };
    }

    public static TheoryData<string> CrossEntropyInDisguise() =>
        [LossFunction.LabelSmoothingName, LossFunction.SoftBootstrappingName, LossFunction.HardBootstrappingName];

    // Label smoothing with ε = 0 and bootstrapping with β = 1 ARE the cross-entropy: every product by 1 or 0 is exact.
    [Theory]
    [MemberData(nameof(CrossEntropyInDisguise))]
    public void The_documented_limit_trains_the_cross_entropys_bits(string name)
    {
        LossFunction loss = name switch
        {
            LossFunction.LabelSmoothingName => LossFunction.LabelSmoothing(0),
            LossFunction.SoftBootstrappingName => LossFunction.SoftBootstrapping(1),
            _ => LossFunction.HardBootstrapping(1),
        };
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 8, Momentum = 0.9, BatchSize = 50 };
        TrainingResult plain = new MlpTrainer().Train(train, [37, 20], options, new RandomSource(5));
        TrainingResult limit = new MlpTrainer().Train(train, [37, 20], options with { Loss = loss }, new RandomSource(5));
        Assert.Equal(NnTestData.Hash(plain.Model), NnTestData.Hash(limit.Model));
        Assert.Equal(plain.EpochLosses.Select(BitConverter.DoubleToInt64Bits), limit.EpochLosses.Select(BitConverter.DoubleToInt64Bits));
    }

    // Limits that hold up to rounding: GCE as q → 0 and SCE with β = 0 are the cross-entropy; GCE at q = 1 is 1 − p_y;
    // SCE with α = 0 is 4·(1 − p_y); forward correction with T = I is the cross-entropy.
    [Property(MaxTest = 50)]
    public Property The_documented_limits_hold_up_to_rounding(PositiveInt seed)
    {
        var random = new RandomSource((ulong)seed.Get, 11);
        (float[] logits, int[] labels, int k) = RandomBatch(random);
        double[] identityRow(int i) => [.. Enumerable.Range(0, k).Select(j => j == i ? 1.0 : 0.0)];
        var identity = new TransitionMatrix([.. Enumerable.Range(0, k).Select(i => (IReadOnlyList<double>)identityRow(i))]);
        (double Loss, float[] Gradient) run(LossFunction loss)
        {
            float[] g = new float[logits.Length];
            int scratch = MlpTrainer.SoftmaxScratchLength(labels.Length, k);
            double sum = MlpTrainer.SoftmaxLoss(loss, logits, labels, k, g, new double[scratch], new double[scratch], new double[scratch]);
            return (sum, g);
        }
        double oneMinusPy = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            float[] z = logits[(r * k)..(r * k + k)];
            double max = z.Max(), s = z.Sum(v => Math.Exp(v - max));
            oneMinusPy += 1 - Math.Exp(z[labels[r]] - max) / s;
        }
        (double ce, float[] ceGradient) = run(LossFunction.CrossEntropy);
        bool close((double Loss, float[] Gradient) a, double loss, float[]? gradient, double tolerance) =>
            Math.Abs(a.Loss - loss) <= tolerance * Math.Max(1, Math.Abs(loss))
            && (gradient is null || a.Gradient.Zip(gradient).All(x => Math.Abs(x.First - x.Second) <= 1e-6));
        // (1 − p^q)/q = −ln p − q·ln²p/2 + …: with |ln p| up to ~200 here, q = 1e-9 keeps the gap below 1e-5.
        (double, float[]) gce0 = run(LossFunction.GeneralizedCrossEntropy(1e-9));
        return close(gce0, ce, ceGradient, 1e-5).Label($"GCE q = 1e-9: {gce0.Item1} vs CE {ce}")
            .And(close(run(LossFunction.GeneralizedCrossEntropy(1)), oneMinusPy, null, 1e-12).Label("GCE q = 1 is Σ(1 − p_y)"))
            .And(close(run(LossFunction.SymmetricCrossEntropy(1, 0)), ce, ceGradient, 1e-12).Label("SCE β = 0 is CE"))
            .And(close(run(LossFunction.SymmetricCrossEntropy(0, 1)), 4 * oneMinusPy, null, 1e-12).Label("SCE α = 0 is 4·Σ(1 − p_y)"))
            .And(close(run(LossFunction.ForwardCorrected(identity)), ce, ceGradient, 1e-12).Label("forward with I is CE"));
    }

    // The training loop allocates nothing per epoch with any loss: 40 epochs cost what 20 do, plus the 20 more
    // doubles of the epoch-loss record.
    [Fact]
    public void No_loss_allocates_per_epoch()
    {
        Dataset train = NnTestData.StudyTrain();
        var trainer = new MlpTrainer();
        foreach (LossFunction loss in EveryLoss(new RandomSource(1), train.ClassCount))
        {
            long Allocated(int epochs)
            {
                var options = new TrainingOptions { Epochs = epochs, Loss = loss };
                long least = long.MaxValue;
                for (int attempt = 0; attempt < 3; attempt++)
                {
                    var random = new RandomSource(2);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    trainer.Train(train, 24, options, random);
                    least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                return least;
            }
            Allocated(2); // the trainer's buffers, once
            long twenty = Allocated(20), forty = Allocated(40);
            Assert.True(forty - twenty <= 20 * sizeof(double), $"{loss}: {twenty} bytes for 20 epochs, {forty} for 40");
        }
    }

    [Fact]
    public void Loss_parameters_out_of_range_are_refused_by_name()
    {
        Assert.Throws<ArgumentOutOfRangeException>("epsilon", () => LossFunction.LabelSmoothing(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>("epsilon", () => LossFunction.LabelSmoothing(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("q", () => LossFunction.GeneralizedCrossEntropy(0));
        Assert.Throws<ArgumentOutOfRangeException>("q", () => LossFunction.GeneralizedCrossEntropy(1.5));
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => LossFunction.SymmetricCrossEntropy(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => LossFunction.SymmetricCrossEntropy(1, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => LossFunction.SymmetricCrossEntropy(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => LossFunction.SoftBootstrapping(1.01));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => LossFunction.HardBootstrapping(-0.5));
        Assert.Throws<ArgumentNullException>("matrix", () => LossFunction.ForwardCorrected(null!));
        Assert.Throws<ArgumentNullException>("Loss", () => new TrainingOptions { Loss = null! });
    }

    [Fact]
    public void A_forward_matrix_of_another_class_count_is_refused()
    {
        Dataset train = NnTestData.StudyTrain();
        var options = new TrainingOptions { Epochs = 1, Loss = LossFunction.ForwardCorrected(TransitionMatrix.Pair(train.ClassCount + 1, 0.2)) };
        var error = Assert.Throws<ArgumentException>("options", () => new MlpTrainer().Train(train, 8, options, new RandomSource(1)));
        Assert.Contains($"{train.ClassCount} × {train.ClassCount}", error.Message);
    }
}
