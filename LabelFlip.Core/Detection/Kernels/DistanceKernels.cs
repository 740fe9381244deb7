using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Detection.Kernels;

/// <summary>
/// Squared Euclidean distances from one row to many, with a lane per candidate row, so the vector width never
/// changes a bit: every path computes, per candidate j, s = +0 then s = s + (q[f] − x[f, j])·(q[f] − x[f, j]) for
/// f = 0, 1, …, d − 1 in that order, in float32, each difference, product and sum rounded once (the product is not
/// fused into the sum on any path).
/// </summary>
internal static class DistanceKernels
{
    /// <summary>
    /// destination[j] = Σ_f (query[f] − columns[f·rowCount + j])², summed in feature order from +0.
    /// </summary>
    /// <param name="query">The row's d features.</param>
    /// <param name="columns">The candidates feature-major: d blocks of <paramref name="rowCount"/> floats.</param>
    /// <param name="rowCount">Candidates.</param>
    /// <param name="destination">One squared distance per candidate.</param>
    public static void SquaredDistances(ReadOnlySpan<float> query, ReadOnlySpan<float> columns, int rowCount, Span<float> destination)
    {
        Debug.Assert(columns.Length == query.Length * rowCount && destination.Length == rowCount);
        ref float q = ref MemoryMarshal.GetReference(query);
        ref float x = ref MemoryMarshal.GetReference(columns);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)rowCount, features = (nuint)query.Length, j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + (nuint)Vector512<float>.Count <= n; j += (nuint)Vector512<float>.Count)
            {
                Vector512<float> sum = Vector512<float>.Zero;
                for (nuint f = 0; f < features; f++)
                {
                    Vector512<float> difference = Vector512.Create(Unsafe.Add(ref q, f)) - Vector512.LoadUnsafe(ref x, f * n + j);
                    sum += difference * difference;
                }
                sum.StoreUnsafe(ref d, j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + (nuint)Vector256<float>.Count <= n; j += (nuint)Vector256<float>.Count)
            {
                Vector256<float> sum = Vector256<float>.Zero;
                for (nuint f = 0; f < features; f++)
                {
                    Vector256<float> difference = Vector256.Create(Unsafe.Add(ref q, f)) - Vector256.LoadUnsafe(ref x, f * n + j);
                    sum += difference * difference;
                }
                sum.StoreUnsafe(ref d, j);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; j + (nuint)Vector128<float>.Count <= n; j += (nuint)Vector128<float>.Count)
            {
                Vector128<float> sum = Vector128<float>.Zero;
                for (nuint f = 0; f < features; f++)
                {
                    Vector128<float> difference = Vector128.Create(Unsafe.Add(ref q, f)) - Vector128.LoadUnsafe(ref x, f * n + j);
                    sum += difference * difference;
                }
                sum.StoreUnsafe(ref d, j);
            }
        }
        for (; j < n; j++) // tail and scalar path: the same roundings in the same order
        {
            float sum = 0f;
            for (nuint f = 0; f < features; f++)
            {
                float difference = Unsafe.Add(ref q, f) - Unsafe.Add(ref x, f * n + j);
                sum += difference * difference;
            }
            Unsafe.Add(ref d, j) = sum;
        }
    }

    /// <summary>Copies row-major rows × features into feature-major order (<paramref name="destination"/>[f·rows + r]).</summary>
    public static void Transpose(ReadOnlySpan<float> rowMajor, int rowCount, int featureCount, Span<float> destination)
    {
        Debug.Assert(rowMajor.Length == rowCount * featureCount && destination.Length == rowMajor.Length);
        for (int r = 0; r < rowCount; r++)
        {
            for (int f = 0; f < featureCount; f++)
                destination[f * rowCount + r] = rowMajor[r * featureCount + f];
        }
    }
}
