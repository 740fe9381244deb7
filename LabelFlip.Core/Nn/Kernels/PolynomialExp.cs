using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// e^x in double precision from IEEE +, ×, rounding and exponent bits only, so the softmax gives the same bits
/// on every platform (<see cref="Math.Exp(double)"/> comes from the C runtime). Accurate to about one ulp.
/// </summary>
/// <remarks>
/// Range reduction x = n·ln2 + r with n = round(x/ln2), |r| ≤ ln2/2, r computed with ln2 split in two (Cody and
/// Waite) so n·Ln2Hi is exact; e^r by its Taylor series to r¹³/13! in Horner form (the first omitted term is below
/// 2⁻⁶⁰ relative); then scaled by 2ⁿ through the exponent bits, in two steps where the result is subnormal.
/// Only arithmetic and branches on x's range: the same polynomial vectorises lane by lane.
/// It is not DeterministicMath.Exp (fdlibm's rational form, used by the sigmoid fitter): the two differ in the last
/// bit on about 6 % of arguments, and each one's bits are pinned by results; see the remarks there.
/// </remarks>
internal static class PolynomialExp
{
    // The range reduction's constants are DeterministicMath's (1/ln 2 and ln 2 split as in fdlibm: Ln2Hi has its
    // low 32 bits zero, so n·Ln2Hi is exact for |n| < 2^20).
    private const double Log2E = DeterministicMath.InvLn2;
    private const double Ln2Hi = DeterministicMath.Ln2Hi;
    private const double Ln2Lo = DeterministicMath.Ln2Lo;
    private const double OverflowThreshold = 709.782712893384;      // ln(double.MaxValue)
    // ln(smallest subnormal / 2). One ulp above DeterministicMath.Exp's limit: part of this function's pinned bits.
    private const double UnderflowThreshold = -745.1332191019412;

    /// <summary>e^<paramref name="x"/>: +∞ above ~709.78, +0 below ~−745.13, NaN for NaN, 1 for ±0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (!(x <= OverflowThreshold))
            return double.IsNaN(x) ? x : double.PositiveInfinity;
        if (x < UnderflowThreshold)
            return 0.0;

        double n = Math.Round(x * Log2E); // ties to even; IEEE, exact
        double r = x - n * Ln2Hi - n * Ln2Lo;
        double p = 1.0 / 6227020800.0;            // 1/13!
        p = p * r + 1.0 / 479001600.0;            // 1/12!
        p = p * r + 1.0 / 39916800.0;             // 1/11!
        p = p * r + 1.0 / 3628800.0;              // 1/10!
        p = p * r + 1.0 / 362880.0;               // 1/9!
        p = p * r + 1.0 / 40320.0;                // 1/8!
        p = p * r + 1.0 / 5040.0;                 // 1/7!
        p = p * r + 1.0 / 720.0;                  // 1/6!
        p = p * r + 1.0 / 120.0;                  // 1/5!
        p = p * r + 1.0 / 24.0;                   // 1/4!
        p = p * r + 1.0 / 6.0;                    // 1/3!
        p = p * r + 0.5;                          // 1/2!
        p = p * r + 1.0;
        p = p * r + 1.0;

        int e = (int)n;
        if (e > 1023)
            return p * 2.0 * ScaleByPowerOfTwo(e - 1);
        if (e < -1022)
            return p * ScaleByPowerOfTwo(e + 54) * (1.0 / 18014398509481984.0); // 2^(e+54) · 2^−54
        return p * ScaleByPowerOfTwo(e);
    }

    // Inputs whose results are normal numbers with a normal 2ⁿ: the vector path handles these without branches.
    private const double VectorMin = -708.0;
    private const double VectorMax = 709.0;

    /// <summary>
    /// destination[i] = <see cref="Exp(double)"/>(x[i]), bit for bit: blocks of lanes whose inputs all lie in
    /// [−708, 709] run the same operations lane-wise on <see cref="Vector512{T}"/> or <see cref="Vector{T}"/>
    /// (width-independent: each lane is one element); any other block, and the tail, use the scalar routine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(ReadOnlySpan<double> x, Span<double> destination)
    {
        Debug.Assert(destination.Length >= x.Length);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, i = 0, w = (nuint)Vector<double>.Count;
        if (Vector512.IsHardwareAccelerated)
        {
            // Vector<T> stays 256 bits wide on AVX-512 hardware; eight lanes at a time halve the instructions.
            Vector512<double> low = Vector512.Create(VectorMin), high = Vector512.Create(VectorMax);
            for (; i + 64 <= n; i += 64)
            {
                Vector512<double> inRange = Vector512<double>.AllBitsSet;
                for (nuint j = i; j < i + 64; j += 8)
                {
                    Vector512<double> v = Vector512.LoadUnsafe(ref xr, j);
                    inRange &= Vector512.GreaterThanOrEqual(v, low) & Vector512.LessThanOrEqual(v, high);
                }
                if (!Vector512.EqualsAll(inRange.AsInt64(), Vector512<long>.AllBitsSet))
                    break; // the eight-lane loop below sorts this block out
                ExpInRange(ref xr, ref dr, i);
            }
            for (; i + 8 <= n; i += 8)
            {
                Vector512<double> v = Vector512.LoadUnsafe(ref xr, i);
                if (Vector512.GreaterThanOrEqualAll(v, low) && Vector512.LessThanOrEqualAll(v, high))
                {
                    ExpInRange(v).StoreUnsafe(ref dr, i);
                }
                else
                {
                    for (nuint j = i; j < i + 8; j++)
                        Unsafe.Add(ref dr, j) = Exp(Unsafe.Add(ref xr, j));
                }
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> low = new(VectorMin), high = new(VectorMax);
            for (; i + w <= n; i += w)
            {
                Vector<double> v = Vector.LoadUnsafe(ref xr, i);
                if (Vector.GreaterThanOrEqualAll(v, low) && Vector.LessThanOrEqualAll(v, high))
                {
                    ExpInRange(v).StoreUnsafe(ref dr, i);
                }
                else
                {
                    for (nuint j = i; j < i + w; j++)
                        Unsafe.Add(ref dr, j) = Exp(Unsafe.Add(ref xr, j));
                }
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref dr, i) = Exp(Unsafe.Add(ref xr, i));
    }

    // The scalar routine's operations, lane by lane, for x in [VectorMin, VectorMax] (so e is in [−1022, 1023]).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> ExpInRange(Vector<double> x)
    {
        Vector<double> n = Vector.Round(x * Log2E);
        Vector<double> r = x - n * Ln2Hi - n * Ln2Lo;
        Vector<double> p = new(1.0 / 6227020800.0);
        p = p * r + new Vector<double>(1.0 / 479001600.0);
        p = p * r + new Vector<double>(1.0 / 39916800.0);
        p = p * r + new Vector<double>(1.0 / 3628800.0);
        p = p * r + new Vector<double>(1.0 / 362880.0);
        p = p * r + new Vector<double>(1.0 / 40320.0);
        p = p * r + new Vector<double>(1.0 / 5040.0);
        p = p * r + new Vector<double>(1.0 / 720.0);
        p = p * r + new Vector<double>(1.0 / 120.0);
        p = p * r + new Vector<double>(1.0 / 24.0);
        p = p * r + new Vector<double>(1.0 / 6.0);
        p = p * r + new Vector<double>(0.5);
        p = p * r + Vector<double>.One;
        p = p * r + Vector<double>.One;
        Vector<long> bits = Vector.ShiftLeft(Vector.ConvertToInt64(n) + new Vector<long>(1023), 52);
        return p * Vector.AsVectorDouble(bits);
    }

    // The same operations on eight lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpInRange(Vector512<double> x)
    {
        Vector512<double> n = Vector512.Round(x * Log2E);
        Vector512<double> r = x - n * Ln2Hi - n * Ln2Lo;
        Vector512<double> p = Vector512.Create(1.0 / 6227020800.0);
        p = p * r + Vector512.Create(1.0 / 479001600.0);
        p = p * r + Vector512.Create(1.0 / 39916800.0);
        p = p * r + Vector512.Create(1.0 / 3628800.0);
        p = p * r + Vector512.Create(1.0 / 362880.0);
        p = p * r + Vector512.Create(1.0 / 40320.0);
        p = p * r + Vector512.Create(1.0 / 5040.0);
        p = p * r + Vector512.Create(1.0 / 720.0);
        p = p * r + Vector512.Create(1.0 / 120.0);
        p = p * r + Vector512.Create(1.0 / 24.0);
        p = p * r + Vector512.Create(1.0 / 6.0);
        p = p * r + Vector512.Create(0.5);
        p = p * r + Vector512<double>.One;
        p = p * r + Vector512<double>.One;
        return p * TwoToThe(n);
    }

    // ExpInRange of the eight vectors at source + offset, stored at destination + offset. The eight Horner chains are
    // interleaved step by step: a chain is 28 dependent operations, and one vector after another ran at the chains'
    // latency (the processor could not look far enough ahead to overlap them); side by side, each step's sixteen
    // operations are independent. The steps are written out, one call each: as a loop over the coefficients, compiled
    // once with tiered compilation off (as the main job runs), the JIT kept the 24 live vectors on the stack and
    // reloaded and stored every chain at each step (320 exponentials took 0.54 µs instead of 0.16; 2026-12-01). Each lane's operations, and so its bits, are those of the one-vector form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpInRange(ref double source, ref double destination, nuint offset)
    {
        Vector512<double> x0 = Vector512.LoadUnsafe(ref source, offset), x1 = Vector512.LoadUnsafe(ref source, offset + 8);
        Vector512<double> x2 = Vector512.LoadUnsafe(ref source, offset + 16), x3 = Vector512.LoadUnsafe(ref source, offset + 24);
        Vector512<double> x4 = Vector512.LoadUnsafe(ref source, offset + 32), x5 = Vector512.LoadUnsafe(ref source, offset + 40);
        Vector512<double> x6 = Vector512.LoadUnsafe(ref source, offset + 48), x7 = Vector512.LoadUnsafe(ref source, offset + 56);
        Vector512<double> n0 = Vector512.Round(x0 * Log2E), n1 = Vector512.Round(x1 * Log2E), n2 = Vector512.Round(x2 * Log2E), n3 = Vector512.Round(x3 * Log2E);
        Vector512<double> n4 = Vector512.Round(x4 * Log2E), n5 = Vector512.Round(x5 * Log2E), n6 = Vector512.Round(x6 * Log2E), n7 = Vector512.Round(x7 * Log2E);
        Vector512<double> r0 = Reduced(x0, n0), r1 = Reduced(x1, n1), r2 = Reduced(x2, n2), r3 = Reduced(x3, n3);
        Vector512<double> r4 = Reduced(x4, n4), r5 = Reduced(x5, n5), r6 = Reduced(x6, n6), r7 = Reduced(x7, n7);
        Vector512<double> p0 = Vector512.Create(1.0 / 6227020800.0), p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0, p6 = p0, p7 = p0; // 1/13!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 479001600.0); // 1/12!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 39916800.0); // 1/11!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 3628800.0); // 1/10!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 362880.0); // 1/9!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 40320.0); // 1/8!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 5040.0); // 1/7!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 720.0); // 1/6!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 120.0); // 1/5!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 24.0); // 1/4!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0 / 6.0); // 1/3!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 0.5); // 1/2!
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0); // 1
        HornerStep(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0); // 1
        (p0 * TwoToThe(n0)).StoreUnsafe(ref destination, offset);
        (p1 * TwoToThe(n1)).StoreUnsafe(ref destination, offset + 8);
        (p2 * TwoToThe(n2)).StoreUnsafe(ref destination, offset + 16);
        (p3 * TwoToThe(n3)).StoreUnsafe(ref destination, offset + 24);
        (p4 * TwoToThe(n4)).StoreUnsafe(ref destination, offset + 32);
        (p5 * TwoToThe(n5)).StoreUnsafe(ref destination, offset + 40);
        (p6 * TwoToThe(n6)).StoreUnsafe(ref destination, offset + 48);
        (p7 * TwoToThe(n7)).StoreUnsafe(ref destination, offset + 56);
    }

    // One Horner step of the eight chains: p ← p·r + coefficient. Inlined, the chains stay in registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HornerStep(ref Vector512<double> p0, ref Vector512<double> p1, ref Vector512<double> p2, ref Vector512<double> p3,
                                   ref Vector512<double> p4, ref Vector512<double> p5, ref Vector512<double> p6, ref Vector512<double> p7,
                                   Vector512<double> r0, Vector512<double> r1, Vector512<double> r2, Vector512<double> r3,
                                   Vector512<double> r4, Vector512<double> r5, Vector512<double> r6, Vector512<double> r7, double coefficient)
    {
        Vector512<double> c = Vector512.Create(coefficient);
        p0 = p0 * r0 + c;
        p1 = p1 * r1 + c;
        p2 = p2 * r2 + c;
        p3 = p3 * r3 + c;
        p4 = p4 * r4 + c;
        p5 = p5 * r5 + c;
        p6 = p6 * r6 + c;
        p7 = p7 * r7 + c;
    }

    // r = x − n·Ln2Hi − n·Ln2Lo.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Reduced(Vector512<double> x, Vector512<double> n) => x - n * Ln2Hi - n * Ln2Lo;

    // 2ⁿ for integral n in [−1022, 1023], from the exponent bits: exactly the one-vector form's scale. n's integer
    // comes from adding 1.5·2⁵² (whose ulp is 1, so the sum's low bits hold n exactly) rather than from
    // ConvertToInt64, which .NET lowers to a saturating sequence of four instructions.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> TwoToThe(Vector512<double> n) =>
        Vector512.ShiftLeft((n + Vector512.Create(IntegerShift)).AsInt64() - Vector512.Create(IntegerShiftBitsLessBias), 52).AsDouble();

    // 1.5·2⁵², and its bits less the exponent bias 1023 (TwoToThe).
    private const double IntegerShift = 6755399441055744.0;
    private const long IntegerShiftBitsLessBias = 0x4338000000000000L - 1023L;

    // 2^e for e in [−1022, 1023], built from the exponent bits (exact).
    private static double ScaleByPowerOfTwo(int e) => BitConverter.Int64BitsToDouble((long)(e + 1023) << 52);
}
