using System.Buffers.Binary;
using System.Collections.Immutable;
using System.IO.Compression;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed (told apart by the
/// gzip magic bytes 1F 8B, not by the file name).
/// </summary>
/// <remarks>
/// <para>An IDX file is a 4-byte magic number (0, 0, the <see cref="IdxDataType"/> code, the number of
/// dimensions), each dimension as a big-endian 32-bit integer, then the elements in row-major order.</para>
/// <para>Errors: a missing file is a <see cref="FileNotFoundException"/>. A file that is not IDX, whose header
/// does not fit what is asked of it, that ends before the data its header promises or goes on after it, or
/// whose gzip data is damaged (checked by the CRC-32 and the length in its trailer; one gzip member, as the
/// <c>gzip</c> tool writes), is an <see cref="InvalidDataException"/> naming the file and what is wrong;
/// nothing is ever returned from a partial read.</para>
/// </remarks>
public static class IdxReader
{
    // Decompressed bytes handled per read: small enough to stay in cache, large enough to amortise the call.
    private const int ChunkSize = 1 << 16;

    // value / 255f for every byte value: the pixel scaling, computed once so the conversion loop is a lookup.
    private static readonly float[] s_unitScale = CreateUnitScale();

    /// <summary>Reads just the header of the IDX file at <paramref name="path"/>.</summary>
    /// <param name="path">An IDX file, plain or gzip-compressed.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file does not start with a valid IDX header.</exception>
    public static IdxHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using IdxSource source = Open(path);
        return ReadHeader(source.Stream, path);
    }

    /// <summary>Reads a 1-D unsigned-byte IDX file of class labels, each checked to be below <paramref name="classCount"/>.</summary>
    /// <param name="path">An IDX label file, plain or gzip-compressed.</param>
    /// <param name="classCount">Number of classes, in [2, 256].</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not such a label file, is truncated or corrupt, or holds a label ≥ <paramref name="classCount"/>.</exception>
    public static int[] ReadLabels(string path, int classCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowHelper.ThrowIfOutside(classCount, 2, 256);
        return ReadLabelFile(path, classCount);
    }

    /// <summary>
    /// Reads an MNIST-style pair of files into a <see cref="Dataset"/>: an unsigned-byte image file of
    /// n × d₁ × … × dₘ (m ≥ 1) pixels, each scaled to value / 255f in [0, 1], and an unsigned-byte label file
    /// of n labels in [0, <paramref name="classCount"/>). Row i has the d₁·…·dₘ pixels of image i, row-major.
    /// </summary>
    /// <param name="imagesPath">The image file, for example <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">The label file, for example <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="classCount">Number of classes, in [2, 256].</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not of that kind, the counts differ, or a file is truncated or corrupt.</exception>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int classCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        ThrowHelper.ThrowIfOutside(classCount, 2, 256);
        return ReadDataset(imagesPath, labelsPath, classCount, expectedImageShape: default, datasetName: null);
    }

    /// <summary>As the public overload; also checks each image's shape when <paramref name="expectedImageShape"/> is not empty.</summary>
    internal static Dataset ReadDataset(
        string imagesPath, string labelsPath, int classCount, ReadOnlySpan<int> expectedImageShape, string? datasetName)
    {
        // The labels first: they are small, and their count is checked against the image header before the
        // large read starts.
        int[] labels = ReadLabelFile(labelsPath, classCount);

        using IdxSource source = Open(imagesPath);
        Stream stream = source.Stream;
        IdxHeader header = ReadHeader(stream, imagesPath);
        if (header.DataType != IdxDataType.UnsignedByte || header.Dimensions.Length < 2)
            throw Corrupt(imagesPath, $"is not an image file: expected unsigned bytes (0x08) in at least 2 dimensions, found {Describe(header)}.");
        ReadOnlySpan<int> imageShape = header.Dimensions.AsSpan()[1..];
        if (!expectedImageShape.IsEmpty && !imageShape.SequenceEqual(expectedImageShape))
            throw Corrupt(imagesPath, $"holds images of {string.Join(" × ", imageShape.ToArray())}; {datasetName} images are {string.Join(" × ", expectedImageShape.ToArray())}.");
        int count = header.Dimensions[0];
        if (count != labels.Length)
            throw Corrupt(imagesPath, $"holds {count} images but {labelsPath} holds {labels.Length} labels; they must match.");
        long featureCount = header.ItemSize;
        if (featureCount > int.MaxValue || header.ElementCount > Array.MaxLength)
            throw Corrupt(imagesPath, $"is too large to load: {Describe(header)}.");

        // Before the large allocation: a header that promises more than the file holds is caught here.
        CheckLength(source, imagesPath, header);
        float[] features = new float[header.ElementCount];
        ReadUnitFloats(stream, imagesPath, header.Length, features);
        ExpectEnd(stream, imagesPath, header.Length + header.ElementCount);
        // Every value is in [0, 1] and every label was checked, so the dataset takes the arrays as they are.
        return new Dataset(features, labels, (int)featureCount, classCount, validate: false);
    }

    private static int[] ReadLabelFile(string path, int classCount)
    {
        using IdxSource source = Open(path);
        Stream stream = source.Stream;
        IdxHeader header = ReadHeader(stream, path);
        if (header.DataType != IdxDataType.UnsignedByte || header.Dimensions.Length != 1)
            throw Corrupt(path, $"is not a label file: expected unsigned bytes (0x08) in 1 dimension, found {Describe(header)}.");
        CheckLength(source, path, header);
        byte[] bytes = new byte[header.Dimensions[0]];
        int read = ReadFully(stream, path, bytes);
        if (read < bytes.Length)
            throw Truncated(path, header, header.Length + read);
        ExpectEnd(stream, path, header.Length + bytes.Length);
        int[] labels = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] >= classCount)
                throw Corrupt(path, $"label {i} is {bytes[i]}; labels must be in [0, {classCount - 1}].");
            labels[i] = bytes[i];
        }
        return labels;
    }

    private static IdxSource Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No such file: {path}.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.SequentialScan);
        try
        {
            Span<byte> bytes = stackalloc byte[4];
            int read = file.ReadAtLeast(bytes[..2], 2, throwOnEndOfStream: false);
            // An IDX file starts with two zero bytes, so the gzip signature cannot be mistaken for one.
            if (read < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B)
            {
                file.Position = 0;
                return new IdxSource(file, file.Length, gzipLength: null);
            }
            // The last 4 bytes of a gzip file are the decompressed length mod 2³² (RFC 1952, ISIZE).
            if (file.Length < 18)
                throw Corrupt(path, $"is truncated: it has {file.Length} bytes, fewer than the 18 of the smallest gzip file.");
            file.Position = file.Length - 4;
            file.ReadExactly(bytes);
            file.Position = 0;
            return new IdxSource(new GZipStream(file, CompressionMode.Decompress, leaveOpen: false), plainLength: null,
                BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    // The whole (decompressed) length must be what the header promises. Known before the data is read: the file's
    // length when plain, the gzip trailer's length mod 2³² when compressed (GZipStream itself accepts a file cut
    // just before its trailer without a word; this assumes one gzip member, as the gzip tool writes).
    private static void CheckLength(IdxSource source, string path, IdxHeader header)
    {
        if (header.ElementCount > (long.MaxValue - header.Length) / header.ElementSize)
            throw Corrupt(path, $"is corrupt: its header ({Describe(header)}) promises more bytes than a file can hold.");
        long expected = header.Length + header.ElementCount * header.ElementSize;
        if (source.PlainLength is long length && length < expected)
            throw Truncated(path, header, length);
        if (source.PlainLength is long longer && longer > expected)
            throw Corrupt(path, $"is longer than its header says: the data should end after {expected} bytes, but the file has {longer}.");
        if (source.GzipLength is uint trailer && trailer != (uint)expected)
            throw Corrupt(path, $"is truncated or corrupt: its header ({Describe(header)}) promises {expected} bytes, but its gzip trailer gives a decompressed length of {trailer} (mod 2^32).");
    }

    private static IdxHeader ReadHeader(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = ReadFully(stream, path, magic);
        if (read < 4)
            throw Corrupt(path, $"is truncated: it ends after {read} bytes, inside the 4-byte magic number.");
        if (magic[0] != 0 || magic[1] != 0)
            throw Corrupt(path, $"is not an IDX file: its magic number starts 0x{magic[0]:X2}{magic[1]:X2}, not 0x0000.");
        var type = (IdxDataType)magic[2];
        if (!Enum.IsDefined(type))
            throw Corrupt(path, $"is not an IDX file: element type code 0x{magic[2]:X2} is none of 08, 09, 0B, 0C, 0D, 0E.");
        int rank = magic[3];
        if (rank == 0)
            throw Corrupt(path, "is not an IDX file: its magic number gives 0 dimensions.");

        Span<byte> sizes = stackalloc byte[4 * rank];
        read = ReadFully(stream, path, sizes);
        if (read < sizes.Length)
            throw Corrupt(path, $"is truncated: it ends {4 + read} bytes in, inside the header of {4 + sizes.Length} bytes.");
        var dimensions = ImmutableArray.CreateBuilder<int>(rank);
        for (int d = 0; d < rank; d++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(sizes.Slice(4 * d));
            if (size < 1)
                throw Corrupt(path, $"is corrupt: dimension {d} of its header is {size}; each must be at least 1.");
            dimensions.Add(size);
        }
        return new IdxHeader(type, dimensions.MoveToImmutable());
    }

    private static void ReadUnitFloats(Stream stream, string path, int headerLength, float[] destination)
    {
        // Bytes go through a small buffer straight into their final floats: no full-size byte copy.
        byte[] chunk = new byte[ChunkSize];
        float[] scale = s_unitScale;
        int done = 0;
        while (done < destination.Length)
        {
            int wanted = Math.Min(chunk.Length, destination.Length - done);
            int read = ReadFully(stream, path, chunk.AsSpan(0, wanted));
            Span<float> target = destination.AsSpan(done, read);
            for (int i = 0; i < target.Length; i++)
                target[i] = scale[chunk[i]];
            done += read;
            if (read < wanted)
                throw Corrupt(path, $"is truncated: its header promises {headerLength + (long)destination.Length} bytes, but the data ends after {headerLength + (long)done}.");
        }
    }

    // The data must end where the header says: extra bytes mean the header and the data disagree. Reading
    // to the end also makes the gzip stream check its CRC-32 against the trailer.
    private static void ExpectEnd(Stream stream, string path, long expectedLength)
    {
        Span<byte> probe = stackalloc byte[1];
        if (ReadFully(stream, path, probe) != 0)
            throw Corrupt(path, $"is longer than its header says: the data should end after {expectedLength} bytes.");
    }

    // An open file: the stream of its (decompressed) bytes, and the total length those must have when it is known.
    private sealed class IdxSource(Stream stream, long? plainLength, uint? gzipLength) : IDisposable
    {
        public Stream Stream => stream;

        public long? PlainLength => plainLength;

        public uint? GzipLength => gzipLength;

        public void Dispose() => stream.Dispose();
    }

    // Fills buffer unless the stream ends first; returns the bytes read. Damaged gzip data surfaces here.
    private static int ReadFully(Stream stream, string path, Span<byte> buffer)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: its gzip data is corrupt: {e.Message}", e);
        }
    }

    private static InvalidDataException Truncated(string path, IdxHeader header, long length) =>
        Corrupt(path, $"is truncated: its header ({Describe(header)}) promises {header.Length + header.ElementCount * header.ElementSize} bytes, but the data ends after {length}.");

    private static InvalidDataException Corrupt(string path, string what) => new($"{path} {what}");

    private static string Describe(IdxHeader header) =>
        $"type 0x{(byte)header.DataType:X2}, dimensions {string.Join(" × ", header.Dimensions)}";

    private static float[] CreateUnitScale()
    {
        float[] scale = new float[256];
        for (int b = 0; b < scale.Length; b++)
            scale[b] = b / 255f;
        return scale;
    }
}
