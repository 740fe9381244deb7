using System.Security.Cryptography;
using LabelFlip.Core.Data;

namespace LabelFlip.Core.Tests.Data;

/// <summary>The real files, loaded on first use and released with the test class (they take 219 MB).</summary>
public sealed class FashionMnistFixture
{
    private readonly Lazy<LabelledData> _data = new(() => FashionMnist.Load());

    public LabelledData Data => _data.Value;
}

public class FashionMnistTests(FashionMnistFixture fixture) : IClassFixture<FashionMnistFixture>
{
    // SHA-256 of the decompressed pixel and label bytes (after the IDX headers), computed independently of
    // this library from the files of Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1.
    private const string FirstTrainImageSha256 = "5bd44e331a6d6998daf675700cd0c13dcd7af8ab954b7585124124da61459e7b";
    private const string LastTrainImageSha256 = "489c477715bd5275b2646b28941db83e4ff26ece5302728fcb7632e1be5110ac";
    private const string FirstTestImageSha256 = "ffc7351ed0f8bae542820866086177fa4e0b366b97bf9d998dffdb8dbe138787";
    private const string TrainPixelsSha256 = "2e487a6c89124f78f2d7521542223cafe96f7123c3ca13d447772ac6ecbb3012";
    private const string TestPixelsSha256 = "c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a";
    private const string TrainLabelsSha256 = "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7";
    private const string TestLabelsSha256 = "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9";

    [FashionMnistFact]
    public void Real_files_hold_60000_and_10000_images_of_28_by_28_balanced_over_10_classes()
    {
        LabelledData data = fixture.Data;
        Assert.NotNull(data.Test);
        Assert.Equal(60_000, data.Train.RowCount);
        Assert.Equal(10_000, data.Test.RowCount);
        Assert.Equal(784, data.Train.FeatureCount);
        Assert.Equal(784, data.Test.FeatureCount);
        Assert.Equal(10, data.Train.ClassCount);
        Assert.Equal(Enumerable.Repeat(6_000, 10), data.Train.CountPerClass());
        Assert.Equal(Enumerable.Repeat(1_000, 10), data.Test.CountPerClass());
        Assert.Equal(FashionMnist.ClassNames, data.ClassNames.ToArray());
        Assert.Empty(data.FeatureNames);
        Assert.Null(data.Standardization);
    }

    [FashionMnistFact]
    public void First_training_image_is_an_ankle_boot_and_first_test_image_too()
    {
        LabelledData data = fixture.Data;
        Assert.Equal(9, data.Train.Labels[0]);
        Assert.Equal("Ankle boot", data.ClassNames[data.Train.Labels[0]]);
        Assert.Equal(9, data.Test!.Labels[0]);
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], data.Train.Labels.Take(10));
    }

    [FashionMnistFact]
    public void Real_pixels_are_exact_multiples_of_one_255th_and_match_pinned_checksums()
    {
        LabelledData data = fixture.Data;
        byte[] train = ToPixelBytes(data.Train.Features.AsSpan());
        byte[] test = ToPixelBytes(data.Test!.Features.AsSpan());
        Assert.Equal(FirstTrainImageSha256, Sha256(train.AsSpan(0, 784)));
        Assert.Equal(LastTrainImageSha256, Sha256(train.AsSpan(59_999 * 784)));
        Assert.Equal(FirstTestImageSha256, Sha256(test.AsSpan(0, 784)));
        Assert.Equal(TrainPixelsSha256, Sha256(train));
        Assert.Equal(TestPixelsSha256, Sha256(test));
        Assert.Equal(TrainLabelsSha256, Sha256(data.Train.Labels.Select(l => (byte)l).ToArray()));
        Assert.Equal(TestLabelsSha256, Sha256(data.Test.Labels.Select(l => (byte)l).ToArray()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loads_a_folder_of_the_four_files_compressed_or_not(bool gzip)
    {
        using var folder = new TempFolder();
        IdxFiles.WriteFashionMnistFolder(folder.Path, trainCount: 13, testCount: 4, gzip);

        Assert.True(FashionMnist.IsInstalled(folder.Path));
        LabelledData data = FashionMnist.Load(folder.Path);

        Assert.Equal(13, data.Train.RowCount);
        Assert.Equal(4, data.Test!.RowCount);
        Assert.Equal(784, data.Train.FeatureCount);
        Assert.Equal(10, data.Test.ClassCount);
        Assert.Equal(IdxFiles.Labels(13).Select(b => (int)b), data.Train.Labels.ToArray());
        Assert.Equal(IdxFiles.Pixels(4 * 784, 2).Select(b => b / 255f), data.Test.Features);
    }

    [Fact]
    public void A_missing_folder_says_how_to_install_the_files()
    {
        using var folder = new TempFolder();
        string missing = folder.File("no-such-folder");
        Assert.False(FashionMnist.IsInstalled(missing));
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load(missing));
        IdxReaderTests.AssertOneLine(e.Message, missing, "apt-get install dataset-fashion-mnist", "train-images-idx3-ubyte");
    }

    [Fact]
    public void A_missing_file_names_it_and_says_how_to_install_the_files()
    {
        using var folder = new TempFolder();
        IdxFiles.WriteFashionMnistFolder(folder.Path, 2, 2, gzip: true);
        File.Delete(folder.File("t10k-labels-idx1-ubyte.gz"));
        Assert.False(FashionMnist.IsInstalled(folder.Path));
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(folder.Path));
        IdxReaderTests.AssertOneLine(e.Message, "neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte", "apt-get install dataset-fashion-mnist");
    }

    [Fact]
    public void Images_of_another_size_are_an_error()
    {
        using var folder = new TempFolder();
        IdxFiles.WriteFashionMnistFolder(folder.Path, 2, 2, gzip: false);
        string images = IdxFiles.Write(folder.File("t10k-images-idx3-ubyte"), [2, 28, 27], IdxFiles.Pixels(2 * 28 * 27));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(folder.Path));
        IdxReaderTests.AssertOneLine(e.Message, images, "images of 28 × 27", "Fashion-MNIST images are 28 × 28");
    }

    [Fact]
    public void A_truncated_training_file_is_an_error_not_a_partial_load()
    {
        using var folder = new TempFolder();
        IdxFiles.WriteFashionMnistFolder(folder.Path, 3, 2, gzip: true);
        string images = folder.File("train-images-idx3-ubyte.gz");
        byte[] whole = IdxFiles.Bytes(0x08, [3, 28, 28], IdxFiles.Pixels(3 * 784));
        File.WriteAllBytes(images, IdxFiles.Gzip(whole[..^100]));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(folder.Path));
        IdxReaderTests.AssertOneLine(e.Message, images, "truncated");
    }

    [Fact]
    public void An_empty_directory_argument_names_the_parameter()
    {
        Assert.Throws<ArgumentException>("directory", () => FashionMnist.Load(" "));
    }

    // The byte each pixel came from, checking on the way that the pixel is exactly that byte / 255f.
    private static byte[] ToPixelBytes(ReadOnlySpan<float> pixels)
    {
        byte[] bytes = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            byte b = (byte)MathF.Round(pixels[i] * 255f);
            if (BitConverter.SingleToInt32Bits(pixels[i]) != BitConverter.SingleToInt32Bits(b / 255f))
                Assert.Fail($"Pixel {i} is {pixels[i]:R}, not a byte / 255f.");
            bytes[i] = b;
        }
        return bytes;
    }

    private static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
