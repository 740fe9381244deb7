using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Fitting;

/// <summary>
/// The sums behind the variable-projection profile cost (<see cref="SigmoidGridSearch"/>) for many values of x0 at
/// one k, with a lane per x0, so the vector width never changes a bit: every path computes, per x0 j,
/// σᵢ = 1/(1 + factorᵢ·v_j) and s = Σσᵢ, ss = Σσᵢ·σᵢ, sy = Σσᵢ·yᵢ, each summed from +0 in the order i = 0, 1, …,
/// n − 1, every product, sum and quotient rounded once (nothing fused). Division is exactly rounded, so a lane
/// gives the bits of the scalar loop.
/// </summary>
internal static class ProfileSums
{
    /// <summary>Lanes of the widest accelerated path on this machine (8, 4, 2, or 1 for scalar).</summary>
    internal static int PreferredLanes =>
        Vector512.IsHardwareAccelerated ? Vector512<double>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<double>.Count
        : Vector128.IsHardwareAccelerated ? Vector128<double>.Count
        : 1;

    /// <summary>
    /// s[j] = Σᵢ σᵢⱼ, ss[j] = Σᵢ σᵢⱼ², sy[j] = Σᵢ σᵢⱼ·y[i] with σᵢⱼ = 1/(1 + factor[i]·v[j]).
    /// </summary>
    /// <param name="factor">e^{k(xᵢ − c)} per point.</param>
    /// <param name="y">The (centred) observations, as many.</param>
    /// <param name="v">e^{k(c − x0)} per x0.</param>
    /// <param name="s">Σσ per x0.</param>
    /// <param name="ss">Σσ² per x0.</param>
    /// <param name="sy">Σσy per x0.</param>
    /// <param name="lanes">Widest path to use: 8, 4, 2 or 1 (tests run every path; a path not accelerated on the
    /// machine still gives the same bits, slowly).</param>
    internal static void Compute(ReadOnlySpan<double> factor, ReadOnlySpan<double> y, ReadOnlySpan<double> v,
        Span<double> s, Span<double> ss, Span<double> sy, int lanes)
    {
        Debug.Assert(factor.Length == y.Length && s.Length >= v.Length && ss.Length >= v.Length && sy.Length >= v.Length);
        ref double f = ref MemoryMarshal.GetReference(factor);
        ref double ys = ref MemoryMarshal.GetReference(y);
        ref double vs = ref MemoryMarshal.GetReference(v);
        ref double sums = ref MemoryMarshal.GetReference(s);
        ref double squares = ref MemoryMarshal.GetReference(ss);
        ref double products = ref MemoryMarshal.GetReference(sy);
        nuint points = (nuint)factor.Length, count = (nuint)v.Length, j = 0;
        if (lanes >= Vector512<double>.Count)
        {
            Vector512<double> one = Vector512<double>.One;
            for (; j + (nuint)Vector512<double>.Count <= count; j += (nuint)Vector512<double>.Count)
            {
                Vector512<double> vj = Vector512.LoadUnsafe(ref vs, j), sum = Vector512<double>.Zero, square = sum, product = sum;
                for (nuint i = 0; i < points; i++)
                {
                    Vector512<double> sigma = one / (one + Vector512.Create(Unsafe.Add(ref f, i)) * vj);
                    sum += sigma;
                    square += sigma * sigma;
                    product += sigma * Vector512.Create(Unsafe.Add(ref ys, i));
                }
                sum.StoreUnsafe(ref sums, j);
                square.StoreUnsafe(ref squares, j);
                product.StoreUnsafe(ref products, j);
            }
        }
        if (lanes >= Vector256<double>.Count)
        {
            Vector256<double> one = Vector256<double>.One;
            for (; j + (nuint)Vector256<double>.Count <= count; j += (nuint)Vector256<double>.Count)
            {
                Vector256<double> vj = Vector256.LoadUnsafe(ref vs, j), sum = Vector256<double>.Zero, square = sum, product = sum;
                for (nuint i = 0; i < points; i++)
                {
                    Vector256<double> sigma = one / (one + Vector256.Create(Unsafe.Add(ref f, i)) * vj);
                    sum += sigma;
                    square += sigma * sigma;
                    product += sigma * Vector256.Create(Unsafe.Add(ref ys, i));
                }
                sum.StoreUnsafe(ref sums, j);
                square.StoreUnsafe(ref squares, j);
                product.StoreUnsafe(ref products, j);
            }
        }
        if (lanes >= Vector128<double>.Count)
        {
            Vector128<double> one = Vector128<double>.One;
            for (; j + (nuint)Vector128<double>.Count <= count; j += (nuint)Vector128<double>.Count)
            {
                Vector128<double> vj = Vector128.LoadUnsafe(ref vs, j), sum = Vector128<double>.Zero, square = sum, product = sum;
                for (nuint i = 0; i < points; i++)
                {
                    Vector128<double> sigma = one / (one + Vector128.Create(Unsafe.Add(ref f, i)) * vj);
                    sum += sigma;
                    square += sigma * sigma;
                    product += sigma * Vector128.Create(Unsafe.Add(ref ys, i));
                }
                sum.StoreUnsafe(ref sums, j);
                square.StoreUnsafe(ref squares, j);
                product.StoreUnsafe(ref products, j);
            }
        }
        for (; j < count; j++) // tail and scalar path: the same roundings in the same order
        {
            double vj = Unsafe.Add(ref vs, j), sum = 0.0, square = 0.0, product = 0.0;
            for (nuint i = 0; i < points; i++)
            {
                double sigma = 1.0 / (1.0 + Unsafe.Add(ref f, i) * vj);
                sum += sigma;
                square += sigma * sigma;
                product += sigma * Unsafe.Add(ref ys, i);
            }
            Unsafe.Add(ref sums, j) = sum;
            Unsafe.Add(ref squares, j) = square;
            Unsafe.Add(ref products, j) = product;
        }
    }

    // fdlibm e_exp.c's Remez coefficients, as in DeterministicMath.Exp.
    private const double P1 = 1.66666666666666019037e-01;
    private const double P2 = -2.77777777770155933842e-03;
    private const double P3 = 6.61375632143793436117e-05;
    private const double P4 = -1.65339022054652515390e-06;
    private const double P5 = 4.13813679705723846039e-08;

    /// <summary>Largest |argument| <see cref="Exponentials"/> takes: 2ⁿ then stays normal, so no path needs the
    /// overflow, underflow or subnormal branches of <see cref="DeterministicMath.Exp"/>.</summary>
    internal const double MaxExponent = 700.0;

    /// <summary>
    /// destination[j] = <see cref="DeterministicMath.Exp"/>(arguments[j]), the same bits, with a lane per argument:
    /// each lane does that function's operations in its order (n = trunc(a/ln2 ± ½), a − n·ln2 in two parts, the
    /// rational approximation, 2ⁿ added to the exponent bits).
    /// </summary>
    /// <param name="arguments">Each in [−<see cref="MaxExponent"/>, <see cref="MaxExponent"/>].</param>
    /// <param name="destination">As many values.</param>
    /// <param name="lanes">Widest path to use: 8, 4, 2 or 1.</param>
    internal static void Exponentials(ReadOnlySpan<double> arguments, Span<double> destination, int lanes)
    {
        Debug.Assert(destination.Length >= arguments.Length);
        ref double a = ref MemoryMarshal.GetReference(arguments);
        ref double d = ref MemoryMarshal.GetReference(destination);
        nuint count = (nuint)arguments.Length, j = 0;
        if (lanes >= Vector512<double>.Count)
        {
            for (; j + (nuint)Vector512<double>.Count <= count; j += (nuint)Vector512<double>.Count)
            {
                Vector512<double> x = Vector512.LoadUnsafe(ref a, j);
                Debug.Assert(Vector512.LessThanOrEqualAll(Vector512.Abs(x), Vector512.Create(MaxExponent)));
                Vector512<double> half = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), Vector512.Create(-0.5), Vector512.Create(0.5));
                Vector512<double> n = Vector512.Truncate(x * Vector512.Create(DeterministicMath.InvLn2) + half);
                Vector512<double> hi = x - n * Vector512.Create(DeterministicMath.Ln2Hi);
                Vector512<double> lo = n * Vector512.Create(DeterministicMath.Ln2Lo);
                Vector512<double> r = hi - lo, r2 = r * r;
                Vector512<double> c = r - r2 * (Vector512.Create(P1) + r2 * (Vector512.Create(P2) + r2 * (Vector512.Create(P3) + r2 * (Vector512.Create(P4) + r2 * Vector512.Create(P5)))));
                Vector512<double> y = Vector512<double>.One - ((lo - r * c / (Vector512.Create(2.0) - c)) - hi);
                (y.AsInt64() + Vector512.ShiftLeft(Vector512.ConvertToInt64(n), 52)).AsDouble().StoreUnsafe(ref d, j);
            }
        }
        if (lanes >= Vector256<double>.Count)
        {
            for (; j + (nuint)Vector256<double>.Count <= count; j += (nuint)Vector256<double>.Count)
            {
                Vector256<double> x = Vector256.LoadUnsafe(ref a, j);
                Debug.Assert(Vector256.LessThanOrEqualAll(Vector256.Abs(x), Vector256.Create(MaxExponent)));
                Vector256<double> half = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(-0.5), Vector256.Create(0.5));
                Vector256<double> n = Vector256.Truncate(x * Vector256.Create(DeterministicMath.InvLn2) + half);
                Vector256<double> hi = x - n * Vector256.Create(DeterministicMath.Ln2Hi);
                Vector256<double> lo = n * Vector256.Create(DeterministicMath.Ln2Lo);
                Vector256<double> r = hi - lo, r2 = r * r;
                Vector256<double> c = r - r2 * (Vector256.Create(P1) + r2 * (Vector256.Create(P2) + r2 * (Vector256.Create(P3) + r2 * (Vector256.Create(P4) + r2 * Vector256.Create(P5)))));
                Vector256<double> y = Vector256<double>.One - ((lo - r * c / (Vector256.Create(2.0) - c)) - hi);
                (y.AsInt64() + Vector256.ShiftLeft(Vector256.ConvertToInt64(n), 52)).AsDouble().StoreUnsafe(ref d, j);
            }
        }
        if (lanes >= Vector128<double>.Count)
        {
            for (; j + (nuint)Vector128<double>.Count <= count; j += (nuint)Vector128<double>.Count)
            {
                Vector128<double> x = Vector128.LoadUnsafe(ref a, j);
                Debug.Assert(Vector128.LessThanOrEqualAll(Vector128.Abs(x), Vector128.Create(MaxExponent)));
                Vector128<double> half = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<double>.Zero), Vector128.Create(-0.5), Vector128.Create(0.5));
                Vector128<double> n = Vector128.Truncate(x * Vector128.Create(DeterministicMath.InvLn2) + half);
                Vector128<double> hi = x - n * Vector128.Create(DeterministicMath.Ln2Hi);
                Vector128<double> lo = n * Vector128.Create(DeterministicMath.Ln2Lo);
                Vector128<double> r = hi - lo, r2 = r * r;
                Vector128<double> c = r - r2 * (Vector128.Create(P1) + r2 * (Vector128.Create(P2) + r2 * (Vector128.Create(P3) + r2 * (Vector128.Create(P4) + r2 * Vector128.Create(P5)))));
                Vector128<double> y = Vector128<double>.One - ((lo - r * c / (Vector128.Create(2.0) - c)) - hi);
                (y.AsInt64() + Vector128.ShiftLeft(Vector128.ConvertToInt64(n), 52)).AsDouble().StoreUnsafe(ref d, j);
            }
        }
        for (; j < count; j++) // tail and scalar path: the function itself
            Unsafe.Add(ref d, j) = DeterministicMath.Exp(Unsafe.Add(ref a, j));
    }
}
