using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// The MLP's hand-vectorised kernels, each written once and generic over <see cref="ILanes{TVector}"/>.
/// </summary>
/// <remarks>
/// <para><b>Why every instruction set gives the same bits.</b></para>
/// <list type="number">
/// <item>All arithmetic is IEEE-754 binary32 +, × in a fixed order; multiply-add is always UNFUSED
/// (<c>acc + a * b</c>, two roundings) on every path: we never call FusedMultiplyAdd, never branch on
/// Fma.IsSupported, and the JIT does not contract separate * and + (on Zen 4 unfused reaches the FMA peak).
/// Decided by measurement on Zen 5. Its peak is about the same either way when enough chains are independent
/// (CeilingBenchmarks, 16 chains: 224 fused against 220 GFLOP/s unfused per core, 2026-11-30; a C loop had shown 265
/// against 148). With every multiply-add of the 16-lane path fused, a study run took 3–5 % less time at widths 32 and 128
/// (3.8–3.9 against 4.0 ms, 8.9 against 9.1 ms; 2026-11-30), because at these sizes the kernels wait on loads, the
/// trees of the logits, the softmax and latency rather than on the multiply-add pipes. For that, fused arithmetic
/// would change every result ever pinned and need a correctly rounded software FMA on the SSE and scalar paths.</item>
/// <item>Vectors run along the hidden axis: one lane per hidden unit j. Every hidden width is padded with zeros to a
/// multiple of <see cref="LaneBlock"/> = 16 by <see cref="PadWidth"/> (zero weights, zero biases, so padded units are
/// exactly 0 forever), so every width 16/8/4/1 divides it and no kernel over the hidden axis has a tail. A lane
/// computes exactly what the plain loop computes for its j: the same operands in the same order, independent of how
/// many neighbours run beside it.</item>
/// <item>Sums across rows, inputs or classes run inside a lane in index order, starting from +0; a layer's bias is
/// added after its sum over inputs. Between hidden layers the forward sum over the layer's inputs runs in the lanes
/// of its outputs (weights stored input-major), and the backward sum over its outputs runs in the lanes of its
/// inputs (on a transposed copy of the weights): both are plain in-order sums, never partial sums.</item>
/// <item>The one sum ALONG the hidden axis (a logit, a^L·w^out) keeps 16 partial sums on every path: partial m
/// (0 ≤ m &lt; 16) adds w[j]·h[j] for j ≡ m (mod 16) in increasing j. AVX-512 holds them in one register, AVX2 in
/// two, SSE in four, the scalar path in 16 floats; the partials are then combined
/// in a fixed tree (p[m] += p[m + s] for s = 8, 4, 2, 1), done by halving registers and shuffles on the vector paths
/// and by the plain loop on the scalar one: the same additions of the same operands (<see cref="ILanes{TVector}.Dot16"/>). So the order of that sum never depends on the vector width.</item>
/// <item>ReLU and its mask are selects (value where x &gt; 0, else +0), bit-exact on every path; on x86 the ReLU is
/// MAXPS(x, +0), which returns its second operand, +0, for NaN, −0 and negatives (<see cref="ILanes{TVector}.Relu"/>).</item>
/// <item>Transcendentals (the softmax's exp and log) are our own, in double, from +, ×, ÷ and bit operations
/// (<see cref="PolynomialExp"/>, DeterministicMath.Log); nothing comes from the C runtime. The exps of a batch run
/// lane-wise on Vector&lt;double&gt; with exactly the scalar routine's operations (Round is IEEE
/// round-half-even on both).</item>
/// </list>
/// <para>Callers pick the lane width in one place, <see cref="LaneDispatch"/>: the work is a struct implementing
/// <see cref="ILaneOperation"/>, run on the widest accelerated path.</para>
/// <para>The kernels and the training loop are marked AggressiveOptimization: a run calls them a few hundred
/// times only, so under tiered compilation the first runs of a process would execute slow tier-0 code.</para>
/// <para>The plain scalar reference in the tests (MlpReference) implements these definitions with ordinary loops
/// and must agree bit for bit; child-process tests pin the same weights with AVX-512, AVX2, SSE and no SIMD.</para>
/// </remarks>
internal static class MlpKernels
{
    /// <summary>Hidden widths are padded to a multiple of this; also the number of partial sums of a dot product.</summary>
    public const int LaneBlock = 16;

    // The most of m that one panel of RowsTimesMatrix reads (see RowPanelWidth).
    private const int RowPanelBytes = 64 * 1024;

    // Floats in 4 KB, the span of addresses over which an L1 set repeats (64 sets of 64-byte lines).
    private const int SetAliasingFloats = 4096 / sizeof(float);

    // The shortest sum over inputs for which RowsTimesMatrix takes eight rows at a time.
    private const int EightRowMinimumInner = 4;

    /// <summary>Which lane width this process uses: 16, 8, 4 or 1 (scalar).</summary>
    public static int ActiveLaneCount
    {
        get
        {
            var operation = new LaneCountOperation();
            LaneDispatch.Run(ref operation);
            return operation.Count;
        }
    }

    /// <summary>
    /// Rounds a hidden width up to a whole number of lane blocks, and adds one more block where its rows would lie a
    /// multiple of 4 KB apart (a multiple of 1,024 floats).
    /// </summary>
    /// <remarks>The padded width is the stride of every row of weights, activations and gradients over that layer.
    /// An L1 cache set spans 4 KB of addresses, so rows a multiple of 4 KB apart all meet in one set: a kernel that
    /// runs down a column of them (a layer's forward pass down its weights' rows, a weight gradient down the rows of
    /// δ) evicts its own lines and reads them from L2 or further. The first layer's forward pass on 784 inputs, kernel
    /// by kernel, 2026-12-01: 146–148 GFLOP/s at width 1,024 and 135–143 at 2,048 with such rows, 184–188 and
    /// 156–169 with one block more; 1,536 and 1,984 run at 164–174 as they are. The extra lanes are padding like any
    /// other (zero, and zero forever), and they add +0 to partial sums that are never −0, so no result changes a bit.
    /// </remarks>
    public static int PadWidth(int width)
    {
        int padded = (width + LaneBlock - 1) / LaneBlock * LaneBlock;
        return padded % SetAliasingFloats == 0 && padded > 0 ? padded + LaneBlock : padded;
    }

    /// <summary>
    /// output[r, j] = select(Σ_q a[r, q] · m[q, j] + bias[j]) for r &lt; rows, j &lt; width: the sum over q &lt; inner
    /// in order from +0, then the bias added (when <paramref name="bias"/> is not empty); select is ReLU (keep where
    /// the value &gt; 0, else +0) when <paramref name="mask"/> is empty, else keep where mask[r, j] &gt; 0. Row-major:
    /// row r of a starts at r·<paramref name="aStride"/>; m is inner × width, output and mask rows × width.
    /// </summary>
    /// <remarks>
    /// A layer's forward pass (a the inputs, m = Wᵀ, bias b) and the backward pass through a layer (a the output
    /// gradient, m = W, masked by the layer's inputs). Adding the bias last is the same bits as treating it as one
    /// more input row whose input is 1 (1·b is exact).
    /// <para>The columns are cut into panels, each holding at most 64 KB of m; a small m (the study's 10 inputs, any
    /// width up to 2,048) is one panel. Within a panel run the tiles of rows: eight at a time when the sum has 4 or
    /// more terms (sixteen accumulator chains, each load of m feeding eight; with them for the study's 10 inputs and
    /// its backward pass through 5 classes, a study run is 3–6 % faster at widths 32 to 128), then four (eight
    /// chains), then one; and
    /// within a tile two lane blocks at a time. So every tile reads the panel of m while it is in cache. With the
    /// rows outermost over the whole width, every tile streamed all of m: 6.4 MB at 784 inputs and width 2,048, from
    /// L3 each time (71 GFLOP/s for that layer, 141–146 in panels; 136 and 157–198 at width 128; measured kernel by
    /// kernel, 2026-12-01). Every output still sums its own products in q order, so neither the tiles nor their order
    /// change a bit.</para>
    /// <para>The tiles are written out here rather than as methods of a tile struct, as <see cref="TransposeTimes"/>
    /// has them: through a struct the JIT re-read the bias and mask flags from memory at every store, and the short sums
    /// of the study's layers (5 or 10 terms, where the finish weighs as much as the loop) took 24 % longer.</para>
    /// <para>The ReLU or the mask is chosen once, as a type (<see cref="IRowSelect"/>), and the ReLU is one maximum
    /// instruction (<see cref="ILanes{TVector}.Relu"/>). With a flag, every output of the finish was a test, a
    /// branch, register moves, a compare and a blend: a forward pass of 64 rows through 10 inputs took 291–310 ns at
    /// width 32 and 1,125–1,144 ns at 128, and takes 255–258 and 1,049–1,069 ns (kernel by kernel, 2026-12-01).</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RowsTimesMatrix<TL, TV>(
        ReadOnlySpan<float> a, int rows, int inner, int aStride, ReadOnlySpan<float> m, int width,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> mask, Span<float> output)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(width % LaneBlock == 0 && aStride >= inner && (rows == 0 || a.Length >= (rows - 1) * aStride + inner)
            && m.Length >= inner * width && output.Length >= rows * width && (bias.IsEmpty || bias.Length >= width)
            && (mask.IsEmpty || mask.Length >= rows * width));
        if (mask.IsEmpty)
            RowsTimesMatrix<TL, TV, ReluSelect>(a, rows, inner, aStride, m, width, bias, mask, output);
        else
            RowsTimesMatrix<TL, TV, MaskSelect>(a, rows, inner, aStride, m, width, bias, mask, output);
    }

    // The kernel, one copy per kind of select.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void RowsTimesMatrix<TL, TV, TSelect>(
        ReadOnlySpan<float> a, int rows, int inner, int aStride, ReadOnlySpan<float> m, int width,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> mask, Span<float> output)
        where TL : struct, ILanes<TV>
        where TV : struct
        where TSelect : struct, IRowSelect
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float br = ref MemoryMarshal.GetReference(bias);
        ref float kr = ref MemoryMarshal.GetReference(mask);
        ref float or = ref MemoryMarshal.GetReference(output);
        bool addBias = !bias.IsEmpty;
        nuint w = (nuint)width, n = (nuint)inner, stride = (nuint)aStride, step = (nuint)TL.Count, nr = (nuint)rows;
        nuint panel = RowPanelWidth<TL, TV>(inner);
        for (nuint from = 0; from < w; from += panel)
        {
            nuint to = Math.Min(from + panel, w), r = 0;
            // Eight rows at a time share each load of m among sixteen chains; worth it only when the sum is long
            // enough to outweigh the tile's start and finish.
            for (; inner >= EightRowMinimumInner && r + 8 <= nr; r += 8)
            {
                ref float a0 = ref Unsafe.Add(ref ar, r * stride);
                nuint j = from;
                for (; j + 2 * step <= to; j += 2 * step)
                {
                    TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, s4 = TL.Zero, s5 = TL.Zero, s6 = TL.Zero, s7 = TL.Zero;
                    TV t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero, t4 = TL.Zero, t5 = TL.Zero, t6 = TL.Zero, t7 = TL.Zero;
                    for (nuint q = 0; q < n; q++)
                    {
                        TV mv = TL.Load(ref mr, q * w + j), nv = TL.Load(ref mr, q * w + j + step);
                        ref float aq = ref Unsafe.Add(ref a0, q);
                        TV b = TL.Broadcast(aq);
                        s0 = TL.MultiplyAdd(s0, b, mv);
                        t0 = TL.MultiplyAdd(t0, b, nv);
                        b = TL.Broadcast(Unsafe.Add(ref aq, stride));
                        s1 = TL.MultiplyAdd(s1, b, mv);
                        t1 = TL.MultiplyAdd(t1, b, nv);
                        b = TL.Broadcast(Unsafe.Add(ref aq, 2 * stride));
                        s2 = TL.MultiplyAdd(s2, b, mv);
                        t2 = TL.MultiplyAdd(t2, b, nv);
                        b = TL.Broadcast(Unsafe.Add(ref aq, 3 * stride));
                        s3 = TL.MultiplyAdd(s3, b, mv);
                        t3 = TL.MultiplyAdd(t3, b, nv);
                        b = TL.Broadcast(Unsafe.Add(ref aq, 4 * stride));
                        s4 = TL.MultiplyAdd(s4, b, mv);
                        t4 = TL.MultiplyAdd(t4, b, nv);
                        b = TL.Broadcast(Unsafe.Add(ref aq, 5 * stride));
                        s5 = TL.MultiplyAdd(s5, b, mv);
                        t5 = TL.MultiplyAdd(t5, b, nv);
                        b = TL.Broadcast(Unsafe.Add(ref aq, 6 * stride));
                        s6 = TL.MultiplyAdd(s6, b, mv);
                        t6 = TL.MultiplyAdd(t6, b, nv);
                        b = TL.Broadcast(Unsafe.Add(ref aq, 7 * stride));
                        s7 = TL.MultiplyAdd(s7, b, mv);
                        t7 = TL.MultiplyAdd(t7, b, nv);
                    }
                    nuint o = r * w + j;
                    FinishRow<TL, TV, TSelect>(ref or, ref br, ref kr, o, j, step, w, addBias, s0, t0, s1, t1, s2, t2, s3, t3);
                    FinishRow<TL, TV, TSelect>(ref or, ref br, ref kr, o + 4 * w, j, step, w, addBias, s4, t4, s5, t5, s6, t6, s7, t7);
                }
                if (j < to)
                {
                    FourRowsOneBlock<TL, TV, TSelect>(ref a0, ref mr, ref br, ref kr, ref or, r * w + j, j, n, w, stride, addBias);
                    FourRowsOneBlock<TL, TV, TSelect>(ref Unsafe.Add(ref a0, 4 * stride), ref mr, ref br, ref kr, ref or, (r + 4) * w + j, j, n, w, stride, addBias);
                }
            }
            for (; r + 4 <= nr; r += 4)
            {
                ref float a0 = ref Unsafe.Add(ref ar, r * stride);
                ref float a1 = ref Unsafe.Add(ref a0, stride);
                ref float a2 = ref Unsafe.Add(ref a1, stride);
                ref float a3 = ref Unsafe.Add(ref a2, stride);
                nuint j = from;
                // Two blocks of lanes at a time where the width allows: eight accumulator chains, each broadcast feeding two.
                for (; j + 2 * step <= to; j += 2 * step)
                {
                    TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero;
                    for (nuint q = 0; q < n; q++)
                    {
                        TV mv = TL.Load(ref mr, q * w + j), nv = TL.Load(ref mr, q * w + j + step);
                        TV b0 = TL.Broadcast(Unsafe.Add(ref a0, q)), b1 = TL.Broadcast(Unsafe.Add(ref a1, q));
                        TV b2 = TL.Broadcast(Unsafe.Add(ref a2, q)), b3 = TL.Broadcast(Unsafe.Add(ref a3, q));
                        s0 = TL.MultiplyAdd(s0, b0, mv);
                        t0 = TL.MultiplyAdd(t0, b0, nv);
                        s1 = TL.MultiplyAdd(s1, b1, mv);
                        t1 = TL.MultiplyAdd(t1, b1, nv);
                        s2 = TL.MultiplyAdd(s2, b2, mv);
                        t2 = TL.MultiplyAdd(t2, b2, nv);
                        s3 = TL.MultiplyAdd(s3, b3, mv);
                        t3 = TL.MultiplyAdd(t3, b3, nv);
                    }
                    FinishRow<TL, TV, TSelect>(ref or, ref br, ref kr, r * w + j, j, step, w, addBias, s0, t0, s1, t1, s2, t2, s3, t3);
                }
                if (j < to)
                    FourRowsOneBlock<TL, TV, TSelect>(ref a0, ref mr, ref br, ref kr, ref or, r * w + j, j, n, w, stride, addBias);
            }
            for (; r < nr; r++)
            {
                ref float a0 = ref Unsafe.Add(ref ar, r * stride);
                for (nuint j = from; j < to; j += step)
                {
                    TV s0 = TL.Zero;
                    for (nuint q = 0; q < n; q++)
                        s0 = TL.MultiplyAdd(s0, TL.Broadcast(Unsafe.Add(ref a0, q)), TL.Load(ref mr, q * w + j));
                    if (addBias)
                        s0 = TL.Add(s0, TL.Load(ref br, j));
                    nuint o = r * w + j;
                    TL.Store(TSelect.Select<TL, TV>(s0, ref kr, o), ref or, o);
                }
            }
        }
    }

    // Four rows of one lane block of RowsTimesMatrix (the last block of a width with an odd number of them).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowsOneBlock<TL, TV, TSelect>(ref float a0, ref float mr, ref float br, ref float kr, ref float or,
                                                          nuint o, nuint j, nuint n, nuint w, nuint stride, bool addBias)
        where TL : struct, ILanes<TV>
        where TV : struct
        where TSelect : struct, IRowSelect
    {
        ref float a1 = ref Unsafe.Add(ref a0, stride);
        ref float a2 = ref Unsafe.Add(ref a1, stride);
        ref float a3 = ref Unsafe.Add(ref a2, stride);
        TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
        for (nuint q = 0; q < n; q++)
        {
            TV mv = TL.Load(ref mr, q * w + j);
            s0 = TL.MultiplyAdd(s0, TL.Broadcast(Unsafe.Add(ref a0, q)), mv);
            s1 = TL.MultiplyAdd(s1, TL.Broadcast(Unsafe.Add(ref a1, q)), mv);
            s2 = TL.MultiplyAdd(s2, TL.Broadcast(Unsafe.Add(ref a2, q)), mv);
            s3 = TL.MultiplyAdd(s3, TL.Broadcast(Unsafe.Add(ref a3, q)), mv);
        }
        if (addBias)
        {
            TV bv = TL.Load(ref br, j);
            s0 = TL.Add(s0, bv);
            s1 = TL.Add(s1, bv);
            s2 = TL.Add(s2, bv);
            s3 = TL.Add(s3, bv);
        }
        TL.Store(TSelect.Select<TL, TV>(s0, ref kr, o), ref or, o);
        TL.Store(TSelect.Select<TL, TV>(s1, ref kr, o + w), ref or, o + w);
        TL.Store(TSelect.Select<TL, TV>(s2, ref kr, o + 2 * w), ref or, o + 2 * w);
        TL.Store(TSelect.Select<TL, TV>(s3, ref kr, o + 3 * w), ref or, o + 3 * w);
    }

    // The finish of four rows × two lane blocks of RowsTimesMatrix at output offset o: the bias added after the sum,
    // then the ReLU (keep where the value > 0) or the mask (keep where mask > 0), as TSelect says.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow<TL, TV, TSelect>(ref float or, ref float br, ref float kr, nuint o, nuint j, nuint step, nuint w,
                                                   bool addBias, TV s0, TV t0, TV s1, TV t1, TV s2, TV t2, TV s3, TV t3)
        where TL : struct, ILanes<TV>
        where TV : struct
        where TSelect : struct, IRowSelect
    {
        if (addBias)
        {
            TV bv = TL.Load(ref br, j), cv = TL.Load(ref br, j + step);
            s0 = TL.Add(s0, bv);
            s1 = TL.Add(s1, bv);
            s2 = TL.Add(s2, bv);
            s3 = TL.Add(s3, bv);
            t0 = TL.Add(t0, cv);
            t1 = TL.Add(t1, cv);
            t2 = TL.Add(t2, cv);
            t3 = TL.Add(t3, cv);
        }
        nuint p = o + step;
        TL.Store(TSelect.Select<TL, TV>(s0, ref kr, o), ref or, o);
        TL.Store(TSelect.Select<TL, TV>(t0, ref kr, p), ref or, p);
        TL.Store(TSelect.Select<TL, TV>(s1, ref kr, o + w), ref or, o + w);
        TL.Store(TSelect.Select<TL, TV>(t1, ref kr, p + w), ref or, p + w);
        TL.Store(TSelect.Select<TL, TV>(s2, ref kr, o + 2 * w), ref or, o + 2 * w);
        TL.Store(TSelect.Select<TL, TV>(t2, ref kr, p + 2 * w), ref or, p + 2 * w);
        TL.Store(TSelect.Select<TL, TV>(s3, ref kr, o + 3 * w), ref or, o + 3 * w);
        TL.Store(TSelect.Select<TL, TV>(t3, ref kr, p + 3 * w), ref or, p + 3 * w);
    }

    // Columns per panel of RowsTimesMatrix: as many pairs of lane blocks as keep inner × panel floats of m within
    // RowPanelBytes, and at least one pair. A small m is one panel, so the rows run outermost and each writes its
    // output row in one sweep; a wide one is cut into panels that every tile of rows reuses from cache.
    private static nuint RowPanelWidth<TL, TV>(int inner)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nuint pair = 2 * (nuint)TL.Count, fits = (nuint)(RowPanelBytes / sizeof(float) / Math.Max(inner, 1));
        return Math.Max(pair, fits / pair * pair);
    }

    /// <summary>
    /// output[q, j] = Σ_r a[r, q] · v[r, j] for q &lt; columns, j &lt; width, the sum over rows r in order from +0.
    /// Row-major: row r of a starts at r·<paramref name="aStride"/>, v is rows × width, output columns × width.
    /// (A weight gradient: aᵀ·v.)
    /// </summary>
    /// <remarks>Eight columns q at a time (sixteen accumulator chains over two lane blocks, each load of v feeding
    /// eight), then five, four, two, then one over four lane blocks. Each pass down the rows is a chain of additions as
    /// long as the rows, so the last few columns take theirs together (the study's 10 inputs as 8 + 2: that gradient
    /// 15–20 % faster at widths 32 to 128; its 5 classes as 4 + 1, the last over four blocks: 4–6 % at 64 and 128;
    /// kernel by kernel, 2026-12-01). A tile of one or two columns still waits on its chains' latency, so the last
    /// nine or ten columns run as 5 + 4 or 5 + 5, and five, seven or nine as a tile of five first: ten chains that
    /// keep the pipes busy. The study's 10 inputs (5 + 5) went from 173–175 to 196–205 GFLOP/s at widths 32 to 128,
    /// and its 5 classes from 132–192 to 193–200 (64 rows, kernel by kernel, 2026-12-01, 15:20 UTC). At width 2,048
    /// the rows of v lay 8 KB apart then (before <see cref="PadWidth"/>'s extra block) and met in one L1 set, so its
    /// loads came from L2; with four columns at a time they were the limit: the first layer's weight gradient on 784
    /// inputs ran at 85 GFLOP/s at width 2,048 and 193 at 128, and runs at 162 and 211 with eight (kernel by kernel,
    /// 2026-12-01). Every output sums its own products in row order, so the tiles change no bit.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void TransposeTimes<TL, TV>(
        ReadOnlySpan<float> a, int rows, int columns, int aStride, ReadOnlySpan<float> v, int width, Span<float> output)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(width % LaneBlock == 0 && aStride >= columns && (rows == 0 || a.Length >= (rows - 1) * aStride + columns)
            && v.Length >= rows * width && output.Length >= columns * width);
        RunColumnTiles(new ColumnTile<TL, TV>(a, rows, aStride, v, width, output), columns, width);
    }

    /// <summary>
    /// parameters[q, j] ← parameters[q, j] − learningRate · Σ_r a[r, q] · v[r, j]: one plain SGD step (no momentum,
    /// no weight decay) down the weight gradient aᵀ·v as soon as each of its sums is done, the same bits as
    /// <see cref="TransposeTimes"/> into a gradient and then <see cref="SgdStep"/> on it.
    /// </summary>
    /// <remarks>The trainer takes the first layer's step this way when the weights are needed no more in the batch:
    /// at 784 inputs and width 2,048 its gradient is 6.4 MB, written and read back once a batch.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void DescendTransposeTimes<TL, TV>(
        ReadOnlySpan<float> a, int rows, int columns, int aStride, ReadOnlySpan<float> v, int width, float learningRate, Span<float> parameters)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(width % LaneBlock == 0 && aStride >= columns && (rows == 0 || a.Length >= (rows - 1) * aStride + columns)
            && v.Length >= rows * width && parameters.Length >= columns * width);
        RunColumnTiles(new ColumnTile<TL, TV>(a, rows, aStride, v, width, parameters, learningRate), columns, width);
    }

    // The tiles of TransposeTimes in their order (see its remarks).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunColumnTiles<TL, TV>(in ColumnTile<TL, TV> tile, int columns, int width)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nuint w = (nuint)width, c = (nuint)columns, step = (nuint)TL.Count;
        nuint q = 0;
        // The last nine or ten columns go to the five-column tiles rather than as 8 + 1 or 8 + 2.
        for (; q + 8 <= c && c - q is not (9 or 10); q += 8)
        {
            nuint j = 0;
            for (; j + 2 * step <= w; j += 2 * step)
                tile.EightColumnsTwoBlocks(q, j);
            for (; j < w; j += step)
            {
                tile.FourColumnsOneBlock(q, j);
                tile.FourColumnsOneBlock(q + 4, j);
            }
        }
        // Six stay 4 + 2: as 5 + 1 they would leave a tail that waits on its latency just as long.
        for (; q + 5 <= c && c - q != 6; q += 5)
        {
            nuint j = 0;
            for (; j + 2 * step <= w; j += 2 * step)
                tile.FiveColumnsTwoBlocks(q, j);
            for (; j < w; j += step)
            {
                tile.FourColumnsOneBlock(q, j);
                tile.OneColumnOneBlock(q + 4, j);
            }
        }
        for (; q + 4 <= c; q += 4)
        {
            nuint j = 0;
            for (; j + 2 * step <= w; j += 2 * step)
                tile.FourColumnsTwoBlocks(q, j);
            for (; j < w; j += step)
                tile.FourColumnsOneBlock(q, j);
        }
        // Two columns at a time where two are left: each pass down the rows is a chain of additions as long as the
        // rows, so the last columns pay that latency once rather than once each (three left: 2 + 1).
        for (; q + 2 <= c; q += 2)
        {
            nuint j = 0;
            for (; j + 2 * step <= w; j += 2 * step)
                tile.TwoColumnsTwoBlocks(q, j);
            for (; j < w; j += step)
            {
                tile.OneColumnOneBlock(q, j);
                tile.OneColumnOneBlock(q + 1, j);
            }
        }
        for (; q < c; q++)
        {
            nuint j = 0;
            for (; j + 4 * step <= w; j += 4 * step)
                tile.OneColumnFourBlocks(q, j);
            for (; j + 2 * step <= w; j += 2 * step)
                tile.OneColumnTwoBlocks(q, j);
            for (; j < w; j += step)
                tile.OneColumnOneBlock(q, j);
        }
    }

    /// <summary>
    /// <see cref="ColumnSums{TL, TV}"/> for a width not padded to lanes (the output layer's classes): output[j] =
    /// Σ_r v[r, j], rows in order from +0. Each group of <typeparamref name="TL"/>.Count columns runs in one register
    /// down the rows for as long as a whole register's load stays inside <paramref name="v"/> (its extra lanes sum
    /// the next row's columns, unused), then finishes its last rows one column at a time.
    /// </summary>
    /// <remarks>Why: as output[j] += v[r, j] the sums went through memory, each addition waiting for the store of the
    /// one before it; at the study's shapes that was a tenth of a training run (measured).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NarrowColumnSums<TL, TV>(ReadOnlySpan<float> v, int rows, int width, Span<float> output)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(v.Length >= rows * width && output.Length >= width);
        ref float vr = ref MemoryMarshal.GetReference(v);
        int step = TL.Count;
        Span<float> lanes = stackalloc float[LaneBlock];
        for (int j = 0; j < width; j += step)
        {
            TV sum = TL.Zero;
            int r = 0;
            for (; r < rows && r * width + j + step <= v.Length; r++)
                sum = TL.Add(sum, TL.Load(ref vr, (nuint)(r * width + j)));
            TL.Store(sum, ref MemoryMarshal.GetReference(lanes), 0);
            for (int c = j; c < Math.Min(j + step, width); c++)
            {
                float s = lanes[c - j];
                for (int q = r; q < rows; q++)
                    s += v[q * width + c];
                output[c] = s;
            }
        }
    }

    /// <summary>
    /// output[j] = Σ_r v[r, j] for j &lt; width, the sum over rows in order from +0 (v row-major, rows × width): a
    /// bias gradient. The same bits as <see cref="TransposeTimes"/> with a column of ones (1·v is exact).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums<TL, TV>(ReadOnlySpan<float> v, int rows, int width, Span<float> output)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(width % LaneBlock == 0 && v.Length >= rows * width && output.Length >= width);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float or = ref MemoryMarshal.GetReference(output);
        nuint w = (nuint)width, nr = (nuint)rows, step = (nuint)TL.Count;
        nuint j = 0;
        // Eight lane blocks side by side, each its own sum in row order (so the same bits): one addition chain at a time
        // waited on its latency, and on a wide layer every row's block came from L2 (rows 8 KB apart at width 2,048,
        // before PadWidth's extra block, fell in one L1 set); eight blocks use whole cache lines of each row they fetch.
        for (; j + 8 * step <= w; j += 8 * step)
        {
            TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, s4 = TL.Zero, s5 = TL.Zero, s6 = TL.Zero, s7 = TL.Zero;
            for (nuint r = 0; r < nr; r++)
            {
                nuint at = r * w + j;
                s0 = TL.Add(s0, TL.Load(ref vr, at));
                s1 = TL.Add(s1, TL.Load(ref vr, at + step));
                s2 = TL.Add(s2, TL.Load(ref vr, at + 2 * step));
                s3 = TL.Add(s3, TL.Load(ref vr, at + 3 * step));
                s4 = TL.Add(s4, TL.Load(ref vr, at + 4 * step));
                s5 = TL.Add(s5, TL.Load(ref vr, at + 5 * step));
                s6 = TL.Add(s6, TL.Load(ref vr, at + 6 * step));
                s7 = TL.Add(s7, TL.Load(ref vr, at + 7 * step));
            }
            TL.Store(s0, ref or, j);
            TL.Store(s1, ref or, j + step);
            TL.Store(s2, ref or, j + 2 * step);
            TL.Store(s3, ref or, j + 3 * step);
            TL.Store(s4, ref or, j + 4 * step);
            TL.Store(s5, ref or, j + 5 * step);
            TL.Store(s6, ref or, j + 6 * step);
            TL.Store(s7, ref or, j + 7 * step);
        }
        for (; j < w; j += step)
        {
            TV s = TL.Zero;
            for (nuint r = 0; r < nr; r++)
                s = TL.Add(s, TL.Load(ref vr, r * w + j));
            TL.Store(s, ref or, j);
        }
    }

    /// <summary>
    /// destination[c, r] = source[r, c] for r &lt; sourceRows, c &lt; columns, and destination[c, r] = 0 for
    /// sourceRows ≤ r &lt; <paramref name="destinationStride"/> (the padding). Row r of source starts at
    /// r·<paramref name="sourceStride"/>, row c of destination at c·destinationStride. Copies only: exact.
    /// </summary>
    public static void Transpose(ReadOnlySpan<float> source, int sourceRows, int columns, int sourceStride,
                                 int destinationStride, Span<float> destination)
    {
        Debug.Assert(destinationStride >= sourceRows && destination.Length >= columns * destinationStride
            && (sourceRows == 0 || source.Length >= (sourceRows - 1) * sourceStride + columns));
        for (int c = 0; c < columns; c++)
        {
            Span<float> row = destination.Slice(c * destinationStride, destinationStride);
            for (int r = 0; r < sourceRows; r++)
                row[r] = source[r * sourceStride + c];
            row[sourceRows..].Clear();
        }
    }

    /// <summary>
    /// destination[i, :] = source[rows[i], :] for i &lt; rows.Length, rows of <paramref name="columns"/> floats: a
    /// batch's features, gathered in the epoch's order.
    /// </summary>
    /// <remarks>A row of 4 to 16 floats (the study's 10 features) moves as two overlapping vectors, the first and the
    /// last 4 or 8 floats, instead of through a call to the general copy, whose start-up per row of 40 bytes was about
    /// 2.5 % of a study run (perf, 2026-12-01). Longer and shorter rows use the general copy.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GatherRows(ReadOnlySpan<float> source, int columns, ReadOnlySpan<int> rows, Span<float> destination)
    {
        Debug.Assert(destination.Length >= rows.Length * columns);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)columns;
        if (columns is >= 4 and <= 16)
        {
            for (int i = 0; i < rows.Length; i++)
                MoveShortRow(ref MemoryMarshal.GetReference(source.Slice(rows[i] * columns, columns)), ref Unsafe.Add(ref dr, (nuint)i * n), n);
        }
        else
        {
            for (int i = 0; i < rows.Length; i++)
                source.Slice(rows[i] * columns, columns).CopyTo(destination.Slice(i * columns, columns));
        }
    }

    // n floats, 4 ≤ n ≤ 16, from one array to another: the first and the last 8 (or 4) as two vectors, which overlap
    // unless n is 16 (or 8).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MoveShortRow(ref float from, ref float to, nuint n)
    {
        if (n >= 8)
        {
            Vector256.LoadUnsafe(ref from).StoreUnsafe(ref to);
            Vector256.LoadUnsafe(ref from, n - 8).StoreUnsafe(ref to, n - 8);
        }
        else
        {
            Vector128.LoadUnsafe(ref from).StoreUnsafe(ref to);
            Vector128.LoadUnsafe(ref from, n - 4).StoreUnsafe(ref to, n - 4);
        }
    }

    /// <summary>
    /// logits[r, c] = Dot(hidden[r, :], weights[c, :]) + biases[c] for r &lt; rows, c &lt; classes (row-major;
    /// hidden is rows × width, weights classes × width). With <paramref name="inBlocks"/> the same values go to
    /// <see cref="CrossEntropyInLanes"/>'s layout instead: blocks of eight rows, class-major within a block, logit
    /// (r, c) at <see cref="CrossEntropyInLanes.BlockIndex"/>(r, c, classes); logits then holds
    /// <see cref="CrossEntropyInLanes.BlocksLength"/>(rows, classes) floats, the lanes past the last row left as they were.
    /// </summary>
    /// <remarks>
    /// On 16 lanes one register holds a dot product's 16 partial sums, and finishing their tree one dot at a time
    /// costs more than the products (4 shuffles and 4 additions for 2 multiplications at width 32). So that path takes
    /// the logits of two classes for eight rows at once (and of a last odd class for sixteen rows) and finishes their
    /// 16 trees together (<see cref="Lanes512.FinishSixteenTrees"/>): 15 additions and 30 shuffles in all, the same
    /// additions of the same operands as 16 single trees. Two classes per row load rather than one class for sixteen
    /// rows: ten loads per block of 16 products instead of seventeen, and eight rows 8 KB apart (width 2,048) fit the
    /// ways of one L1 set where sixteen did not. Kernel by kernel (2026-12-01): 0.7 → 0.4 µs a batch at width 32,
    /// 128 → 43 µs at 2,048; a study run at width 32 takes 11 % less time.
    /// <para>Those lanes hold eight rows of a class, which is what the cross-entropy in lanes wants: in blocks, each
    /// half goes to its place with one store, where row-major takes eight scalar stores and the loss eight scalar
    /// loads to gather them back.</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Logits<TL, TV>(
        ReadOnlySpan<float> hidden, int rows, int width, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, int classes, Span<float> logits,
        bool inBlocks = false)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(width % LaneBlock == 0 && hidden.Length >= rows * width && weights.Length >= classes * width
            && biases.Length >= classes
            && logits.Length >= (inBlocks ? CrossEntropyInLanes.BlocksLength(rows, classes) : rows * classes));
        ref float hr = ref MemoryMarshal.GetReference(hidden);
        ref float wr = ref MemoryMarshal.GetReference(weights);
        ref float br = ref MemoryMarshal.GetReference(biases);
        ref float zr = ref MemoryMarshal.GetReference(logits);
        nuint w = (nuint)width, k = (nuint)classes, r = 0;
        if (typeof(TL) == typeof(Lanes512))
        {
            // Sixteen rows at a time: two classes for eight rows at once, then a last odd class for all sixteen; the
            // logits of a class land k apart.
            Span<float> block = stackalloc float[LaneBlock];
            ref float blockRef = ref MemoryMarshal.GetReference(block);
            for (; r + LaneBlock <= (nuint)rows; r += LaneBlock)
            {
                nuint c = 0;
                for (; c + 2 <= k; c += 2)
                {
                    var twoBiases = Vector512.Create(Vector256.Create(Unsafe.Add(ref br, c)), Vector256.Create(Unsafe.Add(ref br, c + 1)));
                    for (nuint half = 0; half < LaneBlock; half += 8)
                    {
                        Vector512<float> sums = Lanes512.EightRowsTwoVectors(ref Unsafe.Add(ref hr, (r + half) * w), w,
                            ref Unsafe.Add(ref wr, c * w), ref Unsafe.Add(ref wr, (c + 1) * w), w) + twoBiases;
                        if (inBlocks)
                        {
                            // Classes c and c + 1 of the block that starts at row r + half, side by side.
                            ref float classC = ref Unsafe.Add(ref zr, (r + half) * k + c * CrossEntropyInLanes.Rows);
                            sums.GetLower().StoreUnsafe(ref classC);
                            sums.GetUpper().StoreUnsafe(ref classC, CrossEntropyInLanes.Rows);
                        }
                        else
                        {
                            sums.StoreUnsafe(ref blockRef);
                            for (nuint t = 0; t < 8; t++)
                            {
                                ref float z = ref Unsafe.Add(ref zr, (r + half + t) * k + c);
                                z = Unsafe.Add(ref blockRef, t);
                                Unsafe.Add(ref z, 1) = Unsafe.Add(ref blockRef, t + 8);
                            }
                        }
                    }
                }
                if (c < k)
                {
                    Vector512<float> sums = Lanes512.SixteenDots(ref Unsafe.Add(ref hr, r * w), w, ref Unsafe.Add(ref wr, c * w), w)
                        + Vector512.Create(Unsafe.Add(ref br, c));
                    if (inBlocks)
                    {
                        // Rows r..r+7 are one block, r+8..r+15 the next.
                        sums.GetLower().StoreUnsafe(ref zr, r * k + c * CrossEntropyInLanes.Rows);
                        sums.GetUpper().StoreUnsafe(ref zr, (r + CrossEntropyInLanes.Rows) * k + c * CrossEntropyInLanes.Rows);
                    }
                    else
                    {
                        sums.StoreUnsafe(ref blockRef);
                        for (nuint t = 0; t < LaneBlock; t++)
                            Unsafe.Add(ref zr, (r + t) * k + c) = Unsafe.Add(ref blockRef, t);
                    }
                }
            }
        }
        for (; r < (nuint)rows; r++)
        {
            ref float h = ref Unsafe.Add(ref hr, r * w);
            for (nuint c = 0; c < k; c++)
            {
                nuint at = inBlocks ? (nuint)CrossEntropyInLanes.BlockIndex((int)r, (int)c, classes) : r * k + c;
                Unsafe.Add(ref zr, at) = TL.Dot16(ref h, ref Unsafe.Add(ref wr, c * w), w) + Unsafe.Add(ref br, c);
            }
        }
    }

    /// <summary>
    /// Σ_j x[j]·y[j] over a length that is a multiple of 16, as 16 partial sums (partial m takes j ≡ m mod 16,
    /// in increasing j, from +0) combined in the fixed tree p[m] += p[m + s], s = 8, 4, 2, 1: the same additions
    /// on every path (see <see cref="ILanes{TVector}.Dot16"/>).
    /// </summary>
    public static float Dot<TL, TV>(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(x.Length == y.Length && x.Length % LaneBlock == 0);
        return TL.Dot16(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), (nuint)x.Length);
    }

    /// <summary>
    /// One SGD step with PyTorch's semantics (torch.optim.SGD, dampening 0, no Nesterov), element by element:
    /// g ← grad + weightDecay·p (if weightDecay ≠ 0); b ← g on the first step, else momentum·b + g, and g ← b
    /// (if momentum ≠ 0); p ← p − learningRate·g. All in float, unfused, the same on every path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SgdStep<TL, TV>(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity,
        float learningRate, float momentum, float weightDecay, bool firstStep)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        Debug.Assert(parameters.Length == gradients.Length);
        ref float pr = ref MemoryMarshal.GetReference(parameters);
        ref float gr = ref MemoryMarshal.GetReference(gradients);
        nuint n = (nuint)parameters.Length, step = (nuint)TL.Count, j = 0;
        // p − lr·g is written p + (−lr)·g, which is the same bits (negation is exact), as PyTorch's add_(g, alpha=−lr).
        TV minusRate = TL.Broadcast(-learningRate);
        if (momentum == 0f && weightDecay == 0f)
        {
            for (; j + step <= n; j += step)
                TL.Store(TL.MultiplyAdd(TL.Load(ref pr, j), minusRate, TL.Load(ref gr, j)), ref pr, j);
            for (; j < n; j++)                       // tail: the same two roundings
                Unsafe.Add(ref pr, j) += -learningRate * Unsafe.Add(ref gr, j);
            return;
        }

        bool useMomentum = momentum != 0f, useDecay = weightDecay != 0f;
        // Weight decay alone needs no velocity: the trainer passes an empty one then.
        Debug.Assert(!useMomentum || velocity.Length == parameters.Length);
        ref float br = ref MemoryMarshal.GetReference(velocity);
        TV decay = TL.Broadcast(weightDecay), mom = TL.Broadcast(momentum);
        for (; j + step <= n; j += step)
        {
            TV p = TL.Load(ref pr, j);
            TV g = TL.Load(ref gr, j);
            if (useDecay)
                g = TL.MultiplyAdd(g, decay, p);
            if (useMomentum)
            {
                g = firstStep ? g : TL.MultiplyAdd(g, mom, TL.Load(ref br, j));
                TL.Store(g, ref br, j);
            }
            TL.Store(TL.MultiplyAdd(p, minusRate, g), ref pr, j);
        }
        for (; j < n; j++)
        {
            float p = Unsafe.Add(ref pr, j);
            float g = Unsafe.Add(ref gr, j);
            if (useDecay)
                g += weightDecay * p;
            if (useMomentum)
            {
                g = firstStep ? g : g + momentum * Unsafe.Add(ref br, j);
                Unsafe.Add(ref br, j) = g;
            }
            Unsafe.Add(ref pr, j) = p + -learningRate * g;
        }
    }

    /// <summary>destination[i] = (double)source[i]: exact, lane by lane where vectors are accelerated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen(ReadOnlySpan<float> source, Span<double> destination)
    {
        Debug.Assert(destination.Length >= source.Length);
        ref float sr = ref MemoryMarshal.GetReference(source);
        ref double dr = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, i = 0, w = (nuint)Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + w <= n; i += w)
            {
                Vector.Widen(Vector.LoadUnsafe(ref sr, i), out Vector<double> low, out Vector<double> high);
                low.StoreUnsafe(ref dr, i);
                high.StoreUnsafe(ref dr, i + w / 2);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref dr, i) = Unsafe.Add(ref sr, i);
    }

    /// <summary>destination[i] = (float)source[i], rounded to nearest (ties to even) as the scalar cast, lane by lane
    /// where vectors are accelerated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RoundToFloat(ReadOnlySpan<double> source, Span<float> destination)
    {
        Debug.Assert(destination.Length >= source.Length);
        ref double sr = ref MemoryMarshal.GetReference(source);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, i = 0, w = (nuint)Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + w <= n; i += w)
                Vector.Narrow(Vector.LoadUnsafe(ref sr, i), Vector.LoadUnsafe(ref sr, i + w / 2)).StoreUnsafe(ref dr, i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref dr, i) = (float)Unsafe.Add(ref sr, i);
    }

    /// <summary>True when every value is finite (no NaN, no ±∞).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        // A float is ±∞ or NaN exactly when its exponent bits are all ones: tested a vector at a time (the trainer
        // checks every parameter after every epoch).
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var exponent = new Vector<uint>(0x7F800000u);
            ReadOnlySpan<Vector<uint>> vectors = MemoryMarshal.Cast<float, Vector<uint>>(values);
            foreach (Vector<uint> bits in vectors)
            {
                if (Vector.EqualsAny(bits & exponent, exponent))
                    return false;
            }
            i = vectors.Length * Vector<uint>.Count;
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                return false;
        }
        return true;
    }

    // Asks the dispatcher which path it takes, so the answer cannot drift from the ladder itself.
    private struct LaneCountOperation : ILaneOperation
    {
        public int Count { get; private set; }

        public void Invoke<TL, TV>()
            where TL : struct, ILanes<TV>
            where TV : struct => Count = TL.Count;
    }
}
