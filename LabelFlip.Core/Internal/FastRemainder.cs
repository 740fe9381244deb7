namespace LabelFlip.Core.Internal;

/// <summary>
/// a mod d for 32-bit a and d by two multiplications, from a reciprocal computed once per divisor (Lemire, Kaser
/// and Kurz, "Faster remainder by direct computation", Software: Practice and Experience 49(6), 2019): with
/// M = ⌈2⁶⁴/d⌉, a mod d = ⌊((M·a mod 2⁶⁴)·d) / 2⁶⁴⌋, exact for every a and every d ≥ 2 below 2³².
/// </summary>
internal static class FastRemainder
{
    /// <summary>M = ⌈2⁶⁴/d⌉ for a divisor d ≥ 2.</summary>
    public static ulong Reciprocal(uint divisor) => ulong.MaxValue / divisor + 1;

    /// <summary>value mod divisor, given the divisor's <see cref="Reciprocal"/>.</summary>
    public static uint Remainder(uint value, ulong reciprocal, uint divisor) =>
        (uint)Math.BigMul(reciprocal * value, divisor, out _);
}
