using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn.Kernels;

/// <summary>
/// The cross-entropy with its rows in the lanes against the row path, bit for bit: the loss and every gradient, for
/// batches of any length (short last blocks), ties, spreads that leave exponents outside the lanes' range, non-finite
/// logits, and batches long enough that the running product of the denominators is logged in the middle.
/// </summary>
/// <remarks>On hardware without 512-bit vectors the trainer never takes this path; there these tests check that the
/// dispatcher gives the row path's bits, which the child-process instruction-set tests also compare.</remarks>
public class CrossEntropyInLanesTests
{
    [Property(MaxTest = 300)]
    public Property Gives_the_row_paths_bits(PositiveInt seed)
    {
        var random = new RandomSource((ulong)seed.Get, 91);
        int k = random.NextInt(2, 13), rows = random.NextInt(3) == 0 ? random.NextInt(240, 330) : random.NextInt(1, 70);
        int kind = random.NextInt(5);
        float[] logits = new float[rows * k];
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e30f, -1e30f, 800f];
        for (int t = 0; t < logits.Length; t++)
        {
            logits[t] = kind switch
            {
                0 => (float)random.NextGaussian(),
                1 => (float)(400 * random.NextGaussian()), // some u below −708: those blocks take the scalar exp
                2 => 1f,                                    // every row a tie: s = k, so long batches log mid-way
                3 => random.NextInt(3),
                _ => random.NextInt(10) == 0 ? specials[random.NextInt(specials.Length)] : (float)(3 * random.NextGaussian()),
            };
        }
        int[] labels = [.. Enumerable.Range(0, rows).Select(_ => random.NextInt(k))];
        (double expectedLoss, float[] expected) = ByRows(logits, labels, k);
        (double loss, float[] actual) = Dispatched(logits, labels, k);
        bool same = BitConverter.DoubleToInt64Bits(loss) == BitConverter.DoubleToInt64Bits(expectedLoss)
                    && actual.Select(BitConverter.SingleToInt32Bits).SequenceEqual(expected.Select(BitConverter.SingleToInt32Bits));
        return same.Label($"k {k}, rows {rows}, kind {kind}: loss {loss:R} vs {expectedLoss:R}");
    }

    [Fact]
    public void A_long_batch_of_ties_logs_its_product_mid_way_and_still_agrees()
    {
        // s = 12 in every row: the product passes 2^900 after 252 rows, so 600 rows log it twice before the end.
        const int K = 12, Rows = 600;
        float[] logits = Enumerable.Repeat(0.5f, Rows * K).ToArray();
        int[] labels = [.. Enumerable.Range(0, Rows).Select(r => r % K)];
        (double expectedLoss, float[] expected) = ByRows(logits, labels, K);
        (double loss, float[] actual) = Dispatched(logits, labels, K);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLoss), BitConverter.DoubleToInt64Bits(loss));
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Rows * Math.Log(K), loss, 1e-9); // ln s − u_y = ln 12 in every row
    }

    [Fact]
    public void Runs_where_the_hardware_has_512_bit_vectors() =>
        Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, CrossEntropyInLanes.IsSupported);

    private static (double Loss, float[] Gradient) ByRows(float[] logits, int[] labels, int k)
    {
        int scratch = MlpTrainer.SoftmaxScratchLength(labels.Length, k);
        float[] gradient = new float[logits.Length];
        double loss = MlpTrainer.SoftmaxLossByRows(new CrossEntropyLoss(), logits, labels, k, gradient, new double[scratch], new double[scratch], new double[scratch]);
        return (loss, gradient);
    }

    // What the trainer runs: the lanes on 512-bit hardware. The scratch is filled with garbage first, so nothing may
    // depend on it starting at zero.
    private static (double Loss, float[] Gradient) Dispatched(float[] logits, int[] labels, int k)
    {
        int scratch = MlpTrainer.SoftmaxScratchLength(labels.Length, k);
        double[] Garbage() => Enumerable.Repeat(double.NaN, scratch).ToArray();
        float[] gradient = Enumerable.Repeat(float.NaN, logits.Length).ToArray();
        double loss = MlpTrainer.SoftmaxLoss(LossFunction.CrossEntropy, logits, labels, k, gradient, Garbage(), Garbage(), Garbage());
        return (loss, gradient);
    }
}
