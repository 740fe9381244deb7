using LabelFlip.Core.Data;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The data part of a run: where the rows come from and how they are split. Runs with equal data parts share
/// one data set, built once. The defaults are the study's.
/// </summary>
/// <remarks>JSON paths: <c>data.source</c>, <c>data.seed</c>, <c>data.sample_count</c>, <c>data.feature_count</c>,
/// <c>data.class_count</c>, <c>data.cluster_std</c>, <c>data.center_spread</c>, <c>data.train_fraction</c>.</remarks>
public sealed record DataSpec
{
    /// <summary>The study's source: Gaussian clusters drawn by <see cref="GaussianClusters"/>.</summary>
    public const string GaussianClustersSource = "gaussian-clusters";

    /// <summary>Which generator or file the rows come from; today only <see cref="GaussianClustersSource"/>.</summary>
    public string Source { get; init; } = GaussianClustersSource;

    /// <summary>The data seed: the clusters and the train/test split are drawn from it.</summary>
    public ulong Seed { get; init; } = GaussianClusters.DefaultSeed;

    /// <summary>Rows generated (train and test together).</summary>
    public int SampleCount { get; init; } = GaussianClusters.DefaultSampleCount;

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; init; } = GaussianClusters.DefaultFeatureCount;

    /// <summary>Classes (clusters).</summary>
    public int ClassCount { get; init; } = GaussianClusters.DefaultClassCount;

    /// <summary>Standard deviation of each cluster.</summary>
    public double ClusterStd { get; init; } = GaussianClusters.DefaultClusterStd;

    /// <summary>Standard deviation of the cluster centers.</summary>
    public double CenterSpread { get; init; } = GaussianClusters.DefaultCenterSpread;

    /// <summary>Share of rows used for training; the rest is the clean test set.</summary>
    public double TrainFraction { get; init; } = TrainTestSplit.DefaultTrainFraction;
}
