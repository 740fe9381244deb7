using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Nn.Kernels;

/// <summary>
/// The lane-wise double operations of <see cref="PolynomialExp"/>'s vector path, once per hardware width
/// (<see cref="ExpLanes512"/>, <see cref="ExpLanes256"/>, <see cref="ExpLanes128"/>), so its exponentials are written
/// once, generic over this interface, and every width runs the scalar routine's roundings lane by lane.
/// </summary>
/// <typeparam name="TVector">A hardware vector of doubles.</typeparam>
internal interface IExpLanes<TVector>
    where TVector : struct
{
    /// <summary>Doubles per register.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Create(double value);

    /// <summary>Loads <see cref="Count"/> doubles at <paramref name="source"/> + <paramref name="offset"/>.</summary>
    static abstract TVector Load(ref double source, nuint offset);

    /// <summary>Stores <see cref="Count"/> doubles at <paramref name="destination"/> + <paramref name="offset"/>.</summary>
    static abstract void Store(TVector value, ref double destination, nuint offset);

    /// <summary><paramref name="left"/> + <paramref name="right"/>, lane by lane.</summary>
    static abstract TVector Add(TVector left, TVector right);

    /// <summary><paramref name="left"/> − <paramref name="right"/>, lane by lane.</summary>
    static abstract TVector Subtract(TVector left, TVector right);

    /// <summary><paramref name="left"/> · <paramref name="right"/>, lane by lane.</summary>
    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>Each lane rounded to the nearest integer, ties to even (IEEE, exact).</summary>
    static abstract TVector Round(TVector value);

    /// <summary>Whether every lane lies in [<paramref name="low"/>, <paramref name="high"/>] (false for NaN).</summary>
    static abstract bool AllWithin(TVector value, TVector low, TVector high);

    /// <summary>
    /// 2ⁿ for integral n in [−1022, 1023], from the exponent bits. n's integer comes from adding 1.5·2⁵² (whose ulp is 1,
    /// so the sum's low bits hold n exactly) rather than from a conversion to long, which .NET lowers to a saturating
    /// sequence of four instructions on AVX-512.
    /// </summary>
    static abstract TVector TwoToThe(TVector n);
}

/// <summary>The constants of <see cref="IExpLanes{TVector}.TwoToThe"/>.</summary>
internal static class ExpLaneConstants
{
    /// <summary>1.5·2⁵².</summary>
    public const double IntegerShift = 6755399441055744.0;

    /// <summary>The bits of <see cref="IntegerShift"/> less the exponent bias 1023.</summary>
    public const long IntegerShiftBitsLessBias = 0x4338000000000000L - 1023L;
}

/// <summary>8 doubles (AVX-512).</summary>
internal readonly struct ExpLanes512 : IExpLanes<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Create(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> left, Vector512<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> left, Vector512<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> left, Vector512<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Round(Vector512<double> value) => Vector512.Round(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(Vector512<double> value, Vector512<double> low, Vector512<double> high) =>
        Vector512.GreaterThanOrEqualAll(value, low) && Vector512.LessThanOrEqualAll(value, high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> TwoToThe(Vector512<double> n) =>
        Vector512.ShiftLeft((n + Vector512.Create(ExpLaneConstants.IntegerShift)).AsInt64()
            - Vector512.Create(ExpLaneConstants.IntegerShiftBitsLessBias), 52).AsDouble();
}

/// <summary>4 doubles (AVX2).</summary>
internal readonly struct ExpLanes256 : IExpLanes<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Create(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> left, Vector256<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> left, Vector256<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> left, Vector256<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Round(Vector256<double> value) => Vector256.Round(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(Vector256<double> value, Vector256<double> low, Vector256<double> high) =>
        Vector256.GreaterThanOrEqualAll(value, low) && Vector256.LessThanOrEqualAll(value, high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> TwoToThe(Vector256<double> n) =>
        Vector256.ShiftLeft((n + Vector256.Create(ExpLaneConstants.IntegerShift)).AsInt64()
            - Vector256.Create(ExpLaneConstants.IntegerShiftBitsLessBias), 52).AsDouble();
}

/// <summary>2 doubles (SSE2 and later, or Arm's NEON).</summary>
internal readonly struct ExpLanes128 : IExpLanes<Vector128<double>>
{
    public static int Count => Vector128<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Create(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(ref double source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> left, Vector128<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Subtract(Vector128<double> left, Vector128<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Multiply(Vector128<double> left, Vector128<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Round(Vector128<double> value) => Vector128.Round(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(Vector128<double> value, Vector128<double> low, Vector128<double> high) =>
        Vector128.GreaterThanOrEqualAll(value, low) && Vector128.LessThanOrEqualAll(value, high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> TwoToThe(Vector128<double> n) =>
        Vector128.ShiftLeft((n + Vector128.Create(ExpLaneConstants.IntegerShift)).AsInt64()
            - Vector128.Create(ExpLaneConstants.IntegerShiftBitsLessBias), 52).AsDouble();
}
