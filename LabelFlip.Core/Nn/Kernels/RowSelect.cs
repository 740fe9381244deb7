using System.Runtime.CompilerServices;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// What <see cref="MlpKernels.RowsTimesMatrix{TL, TV}"/> keeps of each finished sum: the ReLU of a forward pass, or the
/// mask of a backward pass through one. Chosen once per call as a type, so the kernel's finish carries no flag: with
/// a flag the JIT tested it and moved registers around every store (measured in the disassembly).
/// </summary>
internal interface IRowSelect
{
    /// <summary>The value stored for <paramref name="sum"/> at <paramref name="offset"/> of the output (the mask, where
    /// there is one, read at the same offset).</summary>
    static abstract TV Select<TL, TV>(TV sum, ref float mask, nuint offset)
        where TL : struct, ILanes<TV>
        where TV : struct;
}

/// <summary>The sum where it is &gt; 0, else +0: a hidden layer's forward pass.</summary>
internal readonly struct ReluSelect : IRowSelect
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Select<TL, TV>(TV sum, ref float mask, nuint offset)
        where TL : struct, ILanes<TV>
        where TV : struct => TL.Relu(sum);
}

/// <summary>The sum where the mask is &gt; 0, else +0: the gradient through a ReLU, masked by the layer's outputs.</summary>
internal readonly struct MaskSelect : IRowSelect
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Select<TL, TV>(TV sum, ref float mask, nuint offset)
        where TL : struct, ILanes<TV>
        where TV : struct => TL.WherePositive(TL.Load(ref mask, offset), sum);
}
