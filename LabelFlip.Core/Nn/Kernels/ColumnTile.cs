using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// The tiles of <see cref="MlpKernels.TransposeTimes{TL, TV}"/>: output[q, j] = Σ_r a[r, q] · v[r, j] for a few
/// columns q of a and one to four lane blocks of columns j of v, each output's products summed in row order from +0 in
/// its own accumulator (so a tile's shape never changes a bit). Each sum is stored, or, for a tile that descends,
/// taken as the gradient of one plain SGD step: output[q, j] + (−learning rate)·sum, the two roundings of
/// <see cref="MlpKernels.SgdStep{TL, TV}"/>.
/// </summary>
internal readonly ref struct ColumnTile<TL, TV>
    where TL : struct, ILanes<TV>
    where TV : struct
{
    private readonly ref float _a;
    private readonly ref float _v;
    private readonly ref float _output;
    private readonly nuint _rows, _aStride, _width;
    private readonly TV _minusRate;
    private readonly bool _descend;

    /// <summary>A tile that stores the sums in <paramref name="output"/>, or with a <paramref name="learningRate"/>
    /// takes one SGD step down them from the parameters in <paramref name="output"/>.</summary>
    public ColumnTile(ReadOnlySpan<float> a, int rows, int aStride, ReadOnlySpan<float> v, int width, Span<float> output,
                      float? learningRate = null)
    {
        _descend = learningRate is not null;
        _minusRate = TL.Broadcast(-learningRate.GetValueOrDefault());
        _a = ref MemoryMarshal.GetReference(a);
        _v = ref MemoryMarshal.GetReference(v);
        _output = ref MemoryMarshal.GetReference(output);
        _rows = (nuint)rows;
        _aStride = (nuint)aStride;
        _width = (nuint)width;
    }

    /// <summary>Columns q..q+7, lane blocks j and j + Count: sixteen chains, each load of v feeding eight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EightColumnsTwoBlocks(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride, step = (nuint)TL.Count;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, s4 = TL.Zero, s5 = TL.Zero, s6 = TL.Zero, s7 = TL.Zero;
        TV t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero, t4 = TL.Zero, t5 = TL.Zero, t6 = TL.Zero, t7 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
        {
            TV vv = TL.Load(ref v, r * w), wv = TL.Load(ref v, r * w + step);
            ref float row = ref Unsafe.Add(ref a, r * stride);
            TV b = TL.Broadcast(row);
            s0 = TL.MultiplyAdd(s0, b, vv);
            t0 = TL.MultiplyAdd(t0, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 1));
            s1 = TL.MultiplyAdd(s1, b, vv);
            t1 = TL.MultiplyAdd(t1, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 2));
            s2 = TL.MultiplyAdd(s2, b, vv);
            t2 = TL.MultiplyAdd(t2, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 3));
            s3 = TL.MultiplyAdd(s3, b, vv);
            t3 = TL.MultiplyAdd(t3, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 4));
            s4 = TL.MultiplyAdd(s4, b, vv);
            t4 = TL.MultiplyAdd(t4, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 5));
            s5 = TL.MultiplyAdd(s5, b, vv);
            t5 = TL.MultiplyAdd(t5, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 6));
            s6 = TL.MultiplyAdd(s6, b, vv);
            t6 = TL.MultiplyAdd(t6, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 7));
            s7 = TL.MultiplyAdd(s7, b, vv);
            t7 = TL.MultiplyAdd(t7, b, wv);
        }
        ref float o = ref Unsafe.Add(ref _output, q * w + j);
        Put(s0, ref o, 0);
        Put(t0, ref o, step);
        Put(s1, ref o, w);
        Put(t1, ref o, w + step);
        Put(s2, ref o, 2 * w);
        Put(t2, ref o, 2 * w + step);
        Put(s3, ref o, 3 * w);
        Put(t3, ref o, 3 * w + step);
        Put(s4, ref o, 4 * w);
        Put(t4, ref o, 4 * w + step);
        Put(s5, ref o, 5 * w);
        Put(t5, ref o, 5 * w + step);
        Put(s6, ref o, 6 * w);
        Put(t6, ref o, 6 * w + step);
        Put(s7, ref o, 7 * w);
        Put(t7, ref o, 7 * w + step);
    }

    /// <summary>Columns q..q+4, lane blocks j and j + Count: ten chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FiveColumnsTwoBlocks(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride, step = (nuint)TL.Count;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, s4 = TL.Zero;
        TV t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero, t4 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
        {
            TV vv = TL.Load(ref v, r * w), wv = TL.Load(ref v, r * w + step);
            ref float row = ref Unsafe.Add(ref a, r * stride);
            TV b = TL.Broadcast(row);
            s0 = TL.MultiplyAdd(s0, b, vv);
            t0 = TL.MultiplyAdd(t0, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 1));
            s1 = TL.MultiplyAdd(s1, b, vv);
            t1 = TL.MultiplyAdd(t1, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 2));
            s2 = TL.MultiplyAdd(s2, b, vv);
            t2 = TL.MultiplyAdd(t2, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 3));
            s3 = TL.MultiplyAdd(s3, b, vv);
            t3 = TL.MultiplyAdd(t3, b, wv);
            b = TL.Broadcast(Unsafe.Add(ref row, 4));
            s4 = TL.MultiplyAdd(s4, b, vv);
            t4 = TL.MultiplyAdd(t4, b, wv);
        }
        ref float o = ref Unsafe.Add(ref _output, q * w + j);
        Put(s0, ref o, 0);
        Put(t0, ref o, step);
        Put(s1, ref o, w);
        Put(t1, ref o, w + step);
        Put(s2, ref o, 2 * w);
        Put(t2, ref o, 2 * w + step);
        Put(s3, ref o, 3 * w);
        Put(t3, ref o, 3 * w + step);
        Put(s4, ref o, 4 * w);
        Put(t4, ref o, 4 * w + step);
    }

    /// <summary>Columns q..q+3, lane blocks j and j + Count: eight chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FourColumnsTwoBlocks(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride, step = (nuint)TL.Count;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, t0 = TL.Zero, t1 = TL.Zero, t2 = TL.Zero, t3 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
        {
            TV vv = TL.Load(ref v, r * w), wv = TL.Load(ref v, r * w + step);
            ref float row = ref Unsafe.Add(ref a, r * stride);
            TV a0 = TL.Broadcast(row), a1 = TL.Broadcast(Unsafe.Add(ref row, 1));
            TV a2 = TL.Broadcast(Unsafe.Add(ref row, 2)), a3 = TL.Broadcast(Unsafe.Add(ref row, 3));
            s0 = TL.MultiplyAdd(s0, a0, vv);
            t0 = TL.MultiplyAdd(t0, a0, wv);
            s1 = TL.MultiplyAdd(s1, a1, vv);
            t1 = TL.MultiplyAdd(t1, a1, wv);
            s2 = TL.MultiplyAdd(s2, a2, vv);
            t2 = TL.MultiplyAdd(t2, a2, wv);
            s3 = TL.MultiplyAdd(s3, a3, vv);
            t3 = TL.MultiplyAdd(t3, a3, wv);
        }
        ref float o = ref Unsafe.Add(ref _output, q * w + j);
        Put(s0, ref o, 0);
        Put(t0, ref o, step);
        Put(s1, ref o, w);
        Put(t1, ref o, w + step);
        Put(s2, ref o, 2 * w);
        Put(t2, ref o, 2 * w + step);
        Put(s3, ref o, 3 * w);
        Put(t3, ref o, 3 * w + step);
    }

    /// <summary>Columns q and q + 1, lane blocks j and j + Count: four chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void TwoColumnsTwoBlocks(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride, step = (nuint)TL.Count;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero, s1 = TL.Zero, t0 = TL.Zero, t1 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
        {
            TV vv = TL.Load(ref v, r * w), wv = TL.Load(ref v, r * w + step);
            ref float row = ref Unsafe.Add(ref a, r * stride);
            TV a0 = TL.Broadcast(row), a1 = TL.Broadcast(Unsafe.Add(ref row, 1));
            s0 = TL.MultiplyAdd(s0, a0, vv);
            t0 = TL.MultiplyAdd(t0, a0, wv);
            s1 = TL.MultiplyAdd(s1, a1, vv);
            t1 = TL.MultiplyAdd(t1, a1, wv);
        }
        ref float o = ref Unsafe.Add(ref _output, q * w + j);
        Put(s0, ref o, 0);
        Put(t0, ref o, step);
        Put(s1, ref o, w);
        Put(t1, ref o, w + step);
    }

    /// <summary>Column q, lane blocks j to j + 3·Count: four chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OneColumnFourBlocks(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride, step = (nuint)TL.Count;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
        {
            TV a0 = TL.Broadcast(Unsafe.Add(ref a, r * stride));
            nuint at = r * w;
            s0 = TL.MultiplyAdd(s0, a0, TL.Load(ref v, at));
            s1 = TL.MultiplyAdd(s1, a0, TL.Load(ref v, at + step));
            s2 = TL.MultiplyAdd(s2, a0, TL.Load(ref v, at + 2 * step));
            s3 = TL.MultiplyAdd(s3, a0, TL.Load(ref v, at + 3 * step));
        }
        ref float o = ref Unsafe.Add(ref _output, q * w + j);
        Put(s0, ref o, 0);
        Put(s1, ref o, step);
        Put(s2, ref o, 2 * step);
        Put(s3, ref o, 3 * step);
    }

    /// <summary>Column q, lane blocks j and j + Count: two chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OneColumnTwoBlocks(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride, step = (nuint)TL.Count;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero, t0 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
        {
            TV a0 = TL.Broadcast(Unsafe.Add(ref a, r * stride));
            s0 = TL.MultiplyAdd(s0, a0, TL.Load(ref v, r * w));
            t0 = TL.MultiplyAdd(t0, a0, TL.Load(ref v, r * w + step));
        }
        ref float o = ref Unsafe.Add(ref _output, q * w + j);
        Put(s0, ref o, 0);
        Put(t0, ref o, step);
    }

    /// <summary>Columns q..q+3, lane block j: four chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FourColumnsOneBlock(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
        {
            TV vv = TL.Load(ref v, r * w);
            ref float row = ref Unsafe.Add(ref a, r * stride);
            s0 = TL.MultiplyAdd(s0, TL.Broadcast(row), vv);
            s1 = TL.MultiplyAdd(s1, TL.Broadcast(Unsafe.Add(ref row, 1)), vv);
            s2 = TL.MultiplyAdd(s2, TL.Broadcast(Unsafe.Add(ref row, 2)), vv);
            s3 = TL.MultiplyAdd(s3, TL.Broadcast(Unsafe.Add(ref row, 3)), vv);
        }
        ref float o = ref Unsafe.Add(ref _output, q * w + j);
        Put(s0, ref o, 0);
        Put(s1, ref o, w);
        Put(s2, ref o, 2 * w);
        Put(s3, ref o, 3 * w);
    }

    /// <summary>Column q, lane block j: one chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OneColumnOneBlock(nuint q, nuint j)
    {
        nuint w = _width, nr = _rows, stride = _aStride;
        ref float v = ref Unsafe.Add(ref _v, j);
        ref float a = ref Unsafe.Add(ref _a, q);
        TV s0 = TL.Zero;
        for (nuint r = 0; r < nr; r++)
            s0 = TL.MultiplyAdd(s0, TL.Broadcast(Unsafe.Add(ref a, r * stride)), TL.Load(ref v, r * w));
        Put(s0, ref _output, q * w + j);
    }

    // The sum stored, or one SGD step down it: p + (−lr)·sum is p − lr·sum, as SgdStep writes it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Put(TV sum, ref float output, nuint offset)
    {
        if (_descend)
            sum = TL.MultiplyAdd(TL.Load(ref output, offset), _minusRate, sum);
        TL.Store(sum, ref output, offset);
    }
}
