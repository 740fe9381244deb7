using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

    // One register holds partials 0..15.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot16(ref float x, ref float y, nuint length)
    {
        Vector512<float> p = Vector512<float>.Zero;
        for (nuint j = 0; j < length; j += 16)
            p += Vector512.LoadUnsafe(ref x, j) * Vector512.LoadUnsafe(ref y, j);
        return PartialTree.Finish(p.GetLower() + p.GetUpper());
    }
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
