using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Internal;

public class AlignedArrayTests
{
    // Many arrays in a row land at every offset .NET can give an array (8-byte steps), so each alignment case is met.
    [Fact]
    public void Every_array_starts_on_a_cache_line_whatever_its_length_and_element_size()
    {
        for (int length = 0; length < 200; length++)
        {
            AssertAligned(new AlignedArray<float>(length).Span, length);
            AssertAligned(new AlignedArray<double>(length).Span, length);
            AssertAligned(new AlignedArray<int>(length).Span, length);
        }
    }

    [Fact]
    public void A_new_array_is_zero_and_a_copy_holds_the_values()
    {
        var zeros = new AlignedArray<double>(37);
        Assert.All(zeros.Span.ToArray(), x => Assert.Equal(0.0, x));

        float[] values = [.. Enumerable.Range(0, 53).Select(i => i * 0.5f - 3)];
        var copy = new AlignedArray<float>(values);
        Assert.Equal(values, copy.Span.ToArray());
        Assert.Equal(values[10..17], copy.AsSpan(10, 7).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => { copy.AsSpan(50, 4); });
        Assert.Throws<ArgumentOutOfRangeException>("length", () => new AlignedArray<float>(-1));
    }

    // The garbage collector never moves them: still aligned, and still the same values, after full compacting
    // collections with other objects freed around them.
    [Fact]
    public void Arrays_stay_aligned_through_compacting_collections()
    {
        var arrays = new List<AlignedArray<float>>();
        for (int i = 0; i < 64; i++)
        {
            _ = new byte[8 * (i % 5) + 1];
            arrays.Add(new AlignedArray<float>([.. Enumerable.Repeat((float)i, 3 + i)]));
        }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        for (int i = 0; i < arrays.Count; i++)
        {
            AssertAligned(arrays[i].Span, 3 + i);
            Assert.All(arrays[i].Span.ToArray(), x => Assert.Equal(i, x));
        }
    }

    // The network's parameters, as the kernels read them, and its clones'.
    [Fact]
    public void A_networks_parameters_start_on_a_cache_line()
    {
        Mlp model = Mlp.CreateInitialized(10, [32], 5, new RandomSource(3));
        AssertAligned(model.Parameters, model.Parameters.Length);
        Mlp clone = model.Clone();
        AssertAligned(clone.Parameters, model.Parameters.Length);
        Assert.Equal(model.Parameters.ToArray(), clone.Parameters.ToArray());
    }

    private static void AssertAligned<T>(Span<T> span, int length)
        where T : unmanaged
    {
        Assert.Equal(length, span.Length);
        nint address = Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref MemoryMarshal.GetReference(span));
        Assert.True(address % 64 == 0, $"{typeof(T).Name}[{length}] at {address:x}");
    }
}
