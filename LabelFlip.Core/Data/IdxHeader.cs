using System.Collections.Immutable;

namespace LabelFlip.Core.Data;

/// <summary>
/// The header of an IDX file: the element type and the size of each dimension, outermost first (for
/// MNIST images: count, rows, columns).
/// </summary>
/// <param name="DataType">The element type.</param>
/// <param name="Dimensions">The size of each dimension, outermost first; each at least 1.</param>
public sealed record IdxHeader(IdxDataType DataType, ImmutableArray<int> Dimensions)
{
    /// <summary>Bytes before the data: the 4-byte magic number and 4 bytes per dimension.</summary>
    public int Length => 4 + 4 * Dimensions.Length;

    /// <summary>How many elements the data holds: the product of the dimensions, or <see cref="long.MaxValue"/>
    /// when that product does not fit a long (a corrupt header).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (int size in Dimensions)
            {
                if (size > 0 && count > long.MaxValue / size)
                    return long.MaxValue;
                count *= size;
            }
            return count;
        }
    }

    /// <summary>Elements per item (the product of every dimension but the first); 1 for a 1-D file.</summary>
    public long ItemSize => Dimensions.Length == 0 ? 0 : ElementCount / Dimensions[0];

    /// <summary>Bytes per element: 1, 2, 4 or 8.</summary>
    public int ElementSize => DataType switch
    {
        IdxDataType.UnsignedByte or IdxDataType.SignedByte => 1,
        IdxDataType.Signed16 => 2,
        IdxDataType.Signed32 or IdxDataType.SinglePrecision => 4,
        _ => 8,
    };
}
