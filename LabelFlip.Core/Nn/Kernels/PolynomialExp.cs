using System.Diagnostics;
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

    // e^r's Taylor coefficients 1/k!, defined once for the scalar routine, the one-register form and the eight chains.
    private const double InverseFactorial13 = 1.0 / 6227020800.0;
    private const double InverseFactorial12 = 1.0 / 479001600.0;
    private const double InverseFactorial11 = 1.0 / 39916800.0;
    private const double InverseFactorial10 = 1.0 / 3628800.0;
    private const double InverseFactorial9 = 1.0 / 362880.0;
    private const double InverseFactorial8 = 1.0 / 40320.0;
    private const double InverseFactorial7 = 1.0 / 5040.0;
    private const double InverseFactorial6 = 1.0 / 720.0;
    private const double InverseFactorial5 = 1.0 / 120.0;
    private const double InverseFactorial4 = 1.0 / 24.0;
    private const double InverseFactorial3 = 1.0 / 6.0;
    private const double InverseFactorial2 = 0.5;

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
        double p = InverseFactorial13;
        p = p * r + InverseFactorial12;
        p = p * r + InverseFactorial11;
        p = p * r + InverseFactorial10;
        p = p * r + InverseFactorial9;
        p = p * r + InverseFactorial8;
        p = p * r + InverseFactorial7;
        p = p * r + InverseFactorial6;
        p = p * r + InverseFactorial5;
        p = p * r + InverseFactorial4;
        p = p * r + InverseFactorial3;
        p = p * r + InverseFactorial2;
        p = p * r + 1.0;                          // 1/1!
        p = p * r + 1.0;                          // 1/0!

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
    /// destination[i] = <see cref="Exp(double)"/>(x[i]), bit for bit: inputs in [−708, 709] run the same operations
    /// lane-wise on the widest hardware vectors (eight registers at a time, then one; each lane is one element); a
    /// register with any other input, and the tail, use the scalar routine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(ReadOnlySpan<double> x, Span<double> destination)
    {
        Debug.Assert(destination.Length >= x.Length);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            i = ExpInLanes<ExpLanes512, Vector512<double>>(ref xr, ref dr, i, n);
        if (Vector256.IsHardwareAccelerated)
            i = ExpInLanes<ExpLanes256, Vector256<double>>(ref xr, ref dr, i, n);
        if (Vector128.IsHardwareAccelerated)
            i = ExpInLanes<ExpLanes128, Vector128<double>>(ref xr, ref dr, i, n);
        for (; i < n; i++)
            Unsafe.Add(ref dr, i) = Exp(Unsafe.Add(ref xr, i));
    }

    // Exp from element i on, eight registers of TE at a time while all their inputs are in range, then one register at
    // a time (a register with an input out of range element by element); returns where it stopped, less than one
    // register from the end.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint ExpInLanes<TE, TV>(ref double xr, ref double dr, nuint i, nuint n)
        where TE : struct, IExpLanes<TV>
        where TV : struct
    {
        nuint lanes = (nuint)TE.Count;
        TV low = TE.Create(VectorMin), high = TE.Create(VectorMax);
        for (; i + 8 * lanes <= n; i += 8 * lanes)
        {
            bool inRange = true;
            for (nuint j = i; j < i + 8 * lanes; j += lanes)
                inRange &= TE.AllWithin(TE.Load(ref xr, j), low, high);
            if (!inRange)
                break; // the loop below sorts this block out
            EightInRange<TE, TV>(ref xr, ref dr, i);
        }
        for (; i + lanes <= n; i += lanes)
        {
            TV v = TE.Load(ref xr, i);
            if (TE.AllWithin(v, low, high))
            {
                TE.Store(InRange<TE, TV>(v), ref dr, i);
            }
            else
            {
                for (nuint j = i; j < i + lanes; j++)
                    Unsafe.Add(ref dr, j) = Exp(Unsafe.Add(ref xr, j));
            }
        }
        return i;
    }

    // The scalar routine's operations, lane by lane, for x in [VectorMin, VectorMax] (so e is in [−1022, 1023]).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV InRange<TE, TV>(TV x)
        where TE : struct, IExpLanes<TV>
        where TV : struct
    {
        TV n = TE.Round(TE.Multiply(x, TE.Create(Log2E)));
        TV r = Reduced<TE, TV>(x, n);
        TV p = TE.Create(InverseFactorial13);
        foreach (double coefficient in s_hornerCoefficients)
            p = TE.Add(TE.Multiply(p, r), TE.Create(coefficient));
        return TE.Multiply(p, TE.TwoToThe(n));
    }

    // The Horner steps after 1/13!: 1/12!, …, 1/2!, 1, 1 (as in the scalar routine), for the one-register form, whose
    // single chain the JIT keeps in registers through a loop. An array, not a span property: unoptimised (Debug) code
    // built the span's array at every call.
    private static readonly double[] s_hornerCoefficients =
    [
        InverseFactorial12, InverseFactorial11, InverseFactorial10, InverseFactorial9, InverseFactorial8,
        InverseFactorial7, InverseFactorial6, InverseFactorial5, InverseFactorial4, InverseFactorial3, InverseFactorial2,
        1.0, 1.0,
    ];

    // InRange of the eight registers at source + offset, stored at destination + offset. The eight Horner chains are
    // interleaved step by step: a chain is 28 dependent operations, and one register after another ran at the chains'
    // latency (the processor could not look far enough ahead to overlap them); side by side, each step's sixteen
    // operations are independent. The steps are written out, one call each: as a loop over the coefficients, compiled
    // once with tiered compilation off (as the main job runs), the JIT kept the 24 live vectors on the stack and
    // reloaded and stored every chain at each step (320 exponentials took 0.54 µs instead of 0.16 on AVX-512;
    // 2026-12-01). Each lane's operations, and so its bits, are those of the one-register form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EightInRange<TE, TV>(ref double source, ref double destination, nuint offset)
        where TE : struct, IExpLanes<TV>
        where TV : struct
    {
        nuint w = (nuint)TE.Count;
        TV x0 = TE.Load(ref source, offset), x1 = TE.Load(ref source, offset + w), x2 = TE.Load(ref source, offset + 2 * w);
        TV x3 = TE.Load(ref source, offset + 3 * w), x4 = TE.Load(ref source, offset + 4 * w), x5 = TE.Load(ref source, offset + 5 * w);
        TV x6 = TE.Load(ref source, offset + 6 * w), x7 = TE.Load(ref source, offset + 7 * w);
        TV log2E = TE.Create(Log2E);
        TV n0 = TE.Round(TE.Multiply(x0, log2E)), n1 = TE.Round(TE.Multiply(x1, log2E)), n2 = TE.Round(TE.Multiply(x2, log2E));
        TV n3 = TE.Round(TE.Multiply(x3, log2E)), n4 = TE.Round(TE.Multiply(x4, log2E)), n5 = TE.Round(TE.Multiply(x5, log2E));
        TV n6 = TE.Round(TE.Multiply(x6, log2E)), n7 = TE.Round(TE.Multiply(x7, log2E));
        TV r0 = Reduced<TE, TV>(x0, n0), r1 = Reduced<TE, TV>(x1, n1), r2 = Reduced<TE, TV>(x2, n2), r3 = Reduced<TE, TV>(x3, n3);
        TV r4 = Reduced<TE, TV>(x4, n4), r5 = Reduced<TE, TV>(x5, n5), r6 = Reduced<TE, TV>(x6, n6), r7 = Reduced<TE, TV>(x7, n7);
        TV p0 = TE.Create(InverseFactorial13), p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0, p6 = p0, p7 = p0;
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial12);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial11);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial10);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial9);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial8);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial7);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial6);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial5);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial4);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial3);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, InverseFactorial2);
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0); // 1
        HornerStep<TE, TV>(ref p0, ref p1, ref p2, ref p3, ref p4, ref p5, ref p6, ref p7, r0, r1, r2, r3, r4, r5, r6, r7, 1.0); // 1
        TE.Store(TE.Multiply(p0, TE.TwoToThe(n0)), ref destination, offset);
        TE.Store(TE.Multiply(p1, TE.TwoToThe(n1)), ref destination, offset + w);
        TE.Store(TE.Multiply(p2, TE.TwoToThe(n2)), ref destination, offset + 2 * w);
        TE.Store(TE.Multiply(p3, TE.TwoToThe(n3)), ref destination, offset + 3 * w);
        TE.Store(TE.Multiply(p4, TE.TwoToThe(n4)), ref destination, offset + 4 * w);
        TE.Store(TE.Multiply(p5, TE.TwoToThe(n5)), ref destination, offset + 5 * w);
        TE.Store(TE.Multiply(p6, TE.TwoToThe(n6)), ref destination, offset + 6 * w);
        TE.Store(TE.Multiply(p7, TE.TwoToThe(n7)), ref destination, offset + 7 * w);
    }

    // One Horner step of the eight chains: p ← p·r + coefficient. Inlined, the chains stay in registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HornerStep<TE, TV>(ref TV p0, ref TV p1, ref TV p2, ref TV p3, ref TV p4, ref TV p5, ref TV p6, ref TV p7,
                                           TV r0, TV r1, TV r2, TV r3, TV r4, TV r5, TV r6, TV r7, double coefficient)
        where TE : struct, IExpLanes<TV>
        where TV : struct
    {
        TV c = TE.Create(coefficient);
        p0 = TE.Add(TE.Multiply(p0, r0), c);
        p1 = TE.Add(TE.Multiply(p1, r1), c);
        p2 = TE.Add(TE.Multiply(p2, r2), c);
        p3 = TE.Add(TE.Multiply(p3, r3), c);
        p4 = TE.Add(TE.Multiply(p4, r4), c);
        p5 = TE.Add(TE.Multiply(p5, r5), c);
        p6 = TE.Add(TE.Multiply(p6, r6), c);
        p7 = TE.Add(TE.Multiply(p7, r7), c);
    }

    // r = x − n·Ln2Hi − n·Ln2Lo.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Reduced<TE, TV>(TV x, TV n)
        where TE : struct, IExpLanes<TV>
        where TV : struct =>
        TE.Subtract(TE.Subtract(x, TE.Multiply(n, TE.Create(Ln2Hi))), TE.Multiply(n, TE.Create(Ln2Lo)));

    // 2^e for e in [−1022, 1023], built from the exponent bits (exact).
    private static double ScaleByPowerOfTwo(int e) => BitConverter.Int64BitsToDouble((long)(e + 1023) << 52);
}
