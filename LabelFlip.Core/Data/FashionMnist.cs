using System.Collections.Immutable;

namespace LabelFlip.Core.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28 × 28 grey-scale images of clothing in 10 classes,
/// 60,000 for training and 10,000 for testing, read from its four IDX files.
/// </summary>
/// <remarks>
/// <para>Debian and Ubuntu ship the files in the package <c>dataset-fashion-mnist</c>
/// (<c>apt-get install dataset-fashion-mnist</c>), which puts them gzip-compressed in
/// <see cref="DefaultDirectory"/>. Any folder holding the same four file names works, compressed
/// (<c>.gz</c>, looked for first) or not.</para>
/// <para>Each image is one row of 784 features, row-major, pixel value / 255f in [0, 1]; labels are the
/// official class indices (<see cref="ClassNames"/>). Both sets keep the files' order.</para>
/// <para>Memory: the training features are 60,000 × 784 floats, 188 MB, and the test features 31 MB. Pixels are
/// decompressed through a 64 KiB buffer straight into the arrays the datasets keep, so loading needs little
/// more than that.</para>
/// </remarks>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The command that installs the files into <see cref="DefaultDirectory"/> on Debian or Ubuntu.</summary>
    public const string InstallCommand = "apt-get install dataset-fashion-mnist";

    /// <summary>Pixels per image side.</summary>
    public const int ImageSide = 28;

    /// <summary>Features per row: 28 × 28 pixels.</summary>
    public const int FeatureCount = ImageSide * ImageSide;

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Images in the official training set.</summary>
    public const int TrainingImageCount = 60_000;

    /// <summary>Images in the official test set.</summary>
    public const int TestImageCount = 10_000;

    /// <summary>The training images file, without <c>.gz</c>.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>The training labels file, without <c>.gz</c>.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>The test images file, without <c>.gz</c>.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>The test labels file, without <c>.gz</c>.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>The official class names, in label order: 0 "T-shirt/top" … 9 "Ankle boot".</summary>
    public static ImmutableArray<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly string[] s_fileNames = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    /// <summary>Whether all four files are in <paramref name="directory"/> (compressed or not).</summary>
    /// <param name="directory">The folder to look in; null for <see cref="DefaultDirectory"/>.</param>
    public static bool IsInstalled(string? directory = null)
    {
        string folder = directory ?? DefaultDirectory;
        return Directory.Exists(folder) && s_fileNames.All(name => FindFile(folder, name) is not null);
    }

    /// <summary>
    /// Loads the 60,000 training images as the training pool and the 10,000 test images as the clean test set.
    /// </summary>
    /// <param name="directory">The folder holding the four files; null for <see cref="DefaultDirectory"/>.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (the message says how to install the files).</exception>
    /// <exception cref="FileNotFoundException">A file is missing from the folder (the message says which, and how to install them).</exception>
    /// <exception cref="InvalidDataException">A file is not what Fashion-MNIST's should be, or is truncated or corrupt; the message names it.</exception>
    public static LabelledData Load(string? directory = null)
    {
        if (directory is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string folder = directory ?? DefaultDirectory;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Fashion-MNIST not found: there is no folder {folder}. {HowToGetFiles()}");
        string[] paths = new string[s_fileNames.Length];
        for (int i = 0; i < paths.Length; i++)
        {
            paths[i] = FindFile(folder, s_fileNames[i])
                ?? throw new FileNotFoundException(
                    $"Fashion-MNIST not found: {folder} holds neither {s_fileNames[i]}.gz nor {s_fileNames[i]}. {HowToGetFiles()}",
                    Path.Combine(folder, s_fileNames[i] + ".gz"));
        }

        ReadOnlySpan<int> shape = [ImageSide, ImageSide];
        Dataset train = IdxReader.ReadDataset(paths[0], paths[1], ClassCount, shape, "Fashion-MNIST");
        Dataset test = IdxReader.ReadDataset(paths[2], paths[3], ClassCount, shape, "Fashion-MNIST");
        return new LabelledData(train, test, ClassNames);
    }

    private static string? FindFile(string folder, string name)
    {
        string compressed = Path.Combine(folder, name + ".gz");
        if (File.Exists(compressed))
            return compressed;
        string plain = Path.Combine(folder, name);
        return File.Exists(plain) ? plain : null;
    }

    private static string HowToGetFiles() =>
        $"Install the files with `{InstallCommand}` (into {DefaultDirectory}), or name the folder that holds them (data.path in a sweep config): " +
        $"{string.Join(", ", s_fileNames)} (each may end in .gz).";
}
