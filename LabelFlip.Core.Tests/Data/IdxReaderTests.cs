using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Data;

namespace LabelFlip.Core.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_as_value_over_255_and_labels_as_given(bool gzip)
    {
        using var folder = new TempFolder();
        byte[] pixels = IdxFiles.Pixels(3 * 2 * 4);
        string images = IdxFiles.Write(folder.File("images"), [3, 2, 4], pixels, gzip);
        string labels = IdxFiles.Write(folder.File("labels"), [3], [2, 0, 1], gzip);

        Dataset data = IdxReader.ReadDataset(images, labels, classCount: 3);

        Assert.Equal(3, data.RowCount);
        Assert.Equal(8, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal([2, 0, 1], data.Labels.ToArray());
        Assert.Equal(pixels.Select(b => b / 255f).ToArray(), data.Features.ToArray());
    }

    [Property(MaxTest = 100)]
    public Property Any_small_image_file_reads_back_bit_for_bit(NonEmptyArray<byte> seedBytes, bool gzip)
    {
        // Shape from the data: n images of h × w, n·h·w bytes, all byte values possible.
        byte[] raw = seedBytes.Get;
        int n = 1 + raw[0] % 5, h = 1 + raw.Length % 4, w = 1 + raw[^1] % 3;
        byte[] pixels = Enumerable.Range(0, n * h * w).Select(i => raw[i % raw.Length]).ToArray();
        byte[] labelBytes = Enumerable.Range(0, n).Select(i => (byte)((raw[i % raw.Length] >> 3) % 7)).ToArray();
        using var folder = new TempFolder();
        string images = IdxFiles.Write(folder.File("i"), [n, h, w], pixels, gzip);
        string labels = IdxFiles.Write(folder.File("l"), [n], labelBytes, gzip);

        Dataset data = IdxReader.ReadDataset(images, labels, classCount: 7);

        bool sameBits = data.Features.Select(BitConverter.SingleToInt32Bits)
            .SequenceEqual(pixels.Select(b => BitConverter.SingleToInt32Bits(b / 255f)));
        return sameBits.Label("pixels are b / 255f, bit for bit")
            .And(data.Labels.SequenceEqual(labelBytes.Select(b => (int)b)).Label("labels"))
            .And((data.FeatureCount == h * w && data.RowCount == n).Label("shape"));
    }

    [Fact]
    public void Header_reports_type_and_dimensions()
    {
        using var folder = new TempFolder();
        string path = IdxFiles.Write(folder.File("x.gz"), [5, 7, 3], new byte[105], gzip: true);
        IdxHeader header = IdxReader.ReadHeader(path);
        Assert.Equal(IdxDataType.UnsignedByte, header.DataType);
        Assert.Equal([5, 7, 3], header.Dimensions.ToArray());
        Assert.Equal(16, header.Length);
        Assert.Equal(105, header.ElementCount);
        Assert.Equal(21, header.ItemSize);
        Assert.Equal(1, header.ElementSize);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_image_data_is_an_error_naming_the_file(bool gzip)
    {
        using var folder = new TempFolder();
        string images = IdxFiles.Write(folder.File("images"), [4, 3, 3], IdxFiles.Pixels(4 * 9 - 5), gzip);
        string labels = IdxFiles.Write(folder.File("labels"), [4], [0, 1, 0, 1], gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        AssertOneLine(e.Message, images, "truncated", "promises 52 bytes", gzip ? "gzip trailer gives a decompressed length of 47" : "ends after 47");
    }

    [Fact]
    public void Truncated_gzip_stream_is_an_error_naming_the_file()
    {
        using var folder = new TempFolder();
        byte[] compressed = IdxFiles.Gzip(IdxFiles.Bytes(0x08, [50, 10, 10], IdxFiles.Pixels(5000)));
        string images = folder.File("images.gz");
        File.WriteAllBytes(images, compressed[..(compressed.Length / 2)]);
        string labels = IdxFiles.Write(folder.File("labels"), [50], new byte[50]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        AssertOneLine(e.Message, images);
    }

    [Fact]
    public void Gzip_stream_missing_only_its_checksum_trailer_is_an_error()
    {
        // All the deflate data is there, so every pixel decodes; only the CRC-32 and length are gone.
        using var folder = new TempFolder();
        byte[] compressed = IdxFiles.Gzip(IdxFiles.Bytes(0x08, [2, 3, 3], IdxFiles.Pixels(18)));
        string images = folder.File("images.gz");
        File.WriteAllBytes(images, compressed[..^8]);
        string labels = IdxFiles.Write(folder.File("labels"), [2], [0, 1]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        Assert.Contains(images, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_checksum_is_an_error_naming_the_file()
    {
        using var folder = new TempFolder();
        byte[] compressed = IdxFiles.Gzip(IdxFiles.Bytes(0x08, [2, 3, 3], IdxFiles.Pixels(18)));
        compressed[^8] ^= 0xFF; // the stored CRC-32 of the data
        string images = folder.File("images.gz");
        File.WriteAllBytes(images, compressed);
        string labels = IdxFiles.Write(folder.File("labels"), [2], [0, 1]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        AssertOneLine(e.Message, images, "gzip");
    }

    [Fact]
    public void Corrupt_deflate_data_is_an_error_naming_the_file()
    {
        using var folder = new TempFolder();
        byte[] compressed = IdxFiles.Gzip(IdxFiles.Bytes(0x08, [40, 10, 10], IdxFiles.Pixels(4000)));
        for (int i = 12; i < compressed.Length - 12; i += 3)
            compressed[i] = 0xFF;
        string images = folder.File("images.gz");
        File.WriteAllBytes(images, compressed);
        string labels = IdxFiles.Write(folder.File("labels"), [40], new byte[40]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        Assert.Contains(images, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_promising_far_more_than_the_file_holds_is_refused_before_allocating(bool gzip)
    {
        // 1,000,000 images of 28 × 28 would be 3 GB of floats; the file holds 10 bytes of pixels.
        using var folder = new TempFolder();
        string images = IdxFiles.Write(folder.File("images"), [1_000_000, 28, 28], IdxFiles.Pixels(10), gzip);
        string labels = IdxFiles.Write(folder.File("labels"), [1_000_000], new byte[1_000_000], gzip);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64_000_000);
        AssertOneLine(e.Message, images, "promises 784000016 bytes");
    }

    [Fact]
    public void Element_count_of_an_overflowing_header_saturates()
    {
        var header = new IdxHeader(IdxDataType.UnsignedByte, [int.MaxValue, int.MaxValue, int.MaxValue]);
        Assert.Equal(long.MaxValue, header.ElementCount);
        Assert.Equal(8, new IdxHeader(IdxDataType.DoublePrecision, [3]).ElementSize);
    }

    [Fact]
    public void A_gzip_file_too_short_to_hold_a_trailer_is_an_error()
    {
        using var folder = new TempFolder();
        string path = folder.File("labels.gz");
        File.WriteAllBytes(path, [0x1F, 0x8B, 8, 0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 2));
        AssertOneLine(e.Message, path, "truncated", "fewer than the 18");
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_an_error()
    {
        using var folder = new TempFolder();
        string images = IdxFiles.Write(folder.File("images"), [2, 2, 2], IdxFiles.Pixels(9));
        string labels = IdxFiles.Write(folder.File("labels"), [2], [0, 1]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        AssertOneLine(e.Message, images, "longer than its header says", "24 bytes");
    }

    [Fact]
    public void Image_and_label_counts_must_match()
    {
        using var folder = new TempFolder();
        string images = IdxFiles.Write(folder.File("images"), [3, 2, 2], IdxFiles.Pixels(12));
        string labels = IdxFiles.Write(folder.File("labels"), [2], [0, 1]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        AssertOneLine(e.Message, images, "3 images", "2 labels", labels);
    }

    [Fact]
    public void A_label_outside_the_classes_is_an_error_naming_its_index()
    {
        using var folder = new TempFolder();
        string images = IdxFiles.Write(folder.File("images"), [3, 2, 2], IdxFiles.Pixels(12));
        string labels = IdxFiles.Write(folder.File("labels"), [3], [0, 1, 2]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels, 2));
        AssertOneLine(e.Message, labels, "label 2 is 2", "[0, 1]");
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 8 }, "ends after 3 bytes")]                            // inside the magic number
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 1, 0 }, "magic number starts 0x0100")]  // not IDX
    [InlineData(new byte[] { 0, 0, 7, 1, 0, 0, 0, 1, 0 }, "type code 0x07")]               // no such type
    [InlineData(new byte[] { 0, 0, 8, 0 }, "0 dimensions")]
    [InlineData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0 }, "inside the header of 16 bytes")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 0 }, "dimension 0 of its header is 0")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF }, "dimension 0 of its header is -1")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, "not a label file")]  // floats
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0 }, "not a label file")]  // 2-D
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 0, 1 }, "promises 11 bytes")]          // 2 of 3 labels
    [InlineData(new byte[] { 0, 0, 8, 1, 0x7F, 0xFF, 0xFF, 0xFF, 0 }, "promises 2147483655 bytes")] // refused before allocating
    public void Bad_label_files_are_errors_naming_the_file_and_the_fault(byte[] bytes, string fault)
    {
        using var folder = new TempFolder();
        string path = folder.File("labels");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));
        AssertOneLine(e.Message, path, fault);
    }

    [Fact]
    public void A_label_file_given_as_images_is_an_error()
    {
        using var folder = new TempFolder();
        string labels = IdxFiles.Write(folder.File("labels"), [2], [0, 1]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(labels, labels, 2));
        AssertOneLine(e.Message, labels, "not an image file");
    }

    [Fact]
    public void A_missing_file_is_a_FileNotFoundException()
    {
        using var folder = new TempFolder();
        string labels = IdxFiles.Write(folder.File("labels"), [2], [0, 1]);
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadDataset(folder.File("nope"), labels, 2));
        Assert.Equal(folder.File("nope"), e.FileName);
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => IdxReader.ReadLabels("x", 1));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => IdxReader.ReadDataset("x", "y", 257));
        Assert.Throws<ArgumentException>("imagesPath", () => IdxReader.ReadDataset("", "y", 2));
        Assert.Throws<ArgumentNullException>("path", () => IdxReader.ReadHeader(null!));
    }

    internal static void AssertOneLine(string message, params string[] parts)
    {
        Assert.DoesNotContain('\n', message);
        foreach (string part in parts)
            Assert.Contains(part, message, StringComparison.Ordinal);
    }
}
