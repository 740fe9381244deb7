using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// The softmax cross-entropy of a batch with its rows in the lanes: eight rows to a <see cref="Vector512{T}"/> of
/// doubles, one register per class. Each lane runs exactly the row path's operations on its row
/// (<see cref="MlpTrainer.SoftmaxLossByRows{TLoss}"/> with <see cref="CrossEntropyLoss"/>), in the same order, so the
/// loss and the gradient are the same bits.
/// </summary>
/// <remarks>
/// <para>Why: with the study's five classes the row path's work per row is short, serial and scalar (a chain of
/// maxima, five shifts, a sum, a division, each through a span). With the rows in the lanes the same work is a few
/// vector operations per class for eight rows: the softmax of 1,200 batches of 64 rows took 0.67 ms instead of 0.84
/// (best of 40, the same exponentials).</para>
/// <para>The lanes need each block class-major (<see cref="BlockIndex"/>): the trainer has the logits written that
/// way (<see cref="MlpKernels.Logits{TL, TV}"/>, whose 16-lane path holds eight rows of a class in each half of a
/// register), and row-major logits are laid out so first. The gradients of a class are scattered back into their
/// rows from one register. The batch's loss is then summed row by row in the order every path shares
/// (<see cref="BatchLoss"/>), which is part of the pinned bits.</para>
/// <para>Gathering each class of a block from row-major logits with eight scalar loads, after the logits kernel had
/// scattered them there with eight scalar stores, took about a third of this kernel's time: the whole cross-entropy of
/// a study batch (64 rows, 5 classes) took 517 ns, of which 163 were the exponentials (2026-12-01).</para>
/// </remarks>
internal static class CrossEntropyInLanes
{
    /// <summary>Rows per block: the doubles in a 512-bit register.</summary>
    public const int Rows = 8;

    /// <summary>Whether this path runs here (512-bit vectors); elsewhere the row path gives the same bits.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Where logit (<paramref name="row"/>, <paramref name="classIndex"/>) of a batch lies in blocks of
    /// <see cref="Rows"/> rows, class-major within a block: ((row / 8)·classes + class)·8 + row mod 8.</summary>
    public static int BlockIndex(int row, int classIndex, int classCount) =>
        ((row / Rows * classCount) + classIndex) * Rows + row % Rows;

    /// <summary>Floats of a batch's logits in blocks: its rows rounded up to whole blocks, times the classes.</summary>
    public static int BlocksLength(int rows, int classCount) => (rows + Rows - 1) / Rows * Rows * classCount;

    /// <summary>
    /// <see cref="LossFromBlocks"/> on row-major <paramref name="logits"/> (rows × classes), laid out in blocks in
    /// <paramref name="scratch"/> first, which needs <see cref="BlocksLength"/> + <see cref="Rows"/> × classes floats.
    /// </summary>
    public static double Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount, Span<float> gradient,
                              Span<double> shifted, Span<double> exponentials, Span<float> scratch)
    {
        int rows = labels.Length, k = classCount, length = BlocksLength(rows, k);
        Debug.Assert(logits.Length >= rows * k && scratch.Length >= length + Rows * k);
        Span<float> blocks = scratch[..length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < k; c++)
                blocks[BlockIndex(r, c, k)] = logits[r * k + c];
        }
        return LossFromBlocks(blocks, labels, k, gradient, shifted, exponentials, scratch.Slice(length, Rows * k));
    }

    /// <summary>
    /// The row path's cross-entropy, rows in lanes, of logits in blocks (<see cref="BlockIndex"/>; the lanes past the
    /// last row are ignored): writes the row-major gradient of the batch mean, (float)((p_c − [c = y])·(1/B)), and
    /// returns the sum of the rows' losses. <paramref name="shifted"/> and <paramref name="exponentials"/> are
    /// scratch of at least <see cref="ScratchLength"/> doubles, <paramref name="staging"/> of <see cref="Rows"/> ×
    /// classes floats.
    /// </summary>
    /// <remarks>Three passes over the batch, like the row path's: the shifted logits of every block, then all the
    /// exponentials at once, then the sums, gradients and losses. Block by block, each block's chain (maximum, exp,
    /// sum, division) is longer than the processor can look ahead, and a first version that way was slower than the
    /// row path; in passes the blocks' work overlaps.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LossFromBlocks(ReadOnlySpan<float> logitBlocks, ReadOnlySpan<int> labels, int classCount, Span<float> gradient,
                                        Span<double> shifted, Span<double> exponentials, Span<float> staging)
    {
        Debug.Assert(IsSupported);
        int rows = labels.Length, k = classCount, blockLength = Rows * k, blocks = (rows + Rows - 1) / Rows;
        Debug.Assert(logitBlocks.Length >= BlocksLength(rows, k) && gradient.Length >= rows * k && staging.Length >= blockLength);
        Debug.Assert(shifted.Length >= ScratchLength(rows, k) && exponentials.Length >= ScratchLength(rows, k));
        Debug.Assert(!labels.ContainsAnyExceptInRange(0, k - 1), "every label is a class");
        ref float z0 = ref MemoryMarshal.GetReference(logitBlocks);
        ref float t = ref MemoryMarshal.GetReference(staging);
        ref float g = ref MemoryMarshal.GetReference(gradient);

        // u_c = z_c − m with m = max_c z_c, the first of equal largest (z_c > m ? z_c : m, MAXSD's operand order in the
        // row path), class-major within each block of eight rows. The lanes of a short last block past the last row
        // are taken as +0: computed, never used.
        Vector512<double> usedLanes = Vector512.LessThan(Vector512.Create(0.0, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((double)(rows - (blocks - 1) * Rows)));
        for (int b = 0; b < blocks; b++)
        {
            bool full = (b + 1) * Rows <= rows;
            ref float block = ref Unsafe.Add(ref z0, b * blockLength);
            ref double u = ref Unsafe.Add(ref MemoryMarshal.GetReference(shifted), b * blockLength);
            Vector512<double> max = Column(ref block, 0, full, usedLanes);
            max.StoreUnsafe(ref u);
            for (int c = 1; c < k; c++)
            {
                Vector512<double> z = Column(ref block, c, full, usedLanes);
                z.StoreUnsafe(ref u, (nuint)(c * Rows));
                max = Vector512.ConditionalSelect(Vector512.GreaterThan(z, max), z, max);
            }
            for (int c = 0; c < k; c++)
                (Vector512.LoadUnsafe(ref u, (nuint)(c * Rows)) - max).StoreUnsafe(ref u, (nuint)(c * Rows));
        }

        PolynomialExp.Exp(shifted[..(blocks * blockLength)], exponentials);

        // s = Σ_c e_c from +0 and the gradient (float)((e_c·(1/s) − [c = y])·(1/B)), each class of a whole block
        // scattered into its rows (a short block through t); the row's loss without ln s, −u_y, and s kept for the sum.
        Vector512<double> rowShare = Vector512.Create(1.0 / rows);
        int padded = blocks * Rows, fullBlocks = rows / Rows;
        Span<double> rowLosses = exponentials.Slice(blocks * blockLength, padded), sums = exponentials.Slice(blocks * blockLength + padded, padded);
        ref int labelRef = ref MemoryMarshal.GetReference(labels);
        for (int b = 0; b < blocks; b++)
        {
            int first = b * Rows;
            bool full = b < fullBlocks;
            ref double u = ref Unsafe.Add(ref MemoryMarshal.GetReference(shifted), b * blockLength);
            ref double e = ref Unsafe.Add(ref MemoryMarshal.GetReference(exponentials), b * blockLength);
            Vector512<double> label = full
                ? Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref labelRef, (nuint)first))
                : TailLabels(labels[first..]);
            Vector512<double> sum = Vector512<double>.Zero;
            for (int c = 0; c < k; c++)
                sum += Vector512.LoadUnsafe(ref e, (nuint)(c * Rows));
            Vector512<double> inverseSum = Vector512<double>.One / sum, classIndex = Vector512<double>.Zero, labelShift = Vector512<double>.Zero;
            // A whole block's gradients go straight into their rows; a short block's through t, class-major.
            ref float destination = ref full ? ref Unsafe.Add(ref g, first * k) : ref t;
            int rowStride = full ? k : 1, classStride = full ? 1 : Rows;
            for (int c = 0; c < k; c++)
            {
                Vector512<double> p = Vector512.LoadUnsafe(ref e, (nuint)(c * Rows)) * inverseSum;
                Vector512<double> isLabel = Vector512.Equals(label, classIndex);
                Vector512<double> share = Vector512.ConditionalSelect(isLabel, p - Vector512<double>.One, p) * rowShare;
                labelShift = Vector512.ConditionalSelect(isLabel, Vector512.LoadUnsafe(ref u, (nuint)(c * Rows)), labelShift);
                Scatter(Avx512F.ConvertToVector256Single(share), ref Unsafe.Add(ref destination, c * classStride), rowStride);
                classIndex += Vector512<double>.One;
            }
            if (!full)
            {
                for (int j = 0; j < rows - first; j++)
                {
                    Span<float> row = gradient.Slice((first + j) * k, k);
                    for (int c = 0; c < row.Length; c++)
                        row[c] = Unsafe.Add(ref t, c * Rows + j);
                }
            }

            sum.StoreUnsafe(ref MemoryMarshal.GetReference(sums), (nuint)first);
            (-labelShift).StoreUnsafe(ref MemoryMarshal.GetReference(rowLosses), (nuint)first);
        }
        return BatchLoss.SumWithLogProduct(rowLosses[..rows], sums[..rows]);
    }

    /// <summary>The doubles each of <see cref="Loss"/>'s <c>shifted</c> and <c>exponentials</c> needs for a batch: its
    /// rows rounded up to whole blocks, times the classes, and two more per row (each row's u_y and s).</summary>
    public static int ScratchLength(int rows, int classCount) => (rows + Rows - 1) / Rows * Rows * (classCount + 2);

    // The labels of a short last block as doubles, its lanes past the last row −1 (a label no class has).
    private static Vector512<double> TailLabels(ReadOnlySpan<int> blockLabels)
    {
        Span<int> padded = stackalloc int[Rows];
        padded.Fill(-1);
        blockLabels.CopyTo(padded);
        return Avx512F.ConvertToVector512Double(Vector256.Create<int>(padded));
    }

    // The eight lanes to destination[0], destination[stride], …, destination[7·stride]: one class of eight rows, into
    // place (stride k in the row-major gradient, 1 in a short block's class-major staging).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter(Vector256<float> lanes, ref float destination, int stride)
    {
        Vector128<float> low = lanes.GetLower(), high = lanes.GetUpper();
        destination = low.ToScalar();
        Unsafe.Add(ref destination, stride) = low.GetElement(1);
        Unsafe.Add(ref destination, 2 * stride) = low.GetElement(2);
        Unsafe.Add(ref destination, 3 * stride) = low.GetElement(3);
        Unsafe.Add(ref destination, 4 * stride) = high.ToScalar();
        Unsafe.Add(ref destination, 5 * stride) = high.GetElement(1);
        Unsafe.Add(ref destination, 6 * stride) = high.GetElement(2);
        Unsafe.Add(ref destination, 7 * stride) = high.GetElement(3);
    }

    // Class c of a block's eight rows, converted to double (exact); in a short block the lanes past the last row +0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Column(ref float block, int c, bool full, Vector512<double> usedLanes)
    {
        Vector512<double> z = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref block, (nuint)(c * Rows)));
        return full ? z : Vector512.ConditionalSelect(usedLanes, z, Vector512<double>.Zero);
    }
}
