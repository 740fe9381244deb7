using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// A piece of work written once, generic over the lane width, that <see cref="LaneDispatch.Run{TOperation}"/>
/// runs on the widest path this process has. The implementing struct carries the arguments (a ref struct may
/// carry spans) and keeps any result in its own fields, which the caller reads after the run.
/// </summary>
internal interface ILaneOperation
{
    /// <summary>Does the work with lanes <typeparamref name="TL"/> of registers <typeparamref name="TV"/>.</summary>
    void Invoke<TL, TV>()
        where TL : struct, ILanes<TV>
        where TV : struct;
}

/// <summary>
/// The one place that picks the lane width: Vector512 (16 floats), else Vector256 (8), else Vector128 (4), else
/// the scalar path (1). Every path gives the same bits (see <see cref="MlpKernels"/>); this only picks the fastest.
/// </summary>
internal static class LaneDispatch
{
    /// <summary>Runs <paramref name="operation"/> on the widest accelerated path (passed by reference, so results
    /// written to its fields are seen by the caller, and no copy of a large struct is made).</summary>
    public static void Run<TOperation>(ref TOperation operation)
        where TOperation : struct, ILaneOperation, allows ref struct
    {
        if (Vector512.IsHardwareAccelerated)
            operation.Invoke<Lanes512, Vector512<float>>();
        else if (Vector256.IsHardwareAccelerated)
            operation.Invoke<Lanes256, Vector256<float>>();
        else if (Vector128.IsHardwareAccelerated)
            operation.Invoke<Lanes128, Vector128<float>>();
        else
            operation.Invoke<Lanes1, float>();
    }
}
