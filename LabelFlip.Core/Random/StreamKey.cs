using System.Text;

namespace LabelFlip.Core.Random;

/// <summary>Stable 64-bit names for random streams.</summary>
public static class StreamKey
{
    /// <summary>
    /// The 64-bit FNV-1a hash of <paramref name="name"/>'s UTF-8 bytes: a fixed key for a named stream
    /// such as "data" or "poison".
    /// </summary>
    public static ulong Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }

    /// <summary>The key of a real-valued coordinate such as a poison fraction: its IEEE-754 bits.</summary>
    public static ulong Of(double value) => BitConverter.DoubleToUInt64Bits(value);

    /// <summary>Combines two keys into one, order-sensitive, for streams named by several coordinates.</summary>
    public static ulong Combine(ulong first, ulong second) => RandomSource.DeriveSeed(first, second);
}
