using LabelFlip.Core.Data;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The data part of a run: where the rows come from, which of them train and which test. Runs with equal data
/// parts share one data set, built once. The defaults are the study's.
/// </summary>
/// <remarks>
/// <para>JSON paths: <c>data.source</c>, <c>data.seed</c>, <c>data.sample_count</c>, <c>data.test_count</c>, and
/// per source:</para>
/// <list type="bullet">
/// <item><description><c>"gaussian-clusters"</c> (<see cref="GaussianClusters"/>): <c>data.feature_count</c>,
/// <c>data.class_count</c>, <c>data.cluster_std</c>, <c>data.center_spread</c>, <c>data.train_fraction</c>.
/// <see cref="SampleCount"/> rows are drawn and split; with <see cref="TestCount"/>, all of them train and a separate
/// clean test set of that many rows is drawn from the same clusters.</description></item>
/// <item><description><c>"fashion-mnist"</c> (<see cref="FashionMnist"/>): <c>data.path</c> (the folder; default
/// <see cref="FashionMnist.DefaultDirectory"/>), <c>data.standardize</c>. The 60,000 training images are the pool and
/// the official 10,000 test images the clean test set.</description></item>
/// <item><description><c>"csv"</c> (<see cref="CsvDataSource"/>): <c>data.path</c> (required),
/// <c>data.test_path</c> (else the file is split by <c>data.train_fraction</c>), <c>data.label_column</c> or
/// <c>data.label_index</c> (default: the last column), <c>data.standardize</c>.</description></item>
/// </list>
/// <para><b>Subsets and draws of a file.</b> <see cref="SampleCount"/> rows of the training pool
/// (<see cref="WholePool"/>: all of them) and <see cref="TestCount"/> rows of the test set (null: all) are drawn
/// by <see cref="StratifiedSample"/> from <see cref="Seed"/>, so each data seed is another draw of the same file: the
/// same seed gives the same rows on every machine. Standardisation takes its means and scales from the drawn
/// training rows only.</para>
/// <para>A field that does not apply to the source must keep its default; the canonical JSON of a run leaves such
/// fields out.</para>
/// </remarks>
public sealed record DataSpec
{
    /// <summary>The study's source: Gaussian clusters drawn by <see cref="GaussianClusters"/>.</summary>
    public const string GaussianClustersSource = "gaussian-clusters";

    /// <summary>Fashion-MNIST's IDX files (<see cref="FashionMnist"/>).</summary>
    public const string FashionMnistSource = "fashion-mnist";

    /// <summary>A CSV file of numeric features and a label column (<see cref="CsvDataSource"/>).</summary>
    public const string CsvSource = "csv";

    /// <summary>The <see cref="SampleCount"/> of a file source that trains on its whole pool.</summary>
    public const int WholePool = 0;

    /// <summary>The study's data part, on Fashion-MNIST instead: the whole training pool and the official test set.</summary>
    /// <param name="directory">The folder of the four IDX files; null for <see cref="FashionMnist.DefaultDirectory"/>.</param>
    public static DataSpec FashionMnist(string? directory = null) =>
        new() { Source = FashionMnistSource, Path = directory, SampleCount = WholePool };

    /// <summary>A CSV file as the data part: all its rows, split by <see cref="TrainFraction"/> unless a test file is named.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="testPath">A separate clean test file with the same columns, or null to split <paramref name="path"/>.</param>
    public static DataSpec Csv(string path, string? testPath = null) =>
        new() { Source = CsvSource, Path = path, TestPath = testPath, SampleCount = WholePool };

    /// <summary>Which generator or file the rows come from: <see cref="GaussianClustersSource"/>,
    /// <see cref="FashionMnistSource"/> or <see cref="CsvSource"/>.</summary>
    public string Source { get; init; } = GaussianClustersSource;

    /// <summary>The data seed: the clusters, the split and the subsets of a file are drawn from it.</summary>
    public ulong Seed { get; init; } = GaussianClusters.DefaultSeed;

    /// <summary>Gaussian clusters: rows generated (train and test together, unless <see cref="TestCount"/> is set).
    /// A file: training rows drawn from the pool, stratified by class, or <see cref="WholePool"/>.</summary>
    public int SampleCount { get; init; } = GaussianClusters.DefaultSampleCount;

    /// <summary>Rows of the clean test set: for Gaussian clusters, a separate set of this many rows drawn from the same
    /// clusters (then every generated row trains); for a file, a stratified subset of its test rows. Null: the study's
    /// split, or a file's whole test set.</summary>
    public int? TestCount { get; init; }

    /// <summary>Gaussian clusters: features per row.</summary>
    public int FeatureCount { get; init; } = GaussianClusters.DefaultFeatureCount;

    /// <summary>Gaussian clusters: classes (clusters).</summary>
    public int ClassCount { get; init; } = GaussianClusters.DefaultClassCount;

    /// <summary>Gaussian clusters: standard deviation of each cluster.</summary>
    public double ClusterStd { get; init; } = GaussianClusters.DefaultClusterStd;

    /// <summary>Gaussian clusters: standard deviation of the cluster centers.</summary>
    public double CenterSpread { get; init; } = GaussianClusters.DefaultCenterSpread;

    /// <summary>Share of rows used for training, the rest being the clean test set (Gaussian clusters, or a CSV file
    /// without <see cref="TestPath"/>).</summary>
    public double TrainFraction { get; init; } = TrainTestSplit.DefaultTrainFraction;

    /// <summary>A file source's file (CSV) or folder (Fashion-MNIST; null for its default folder).</summary>
    public string? Path { get; init; }

    /// <summary>CSV: a separate clean test file with the same columns; null to split <see cref="Path"/>.</summary>
    public string? TestPath { get; init; }

    /// <summary>CSV: the header name of the label column; null for <see cref="LabelIndex"/> or the last column.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>CSV: the 0-based index of the label column; null for <see cref="LabelColumn"/> or the last column.</summary>
    public int? LabelIndex { get; init; }

    /// <summary>A file source: scale each feature to mean 0 and standard deviation 1 with the training rows'
    /// statistics (a constant feature is only centred).</summary>
    public bool Standardize { get; init; }

    /// <summary>Whether the rows come from a file rather than a generator.</summary>
    internal bool IsFile => Source != GaussianClustersSource;
}
