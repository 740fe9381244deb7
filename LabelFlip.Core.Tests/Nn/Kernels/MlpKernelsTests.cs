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
        // Rows and inners that reach every tile (eight rows from 32 inputs on, four, one) and widths that end in one
        // lane block; 600 inputs cut every width into several panels.
        foreach (int width in new[] { 16, 32, 48, 128 })
        foreach (int rows in new[] { 0, 1, 3, 4, 5, 9, 21 })
        foreach (int inner in new[] { 1, 4, 11, 40, 600 })
        foreach (int extra in new[] { 0, 5 })
        foreach (bool biased in new[] { false, true })
        foreach (bool masked in new[] { false, true })
        {
            int stride = inner + extra;
            float[] a = Values(random, rows * stride), m = Values(random, inner * width), mask = masked ? Values(random, rows * width) : [];
            float[] bias = biased ? Values(random, width) : [];
            float[] actual = new float[rows * width], expected = new float[rows * width];
            Dispatch(lanes, a, rows, inner, stride, m, width, bias, mask, actual, Kernel.RowsTimesMatrix);
            for (int r = 0; r < rows; r++)
            for (int j = 0; j < width; j++)
            {
                float s = 0;
                for (int q = 0; q < inner; q++) s = s + a[r * stride + q] * m[q * width + j];
                if (biased) s = s + bias[j];
                float test = masked ? mask[r * width + j] : s;
                expected[r * width + j] = test > 0 ? s : 0;
            }
            AssertBits(expected, actual);
        }
    }

    // The ReLU is one maximum instruction on x86 (MAXPS returns its second operand, +0, unless the first is
    // greater); it must give the plain select's +0 for NaN of either sign, −0, negatives and −∞.
    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void Relu_gives_the_plain_selects_bits_for_every_special_value(int lanes)
    {
        float negativeNaN = BitConverter.UInt32BitsToSingle(0xFFC0_0000);
        float[] values = [float.NaN, negativeNaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon,
                          -float.Epsilon, float.MaxValue, -float.MaxValue, 1e-40f, -1e-40f, 1f, -1f, 3.5f, -3.5f];
        float[] expected = [.. values.Select(x => x > 0 ? x : 0f)], actual = new float[values.Length];
        switch (lanes)
        {
            case 16: ReluAll<Lanes512, Vector512<float>>(values, actual); break;
            case 8: ReluAll<Lanes256, Vector256<float>>(values, actual); break;
            case 4: ReluAll<Lanes128, Vector128<float>>(values, actual); break;
            default: ReluAll<Lanes1, float>(values, actual); break;
        }
        AssertBits(expected, actual);

        // Through a layer's forward pass: ∞·0 is NaN, and −∞ sums; every tile of rows.
        const int Rows = 13, Inner = 6, Width = 48;
        float[] a = Values(new RandomSource(21), Rows * Inner), m = Values(new RandomSource(22), Inner * Width);
        for (int r = 0; r < Rows; r += 2) a[r * Inner + r % Inner] = r % 4 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        for (int j = 0; j < Width; j += 3) m[(j % Inner) * Width + j] = 0f;
        float[] output = new float[Rows * Width], plain = new float[Rows * Width];
        Dispatch(lanes, a, Rows, Inner, Inner, m, Width, [], [], output, Kernel.RowsTimesMatrix);
        for (int r = 0; r < Rows; r++)
        for (int j = 0; j < Width; j++)
        {
            float sum = 0;
            for (int q = 0; q < Inner; q++) sum = sum + a[r * Inner + q] * m[q * Width + j];
            plain[r * Width + j] = sum > 0 ? sum : 0;
        }
        Assert.Contains(plain.Zip(output), p => float.IsPositiveInfinity(p.First));
        AssertBits(plain, output);
    }

    private static void ReluAll<TL, TV>(float[] values, float[] output)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        for (nuint i = 0; i < (nuint)values.Length; i += (nuint)TL.Count)
            TL.Store(TL.Relu(TL.Load(ref values[0], i)), ref output[0], i);
    }

    // The bias added after the sum is the same bits as one more input row of ones (the form of earlier versions).
    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void A_bias_row_is_the_same_bits_as_an_input_of_one(int lanes)
    {
        var random = new RandomSource(6);
        const int Rows = 7, Inner = 10, Width = 48;
        float[] a = Values(random, Rows * Inner), m = Values(random, (Inner + 1) * Width);
        float[] augmented = new float[Rows * (Inner + 1)];
        for (int r = 0; r < Rows; r++)
        {
            a.AsSpan(r * Inner, Inner).CopyTo(augmented.AsSpan(r * (Inner + 1)));
            augmented[r * (Inner + 1) + Inner] = 1f;
        }
        float[] viaBias = new float[Rows * Width], viaInput = new float[Rows * Width];
        Dispatch(lanes, a, Rows, Inner, Inner, m, Width, m[(Inner * Width)..], [], viaBias, Kernel.RowsTimesMatrix);
        Dispatch(lanes, augmented, Rows, Inner + 1, Inner + 1, m, Width, [], [], viaInput, Kernel.RowsTimesMatrix);
        AssertBits(viaInput, viaBias);

        float[] v = Values(random, Rows * Width), sums = new float[Width], viaOnes = new float[Width];
        float[] ones = Enumerable.Repeat(1f, Rows).ToArray();
        switch (lanes)
        {
            case 16: MlpKernels.ColumnSums<Lanes512, Vector512<float>>(v, Rows, Width, sums); break;
            case 8: MlpKernels.ColumnSums<Lanes256, Vector256<float>>(v, Rows, Width, sums); break;
            case 4: MlpKernels.ColumnSums<Lanes128, Vector128<float>>(v, Rows, Width, sums); break;
            default: MlpKernels.ColumnSums<Lanes1, float>(v, Rows, Width, sums); break;
        }
        Dispatch(lanes, ones, Rows, 1, 1, v, Width, [], [], viaOnes, Kernel.TransposeTimes);
        AssertBits(viaOnes, sums);
    }

    // One SGD step taken as each sum of the weight gradient is done: p + (−lr)·sum, the bits of the gradient stored
    // and then SgdStep on it.
    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void DescendTransposeTimes_is_TransposeTimes_then_a_plain_SGD_step(int lanes)
    {
        var random = new RandomSource(12);
        const float LearningRate = 0.05f;
        foreach (int width in new[] { 16, 48, 64 })
        foreach (int rows in new[] { 0, 1, 7, 64 })
        foreach (int columns in new[] { 1, 5, 10, 11, 21 })
        {
            float[] a = Values(random, rows * columns), v = Values(random, rows * width), start = Values(random, columns * width);
            float[] gradient = new float[columns * width], expected = (float[])start.Clone(), actual = (float[])start.Clone();
            Dispatch(lanes, a, rows, columns, columns, v, width, [], [], gradient, Kernel.TransposeTimes);
            for (int i = 0; i < expected.Length; i++)
                expected[i] = expected[i] + -LearningRate * gradient[i];
            switch (lanes)
            {
                case 16: MlpKernels.DescendTransposeTimes<Lanes512, Vector512<float>>(a, rows, columns, columns, v, width, LearningRate, actual); break;
                case 8: MlpKernels.DescendTransposeTimes<Lanes256, Vector256<float>>(a, rows, columns, columns, v, width, LearningRate, actual); break;
                case 4: MlpKernels.DescendTransposeTimes<Lanes128, Vector128<float>>(a, rows, columns, columns, v, width, LearningRate, actual); break;
                default: MlpKernels.DescendTransposeTimes<Lanes1, float>(a, rows, columns, columns, v, width, LearningRate, actual); break;
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
        foreach (int columns in new[] { 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13, 18, 21 })
        foreach (int extra in new[] { 0, 3 })
        {
            int stride = columns + extra;
            float[] a = Values(random, rows * stride), v = Values(random, rows * width);
            float[] actual = new float[columns * width], expected = new float[columns * width];
            Dispatch(lanes, a, rows, columns, stride, v, width, [], [], actual, Kernel.TransposeTimes);
            for (int q = 0; q < columns; q++)
            for (int j = 0; j < width; j++)
            {
                float s = 0;
                for (int r = 0; r < rows; r++) s = s + a[r * stride + q] * v[r * width + j];
                expected[q * width + j] = s;
            }
            AssertBits(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void ColumnSums_equals_the_plain_loop(int lanes) =>
        AssertColumnSums(lanes, narrow: false, new RandomSource(7), [16, 32, 80, 144, 272, 2048], [0, 1, 5, 64]);

    // Widths that are not lane multiples (the classes): a register down the rows while its load stays in the span,
    // the last rows column by column; every width, and rows past where the register stops.
    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void NarrowColumnSums_equals_the_plain_loop(int lanes) =>
        AssertColumnSums(lanes, narrow: true, new RandomSource(17), [1, 2, 5, 10, 15, 16, 17, 33], [0, 1, 3, 30, 64]);

    // ColumnSums (narrow: NarrowColumnSums) against the sum over rows in order from +0, bit for bit.
    private static void AssertColumnSums(int lanes, bool narrow, RandomSource random, int[] widths, int[] rowCounts)
    {
        foreach (int width in widths)
        foreach (int rows in rowCounts)
        {
            float[] v = Values(random, rows * width), actual = Values(random, width), expected = new float[width];
            for (int j = 0; j < width; j++)
            {
                float s = 0;
                for (int r = 0; r < rows; r++) s = s + v[r * width + j];
                expected[j] = s;
            }
            switch ((lanes, narrow))
            {
                case (16, false): MlpKernels.ColumnSums<Lanes512, Vector512<float>>(v, rows, width, actual); break;
                case (8, false): MlpKernels.ColumnSums<Lanes256, Vector256<float>>(v, rows, width, actual); break;
                case (4, false): MlpKernels.ColumnSums<Lanes128, Vector128<float>>(v, rows, width, actual); break;
                case (_, false): MlpKernels.ColumnSums<Lanes1, float>(v, rows, width, actual); break;
                case (16, true): MlpKernels.NarrowColumnSums<Lanes512, Vector512<float>>(v, rows, width, actual); break;
                case (8, true): MlpKernels.NarrowColumnSums<Lanes256, Vector256<float>>(v, rows, width, actual); break;
                case (4, true): MlpKernels.NarrowColumnSums<Lanes128, Vector128<float>>(v, rows, width, actual); break;
                case (_, true): MlpKernels.NarrowColumnSums<Lanes1, float>(v, rows, width, actual); break;
            }
            AssertBits(expected, actual);
        }
    }

    [Fact]
    public void Transpose_swaps_rows_and_columns_and_zeroes_the_padding()
    {
        var random = new RandomSource(8);
        foreach ((int rows, int columns, int sourceStride, int destinationStride) in new[] { (3, 5, 16, 16), (20, 7, 32, 32), (1, 1, 16, 16), (16, 16, 16, 16) })
        {
            float[] source = Values(random, rows * sourceStride);
            float[] destination = Enumerable.Repeat(float.NaN, columns * destinationStride).ToArray();
            MlpKernels.Transpose(source, rows, columns, sourceStride, destinationStride, destination);
            for (int c = 0; c < columns; c++)
            for (int r = 0; r < destinationStride; r++)
                Assert.Equal(r < rows ? source[r * sourceStride + c] : 0f, destination[c * destinationStride + r]);
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

    // Every logit is Dot in the documented order plus its bias, however many logits a block of 16 takes at once
    // (counts below, at and above 16, rows × classes not a multiple of 16).
    [Theory]
    [MemberData(nameof(LaneCounts))]
    public void Logits_are_the_documented_dot_plus_bias(int lanes)
    {
        var random = new RandomSource(8);
        foreach (int width in new[] { 16, 32, 48, 128 })
        foreach (int rows in new[] { 0, 1, 3, 4, 7, 16, 33 })
        foreach (int classes in new[] { 1, 2, 5, 10 })
        {
            float[] hidden = Values(random, rows * width), weights = Values(random, classes * width), biases = Values(random, classes);
            float[] actual = new float[rows * classes], expected = new float[rows * classes];
            for (int r = 0; r < rows; r++)
            for (int c = 0; c < classes; c++)
            {
                float[] partial = new float[16];
                for (int j = 0; j < width; j++) partial[j % 16] = partial[j % 16] + hidden[r * width + j] * weights[c * width + j];
                for (int step = 8; step >= 1; step /= 2)
                    for (int m = 0; m < step; m++) partial[m] = partial[m] + partial[m + step];
                expected[r * classes + c] = partial[0] + biases[c];
            }
            Logits(lanes, hidden, rows, width, weights, biases, classes, actual, inBlocks: false);
            AssertBits(expected, actual);

            // The same values in the cross-entropy's blocks; the lanes past the last row are not written.
            float[] blocks = Enumerable.Repeat(float.NaN, CrossEntropyInLanes.BlocksLength(rows, classes)).ToArray();
            float[] expectedBlocks = (float[])blocks.Clone();
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < classes; c++) expectedBlocks[CrossEntropyInLanes.BlockIndex(r, c, classes)] = expected[r * classes + c];
            Logits(lanes, hidden, rows, width, weights, biases, classes, blocks, inBlocks: true);
            AssertBits(expectedBlocks, blocks);
        }
    }

    private static void Logits(int lanes, float[] hidden, int rows, int width, float[] weights, float[] biases, int classes, float[] logits, bool inBlocks)
    {
        switch (lanes)
        {
            case 16: MlpKernels.Logits<Lanes512, Vector512<float>>(hidden, rows, width, weights, biases, classes, logits, inBlocks); break;
            case 8: MlpKernels.Logits<Lanes256, Vector256<float>>(hidden, rows, width, weights, biases, classes, logits, inBlocks); break;
            case 4: MlpKernels.Logits<Lanes128, Vector128<float>>(hidden, rows, width, weights, biases, classes, logits, inBlocks); break;
            default: MlpKernels.Logits<Lanes1, float>(hidden, rows, width, weights, biases, classes, logits, inBlocks); break;
        }
    }

    // Every row width, through each of the copy's forms (general, two overlapping 4-float or 8-float moves), rows
    // in a shuffled order with repeats, and nothing written past the batch.
    [Fact]
    public void GatherRows_copies_the_rows_in_order()
    {
        var random = new RandomSource(12);
        for (int columns = 1; columns <= 40; columns++)
        {
            const int SourceRows = 23;
            float[] source = Values(random, SourceRows * columns);
            int[] rows = [.. Enumerable.Range(0, 30).Select(_ => random.NextInt(SourceRows))];
            float[] expected = Enumerable.Repeat(float.NaN, (rows.Length + 1) * columns).ToArray(), actual = (float[])expected.Clone();
            for (int i = 0; i < rows.Length; i++)
                for (int q = 0; q < columns; q++) expected[i * columns + q] = source[rows[i] * columns + q];
            MlpKernels.GatherRows(source, columns, rows, actual);
            AssertBits(expected, actual);
        }
    }

    [Fact]
    public void Logit_blocks_are_class_major_runs_of_eight_rows()
    {
        // Row 9 of 3 classes: block 1, class 2, lane 1.
        Assert.Equal((1 * 3 + 2) * 8 + 1, CrossEntropyInLanes.BlockIndex(9, 2, 3));
        Assert.Equal(0, CrossEntropyInLanes.BlocksLength(0, 5));
        Assert.Equal(8 * 5, CrossEntropyInLanes.BlocksLength(1, 5));
        Assert.Equal(64 * 5, CrossEntropyInLanes.BlocksLength(64, 5));
        Assert.Equal(32 * 10, CrossEntropyInLanes.BlocksLength(30, 10));
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
        int[] widths = [0, 1, 16, 17, 100, 127, 128, 512, 1_000, 1_536, 2_064];
        Assert.Equal([0, 16, 16, 32, 112, 128, 128, 512, 1_008, 1_536, 2_064], widths.Select(MlpKernels.PadWidth));
    }

    // Rows a multiple of 4 KB apart meet in one L1 set; such widths take one lane block more.
    [Fact]
    public void Widths_whose_rows_would_lie_a_multiple_of_4_KB_apart_take_one_block_more()
    {
        int[] widths = [1_009, 1_024, 2_048, 3_072, 4_096];
        Assert.Equal([1_040, 1_040, 2_064, 3_088, 4_112], widths.Select(MlpKernels.PadWidth));
    }

    private enum Kernel { RowsTimesMatrix, TransposeTimes }

    private static void Dispatch(int lanes, float[] a, int rows, int inner, int stride, float[] m, int width, float[] bias, float[] mask,
                                 float[] output, Kernel kernel)
    {
        switch (lanes, kernel)
        {
            case (16, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes512, Vector512<float>>(a, rows, inner, stride, m, width, bias, mask, output); break;
            case (8, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes256, Vector256<float>>(a, rows, inner, stride, m, width, bias, mask, output); break;
            case (4, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes128, Vector128<float>>(a, rows, inner, stride, m, width, bias, mask, output); break;
            case (_, Kernel.RowsTimesMatrix): MlpKernels.RowsTimesMatrix<Lanes1, float>(a, rows, inner, stride, m, width, bias, mask, output); break;
            case (16, _): MlpKernels.TransposeTimes<Lanes512, Vector512<float>>(a, rows, inner, stride, m, width, output); break;
            case (8, _): MlpKernels.TransposeTimes<Lanes256, Vector256<float>>(a, rows, inner, stride, m, width, output); break;
            case (4, _): MlpKernels.TransposeTimes<Lanes128, Vector128<float>>(a, rows, inner, stride, m, width, output); break;
            default: MlpKernels.TransposeTimes<Lanes1, float>(a, rows, inner, stride, m, width, output); break;
        }
    }

    // Values of mixed sign and magnitude, so rounding differences of a changed order would show.
    private static float[] Values(RandomSource random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextGaussian() * Math.Pow(10, random.NextInt(-3, 3)))).ToArray();

    private static void AssertBits(float[] expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), actual.Select(BitConverter.SingleToUInt32Bits));

    // Every length up to 70 (whole vectors and a tail on every width), clean or with one NaN, +∞, −∞, the largest
    // finite value or a subnormal at each position: the vector test agrees with float.IsFinite on every element.
    [Fact]
    public void AllFinite_equals_the_plain_loop()
    {
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.Epsilon, -0.0f];
        for (int length = 0; length <= 70; length++)
        {
            float[] values = Enumerable.Range(0, length).Select(i => i * 0.25f - 3f).ToArray();
            Assert.True(MlpKernels.AllFinite(values));
            for (int at = 0; at < length; at++)
            {
                foreach (float special in specials)
                {
                    float kept = values[at];
                    values[at] = special;
                    Assert.Equal(values.All(float.IsFinite), MlpKernels.AllFinite(values));
                    values[at] = kept;
                }
            }
        }
    }
}
