using System.Runtime.Intrinsics;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn.Kernels;

/// <summary>
/// Every kernel, on every lane width this machine can run, against a plain loop of the documented definition:
/// bit for bit, for many shapes. The scalar path (one lane) runs everywhere, so this also compares the hardware
/// paths with the scalar one inside a single process.
/// </summary>
public class MlpKernelsTests
{
    public static TheoryData<int> LaneCounts()
    {
        var data = new TheoryData<int> { 1 };
        if (Vector128.IsHardwareAccelerated) data.Add(4);
        if (Vector256.IsHardwareAccelerated) data.Add(8);
        if (Vector512.IsHardwareAccelerated) data.Add(16);
        return data;
    }

    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void RowsTimesMatrix_equals_the_plain_loop(int lanes)
    {
        var random = new RandomSource(1);
        foreach (int width in new[] { 16, 32, 48, 128 })
        foreach (int rows in new[] { 0, 1, 3, 4, 5, 9 })
        foreach (int inner in new[] { 1, 4, 11 })
        foreach (bool masked in new[] { false, true })
        {
            float[] a = Values(random, rows * inner), m = Values(random, inner * width), mask = masked ? Values(random, rows * width) : [];
            float[] actual = new float[rows * width], expected = new float[rows * width];
            Dispatch(lanes, a, rows, inner, m, width, mask, actual, Kernel.RowsTimesMatrix);
            for (int r = 0; r < rows; r++)
            for (int j = 0; j < width; j++)
            {
                float s = 0;
                for (int q = 0; q < inner; q++) s = s + a[r * inner + q] * m[q * width + j];
                float test = masked ? mask[r * width + j] : s;
                expected[r * width + j] = test > 0 ? s : 0;
            }
            AssertBits(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void TransposeTimes_equals_the_plain_loop(int lanes)
    {
        var random = new RandomSource(2);
        foreach (int width in new[] { 16, 64, 80 })
        foreach (int rows in new[] { 0, 1, 7, 64 })
        foreach (int columns in new[] { 1, 3, 4, 5, 11 })
        {
            float[] a = Values(random, rows * columns), v = Values(random, rows * width);
            float[] actual = new float[columns * width], expected = new float[columns * width];
            Dispatch(lanes, a, rows, columns, v, width, [], actual, Kernel.TransposeTimes);
            for (int q = 0; q < columns; q++)
            for (int j = 0; j < width; j++)
            {
                float s = 0;
                for (int r = 0; r < rows; r++) s = s + a[r * columns + q] * v[r * width + j];
                expected[q * width + j] = s;
            }
            AssertBits(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void Dot_keeps_16_partial_sums_in_the_documented_order(int lanes)
    {
        var random = new RandomSource(3);
        for (int length = 0; length <= 256; length += 16)
        {
            float[] x = Values(random, length), y = Values(random, length);
            float[] partial = new float[16];
            for (int j = 0; j < length; j++) partial[j % 16] = partial[j % 16] + x[j] * y[j];
            for (int step = 8; step >= 1; step /= 2)
                for (int m = 0; m < step; m++) partial[m] = partial[m] + partial[m + step];
            float actual = lanes switch
            {
                16 => MlpKernels.Dot<Lanes512, Vector512<float>>(x, y),
                8 => MlpKernels.Dot<Lanes256, Vector256<float>>(x, y),
                4 => MlpKernels.Dot<Lanes128, Vector128<float>>(x, y),
                _ => MlpKernels.Dot<Lanes1, float>(x, y),
            };
            Assert.Equal(BitConverter.SingleToUInt32Bits(partial[0]), BitConverter.SingleToUInt32Bits(actual));
        }
    }

    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void SgdStep_equals_PyTorch_semantics_element_by_element(int lanes)
    {
        var random = new RandomSource(4);
        for (int length = 0; length <= 70; length++)
        foreach ((float momentum, float decay) in new[] { (0f, 0f), (0.9f, 0f), (0f, 0.01f), (0.5f, 0.001f) })
        foreach (bool first in new[] { true, false })
        {
            float[] p = Values(random, length), g = Values(random, length), b = Values(random, length);
            float[] expectedP = (float[])p.Clone(), expectedB = (float[])b.Clone();
            const float Rate = 0.05f;
            for (int j = 0; j < length; j++)
            {
                float d = g[j];
                if (decay != 0) d = d + decay * expectedP[j];
                if (momentum != 0)
                {
                    d = first ? d : momentum * expectedB[j] + d;
                    expectedB[j] = d;
                }
                expectedP[j] = expectedP[j] - Rate * d;
            }
            switch (lanes)
            {
                case 16: MlpKernels.SgdStep<Lanes512, Vector512<float>>(p, g, b, Rate, momentum, decay, first); break;
                case 8: MlpKernels.SgdStep<Lanes256, Vector256<float>>(p, g, b, Rate, momentum, decay, first); break;
                case 4: MlpKernels.SgdStep<Lanes128, Vector128<float>>(p, g, b, Rate, momentum, decay, first); break;
                default: MlpKernels.SgdStep<Lanes1, float>(p, g, b, Rate, momentum, decay, first); break;
            }
            AssertBits(expectedP, p);
            AssertBits(expectedB, b);
        }
    }

    [Fact]
    public void Widths_pad_to_whole_lane_blocks()
    {
        int[] widths = [0, 1, 16, 17, 100, 127, 128];
        Assert.Equal([0, 16, 16, 32, 112, 128, 128], widths.Select(MlpKernels.PadWidth));
    }

    private enum Kernel { RowsTimesMatrix, TransposeTimes }

    private static void Dispatch(int lanes, float[] a, int rows, int inner, float[] m, int width, float[] mask, float[] output, Kernel kernel)
    {
        switch (lanes, kernel)
        {
            case (16, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes512, Vector512<float>>(a, rows, inner, m, width, mask, output); break;
            case (8, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes256, Vector256<float>>(a, rows, inner, m, width, mask, output); break;
            case (4, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes128, Vector128<float>>(a, rows, inner, m, width, mask, output); break;
            case (_, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes1, float>(a, rows, inner, m, width, mask, output); break;
            case (16, _): MlpKernels.TransposeTimes<Lanes512, Vector512<float>>(a, rows, inner, m, width, output); break;
            case (8, _): MlpKernels.TransposeTimes<Lanes256, Vector256<float>>(a, rows, inner, m, width, output); break;
            case (4, _): MlpKernels.TransposeTimes<Lanes128, Vector128<float>>(a, rows, inner, m, width, output); break;
            default: MlpKernels.TransposeTimes<Lanes1, float>(a, rows, inner, m, width, output); break;
        }
    }

    // Values of mixed sign and magnitude, so rounding differences of a changed order would show.
    private static float[] Values(RandomSource random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextGaussian() * Math.Pow(10, random.NextInt(-3, 3)))).ToArray();

    private static void AssertBits(float[] expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), actual.Select(BitConverter.SingleToUInt32Bits));
}
