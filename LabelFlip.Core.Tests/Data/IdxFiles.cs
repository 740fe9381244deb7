using System.Buffers.Binary;
using System.IO.Compression;

namespace LabelFlip.Core.Tests.Data;

/// <summary>Writes small IDX files byte by byte, so the reader is tested on real files it did not write.</summary>
internal static class IdxFiles
{
    /// <summary>The bytes of an IDX file: magic (0, 0, type, rank), big-endian sizes, then the data.</summary>
    public static byte[] Bytes(byte type, int[] dimensions, byte[] data)
    {
        byte[] bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    /// <summary>Writes an unsigned-byte IDX file, gzip-compressed when <paramref name="gzip"/>.</summary>
    public static string Write(string path, int[] dimensions, byte[] data, bool gzip = false)
    {
        byte[] bytes = Bytes(0x08, dimensions, data);
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
        return path;
    }

    /// <summary>Deterministic pixel bytes covering 0 and 255: (31·i + salt) mod 256.</summary>
    public static byte[] Pixels(int count, int salt = 0)
    {
        byte[] pixels = new byte[count];
        for (int i = 0; i < count; i++)
            pixels[i] = (byte)((31 * i + salt) & 0xFF);
        return pixels;
    }

    /// <summary>
    /// A Fashion-MNIST-shaped folder: <paramref name="trainCount"/> and <paramref name="testCount"/> images of
    /// 28 × 28 with labels i mod 10, compressed or plain.
    /// </summary>
    public static void WriteFashionMnistFolder(string folder, int trainCount, int testCount, bool gzip)
    {
        string suffix = gzip ? ".gz" : "";
        Write(Path.Combine(folder, "train-images-idx3-ubyte" + suffix), [trainCount, 28, 28], Pixels(trainCount * 784, 1), gzip);
        Write(Path.Combine(folder, "train-labels-idx1-ubyte" + suffix), [trainCount], Labels(trainCount), gzip);
        Write(Path.Combine(folder, "t10k-images-idx3-ubyte" + suffix), [testCount, 28, 28], Pixels(testCount * 784, 2), gzip);
        Write(Path.Combine(folder, "t10k-labels-idx1-ubyte" + suffix), [testCount], Labels(testCount), gzip);
    }

    public static byte[] Labels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
}
