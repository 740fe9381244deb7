using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LabelFlip.Core.Internal;

/// <summary>
/// A fixed-length array of <typeparamref name="T"/> whose first element sits on a 64-byte boundary: a cache line, and
/// the width of a 512-bit register.
/// </summary>
/// <remarks>
/// <para>Why: .NET aligns an array's elements to 8 bytes only, so in seven arrays out of eight every 512-bit load or
/// store of a whole register straddles two cache lines, and each costs two. Which of the eight a buffer got was chance,
/// so the same training ran at different speeds in different processes. Measured 2026-12-01 (2-core Zen 5 VM, a study
/// run with every buffer and the parameters at each offset): width 128 5.1 ms aligned against 5.7–5.9 ms, width 32
/// 2.30 against 2.36–2.45 ms; a backward pass through 10 inputs at width 32, kernel by kernel, 170–173 GFLOP/s
/// against 104–142.</para>
/// <para>The array lives on the pinned object heap, so the collector never moves it and the offset found when it is
/// allocated stays right. It holds up to 64 bytes more than asked. Nothing here depends on the alignment for its
/// results: the kernels give the same bits at any address, only faster at this one.</para>
/// </remarks>
/// <typeparam name="T">An element type whose size divides 64 (float, double, int).</typeparam>
internal sealed class AlignedArray<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    private readonly T[] _array;
    private readonly int _start;

    /// <summary>An aligned array of <paramref name="length"/> elements, all zero.</summary>
    public AlignedArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int size = Unsafe.SizeOf<T>();
        _array = GC.AllocateArray<T>(length + Alignment / size - 1, pinned: true);
        nint address = Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
        _start = (int)((Alignment - address % Alignment) % Alignment) / size;
        Length = length;
    }

    /// <summary>An aligned copy of <paramref name="values"/>.</summary>
    public AlignedArray(ReadOnlySpan<T> values)
        : this(values.Length) => values.CopyTo(Span);

    /// <summary>An empty array (nothing allocated on the pinned heap beyond its slack).</summary>
    public static AlignedArray<T> Empty { get; } = new(0);

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>All elements; the first is 64-byte aligned.</summary>
    public Span<T> Span => _array.AsSpan(_start, Length);

    /// <summary>Elements <paramref name="start"/> … <paramref name="start"/> + <paramref name="length"/> − 1.</summary>
    public Span<T> AsSpan(int start, int length) => Span.Slice(start, length);
}
