using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// The few lane-wise operations the MLP kernels need, implemented once per hardware width
/// (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/>) and once for one plain float
/// (<see cref="Lanes1"/>, the scalar path). The kernels in <see cref="MlpKernels"/> are written once, generic
/// over this interface; the JIT specialises and inlines them per struct, so every path runs the very same
/// sequence of roundings per lane, only more lanes at a time.
/// </summary>
/// <typeparam name="TVector">The register type: a hardware vector of floats, or <see cref="float"/> itself.</typeparam>
internal interface ILanes<TVector>
    where TVector : struct
{
    /// <summary>Floats per register; always a divisor of <see cref="MlpKernels.LaneBlock"/> (16).</summary>
    static abstract int Count { get; }

    /// <summary>All lanes +0.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>Loads <see cref="Count"/> floats at <paramref name="source"/> + <paramref name="offset"/>.</summary>
    static abstract TVector Load(ref float source, nuint offset);

    /// <summary>Stores <see cref="Count"/> floats at <paramref name="destination"/> + <paramref name="offset"/>.</summary>
    static abstract void Store(TVector value, ref float destination, nuint offset);

    /// <summary><paramref name="left"/> + <paramref name="right"/>, lane by lane (one rounding).</summary>
    static abstract TVector Add(TVector left, TVector right);

    /// <summary><paramref name="addend"/> + <paramref name="left"/> · <paramref name="right"/>, UNFUSED: the
    /// product is rounded, then the sum (two roundings, on every path).</summary>
    static abstract TVector MultiplyAdd(TVector addend, TVector left, TVector right);

    /// <summary><paramref name="test"/> &gt; 0 ? <paramref name="value"/> : +0, lane by lane (NaN tests give +0).</summary>
    static abstract TVector WherePositive(TVector test, TVector value);

    /// <summary><paramref name="value"/> &gt; 0 ? <paramref name="value"/> : +0, lane by lane (NaN and −0 give +0): the
    /// ReLU, the same bits as <see cref="WherePositive"/>(value, value).</summary>
    static abstract TVector Relu(TVector value);

    /// <summary>
    /// Σ_j x[j]·y[j] for a <paramref name="length"/> that is a multiple of 16, in the house order: 16 partial sums
    /// (partial m takes j ≡ m mod 16 in increasing j, from +0), combined by the tree p[m] += p[m + s] for
    /// s = 8, 4, 2, 1. Each width keeps the 16 partials in its own registers and runs the same tree with halving
    /// and shuffles, so every width performs exactly the same additions.
    /// </summary>
    static abstract float Dot16(ref float x, ref float y, nuint length);
}

/// <summary>The last levels of the 16-partial tree, shared by the vector widths.</summary>
internal static class PartialTree
{
    /// <summary>Given q[m] = p[m] + p[m + 8] for m &lt; 8, finishes the tree (s = 4, 2, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Finish(Vector256<float> eight) => Finish(eight.GetLower() + eight.GetUpper());

    /// <summary>Given the four sums of the s = 4 level, finishes the tree (s = 2, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Finish(Vector128<float> four)
    {
        Vector128<float> two = four + Vector128.Shuffle(four, Vector128.Create(2, 3, 2, 3));
        return two.ToScalar() + two.GetElement(1);
    }
}

/// <summary>16 lanes (AVX-512).</summary>
internal readonly struct Lanes512 : ILanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    // Operator * then operator +: the JIT never contracts these into a fused multiply-add.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> addend, Vector512<float> left, Vector512<float> right) =>
        addend + left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WherePositive(Vector512<float> test, Vector512<float> value) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(test, Vector512<float>.Zero), value, Vector512<float>.Zero);

    // MAXPS returns its second operand unless the first is greater: so +0 for a NaN, −0 or negative value, in one
    // instruction where the select takes a compare and a blend. (Vector512.Max orders −0 and NaN as IEEE 754-2019
    // does, which is not this.)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Relu(Vector512<float> value) => Avx512F.Max(value, Vector512<float>.Zero);

    // One register holds partials 0..15.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot16(ref float x, ref float y, nuint length)
    {
        Vector512<float> p = Vector512<float>.Zero;
        for (nuint j = 0; j < length; j += 16)
            p += Vector512.LoadUnsafe(ref x, j) * Vector512.LoadUnsafe(ref y, j);
        return PartialTree.Finish(p.GetLower() + p.GetUpper());
    }
    /// <summary>
    /// Lane t of the result = Dot16(rows + t·<paramref name="stride"/>, y, length) for t &lt; 16: the dot products of
    /// sixteen consecutive rows with one vector, in the house order, their trees finished together
    /// (<see cref="FinishSixteenTrees"/>). The loop runs over the blocks of 16 outside and the rows inside, so each
    /// block of y is loaded once for the sixteen rows, and a short length costs one loop, not sixteen.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SixteenDots(ref float rows, nuint stride, ref float y, nuint length)
    {
        Vector512<float> p0 = Vector512<float>.Zero, p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0, p6 = p0, p7 = p0;
        Vector512<float> p8 = p0, p9 = p0, p10 = p0, p11 = p0, p12 = p0, p13 = p0, p14 = p0, p15 = p0;
        ref float r0 = ref rows, r4 = ref Unsafe.Add(ref rows, 4 * stride);
        ref float r8 = ref Unsafe.Add(ref rows, 8 * stride), r12 = ref Unsafe.Add(ref rows, 12 * stride);
        nuint s2 = 2 * stride, s3 = 3 * stride;
        for (nuint j = 0; j < length; j += 16)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref y, j);
            p0 += Vector512.LoadUnsafe(ref r0, j) * v;
            p1 += Vector512.LoadUnsafe(ref r0, j + stride) * v;
            p2 += Vector512.LoadUnsafe(ref r0, j + s2) * v;
            p3 += Vector512.LoadUnsafe(ref r0, j + s3) * v;
            p4 += Vector512.LoadUnsafe(ref r4, j) * v;
            p5 += Vector512.LoadUnsafe(ref r4, j + stride) * v;
            p6 += Vector512.LoadUnsafe(ref r4, j + s2) * v;
            p7 += Vector512.LoadUnsafe(ref r4, j + s3) * v;
            p8 += Vector512.LoadUnsafe(ref r8, j) * v;
            p9 += Vector512.LoadUnsafe(ref r8, j + stride) * v;
            p10 += Vector512.LoadUnsafe(ref r8, j + s2) * v;
            p11 += Vector512.LoadUnsafe(ref r8, j + s3) * v;
            p12 += Vector512.LoadUnsafe(ref r12, j) * v;
            p13 += Vector512.LoadUnsafe(ref r12, j + stride) * v;
            p14 += Vector512.LoadUnsafe(ref r12, j + s2) * v;
            p15 += Vector512.LoadUnsafe(ref r12, j + s3) * v;
        }
        return FinishSixteenTrees(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15);
    }

    /// <summary>
    /// Lane t of the result = Dot16(rows + (t mod 8)·<paramref name="stride"/>, t &lt; 8 ? y : z, length) for t &lt; 16: the
    /// dot products of eight consecutive rows with two vectors, in the house order, their trees finished together.
    /// Each load of a row feeds two products, so a block of 16 takes ten loads instead of the seventeen of
    /// <see cref="SixteenDots"/>, and eight rows 8 KB apart (width 2,048) still fit the ways of one L1 set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> EightRowsTwoVectors(ref float rows, nuint stride, ref float y, ref float z, nuint length)
    {
        Vector512<float> p0 = Vector512<float>.Zero, p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0, p6 = p0, p7 = p0;
        Vector512<float> q0 = p0, q1 = p0, q2 = p0, q3 = p0, q4 = p0, q5 = p0, q6 = p0, q7 = p0;
        ref float r4 = ref Unsafe.Add(ref rows, 4 * stride);
        nuint s2 = 2 * stride, s3 = 3 * stride;
        for (nuint j = 0; j < length; j += 16)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref y, j), u = Vector512.LoadUnsafe(ref z, j);
            Vector512<float> h = Vector512.LoadUnsafe(ref rows, j);
            p0 += h * v;
            q0 += h * u;
            h = Vector512.LoadUnsafe(ref rows, j + stride);
            p1 += h * v;
            q1 += h * u;
            h = Vector512.LoadUnsafe(ref rows, j + s2);
            p2 += h * v;
            q2 += h * u;
            h = Vector512.LoadUnsafe(ref rows, j + s3);
            p3 += h * v;
            q3 += h * u;
            h = Vector512.LoadUnsafe(ref r4, j);
            p4 += h * v;
            q4 += h * u;
            h = Vector512.LoadUnsafe(ref r4, j + stride);
            p5 += h * v;
            q5 += h * u;
            h = Vector512.LoadUnsafe(ref r4, j + s2);
            p6 += h * v;
            q6 += h * u;
            h = Vector512.LoadUnsafe(ref r4, j + s3);
            p7 += h * v;
            q7 += h * u;
        }
        return FinishSixteenTrees(p0, p1, p2, p3, p4, p5, p6, p7, q0, q1, q2, q3, q4, q5, q6, q7);
    }

    /// <summary>
    /// Lane t of the result is the tree sum of p_t (p[m] += p[m + s] for s = 8, 4, 2, 1, then p[0]): the 16 trees of
    /// <see cref="Dot16"/>, level by level across registers. Each level adds, for two registers' worth of partial sets,
    /// the lower half of every set's live partials to the upper half, after shuffles have put the halves of two sets
    /// side by side, so the registers halve at every level: 8 + 4 + 2 + 1 additions of full registers and two shuffles
    /// each. The 16 results come out in the order 4b + j ↔ set 4j + b and one permutation puts them right.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FinishSixteenTrees(
        Vector512<float> p0, Vector512<float> p1, Vector512<float> p2, Vector512<float> p3,
        Vector512<float> p4, Vector512<float> p5, Vector512<float> p6, Vector512<float> p7,
        Vector512<float> p8, Vector512<float> p9, Vector512<float> p10, Vector512<float> p11,
        Vector512<float> p12, Vector512<float> p13, Vector512<float> p14, Vector512<float> p15)
    {
        // s = 8: 128-bit blocks 0, 1 of each set plus its blocks 2, 3; then s = 4: block 0 plus block 1.
        Vector512<float> f0 = Fours(Eights(p0, p1), Eights(p2, p3)), f1 = Fours(Eights(p4, p5), Eights(p6, p7));
        Vector512<float> f2 = Fours(Eights(p8, p9), Eights(p10, p11)), f3 = Fours(Eights(p12, p13), Eights(p14, p15));
        // f_j holds sets 4j .. 4j + 3, one per 128-bit block; s = 2 and s = 1 work inside the blocks.
        Vector512<float> sums = Ones(Twos(f0, f1), Twos(f2, f3));
        return Vector512.Shuffle(sums, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
    }

    // [a.b0 + a.b2, a.b1 + a.b3, b.b0 + b.b2, b.b1 + b.b3] over 128-bit blocks: the s = 8 level of sets a and b.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Eights(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0b01_00_01_00) + Avx512F.Shuffle4x128(a, b, 0b11_10_11_10);

    // From two registers of the s = 8 level (two sets each, in blocks 0–1 and 2–3): [block 0 + block 1] per set.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fours(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0b10_00_10_00) + Avx512F.Shuffle4x128(a, b, 0b11_01_11_01);

    // Per block of four [r0, r1, r2, r3]: [a.r0 + a.r2, a.r1 + a.r3, b.r0 + b.r2, b.r1 + b.r3] (s = 2).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Twos(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle(a, b, 0b01_00_01_00) + Avx512F.Shuffle(a, b, 0b11_10_11_10);

    // Per block [a.t0 + a.t1, a.t2 + a.t3, b.t0 + b.t1, b.t2 + b.t3] (s = 1).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Ones(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle(a, b, 0b10_00_10_00) + Avx512F.Shuffle(a, b, 0b11_01_11_01);
}

/// <summary>8 lanes (AVX/AVX2).</summary>
internal readonly struct Lanes256 : ILanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> addend, Vector256<float> left, Vector256<float> right) =>
        addend + left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WherePositive(Vector256<float> test, Vector256<float> value) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(test, Vector256<float>.Zero), value, Vector256<float>.Zero);

    // MAXPS, as Lanes512.Relu (a 256-bit register is accelerated on x86 only).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Relu(Vector256<float> value) => Avx.Max(value, Vector256<float>.Zero);

    // Two registers hold partials 0..7 and 8..15.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot16(ref float x, ref float y, nuint length)
    {
        Vector256<float> p0 = Vector256<float>.Zero, p1 = Vector256<float>.Zero;
        for (nuint j = 0; j < length; j += 16)
        {
            p0 += Vector256.LoadUnsafe(ref x, j) * Vector256.LoadUnsafe(ref y, j);
            p1 += Vector256.LoadUnsafe(ref x, j + 8) * Vector256.LoadUnsafe(ref y, j + 8);
        }
        return PartialTree.Finish(p0 + p1);
    }
}

/// <summary>4 lanes (SSE, NEON).</summary>
internal readonly struct Lanes128 : ILanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> addend, Vector128<float> left, Vector128<float> right) =>
        addend + left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> WherePositive(Vector128<float> test, Vector128<float> value) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(test, Vector128<float>.Zero), value, Vector128<float>.Zero);

    // MAXPS, as Lanes512.Relu, on x86; elsewhere (Arm's FMAX returns NaN for NaN) the select.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu(Vector128<float> value) =>
        Sse.IsSupported ? Sse.Max(value, Vector128<float>.Zero) : WherePositive(value, value);

    // Four registers hold partials 0..3, 4..7, 8..11, 12..15; the s = 8 level adds the first two to the last two.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot16(ref float x, ref float y, nuint length)
    {
        Vector128<float> p0 = Vector128<float>.Zero, p1 = Vector128<float>.Zero, p2 = Vector128<float>.Zero, p3 = Vector128<float>.Zero;
        for (nuint j = 0; j < length; j += 16)
        {
            p0 += Vector128.LoadUnsafe(ref x, j) * Vector128.LoadUnsafe(ref y, j);
            p1 += Vector128.LoadUnsafe(ref x, j + 4) * Vector128.LoadUnsafe(ref y, j + 4);
            p2 += Vector128.LoadUnsafe(ref x, j + 8) * Vector128.LoadUnsafe(ref y, j + 8);
            p3 += Vector128.LoadUnsafe(ref x, j + 12) * Vector128.LoadUnsafe(ref y, j + 12);
        }
        return PartialTree.Finish((p0 + p2) + (p1 + p3));
    }
}

/// <summary>One lane: the scalar path, used when no vector hardware is enabled.</summary>
internal readonly struct Lanes1 : ILanes<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float addend, float left, float right) => addend + left * right;

    // Same bits as the vector select: value where test > 0, else +0 (NaN compares false).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WherePositive(float test, float value) => test > 0f ? value : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float value) => value > 0f ? value : 0f;

    // Sixteen floats hold the partials; the tree is the plain loop.
    public static float Dot16(ref float x, ref float y, nuint length)
    {
        Span<float> p = stackalloc float[16];
        p.Clear();
        for (nuint j = 0; j < length; j += 16)
        {
            for (int m = 0; m < 16; m++)
                p[m] += Unsafe.Add(ref x, j + (nuint)m) * Unsafe.Add(ref y, j + (nuint)m);
        }
        for (int s = 8; s >= 1; s /= 2)
        {
            for (int m = 0; m < s; m++)
                p[m] += p[m + s];
        }
        return p[0];
    }
}
