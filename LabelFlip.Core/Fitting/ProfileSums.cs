using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
}
