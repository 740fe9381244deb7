namespace LabelFlip.Core.Data;

/// <summary>
/// The element type of an IDX file, the third byte of its magic number (LeCun and Cortes, "The MNIST database
/// of handwritten digits": 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double;
/// multi-byte values big-endian).
/// </summary>
public enum IdxDataType : byte
{
    /// <summary>Unsigned 8-bit integers: MNIST and Fashion-MNIST pixels and labels.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed 8-bit integers.</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian signed 16-bit integers.</summary>
    Signed16 = 0x0B,

    /// <summary>Big-endian signed 32-bit integers.</summary>
    Signed32 = 0x0C,

    /// <summary>Big-endian IEEE-754 single-precision floats.</summary>
    SinglePrecision = 0x0D,

    /// <summary>Big-endian IEEE-754 double-precision floats.</summary>
    DoublePrecision = 0x0E,
}
