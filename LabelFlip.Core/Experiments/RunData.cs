using System.Collections.Immutable;
using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The data part of a run, built once and shared by every run with the same data part and stream family: the
/// clean training rows and the clean test rows.
/// </summary>
/// <remarks>Every draw comes from the data seed through a stream of its own: <c>"split"</c> (which rows test),
/// <c>"train-subset"</c> and <c>"test-subset"</c> (the stratified subsets of a file), so changing the subset size
/// does not change the split, and the study's streams are untouched.</remarks>
internal sealed class RunData
{
    private static readonly ulong s_splitKey = StreamKey.Of("split");
    private static readonly ulong s_trainSubsetKey = StreamKey.Of("train-subset");
    private static readonly ulong s_testSubsetKey = StreamKey.Of("test-subset");

    /// <param name="spec">The data part.</param>
    /// <param name="streams">The stream family (<see cref="RunSpec.StudyStreams"/> only for Gaussian clusters).</param>
    /// <param name="pools">The files already loaded, shared between data parts; null to load afresh.</param>
    /// <exception cref="DataSourceException">A file is missing or malformed, or holds fewer rows than asked for.</exception>
    public RunData(DataSpec spec, string streams, DataPools? pools = null)
    {
        Spec = spec;
        Streams = streams;
        if (streams == RunSpec.StudyStreams)
        {
            // The study draws the rows from RandomState(data seed) and the split from a second RandomState(data seed);
            // its poison then flips labels of the whole set, so the whole set is kept with the split's rows.
            All = StudyClusters.Generate(spec.SampleCount, spec.FeatureCount, spec.ClassCount, spec.ClusterStd, spec.CenterSpread, (long)spec.Seed);
            StudySplit = Data.StudySplit.Create(spec.SampleCount, (long)spec.Seed, spec.TrainFraction);
            Train = StudySplit.SelectTrain(All);
            Test = StudySplit.SelectTest(All);
        }
        else if (!spec.IsFile)
        {
            Dataset rows = GaussianClusters.Generate(spec.SampleCount, spec.FeatureCount, spec.ClassCount,
                spec.ClusterStd, spec.CenterSpread, spec.Seed);
            if (spec.TestCount is int testCount)
            {
                Train = rows;
                Test = GaussianClusters.GenerateHeldOut(testCount, spec.FeatureCount, spec.ClassCount, spec.ClusterStd, spec.CenterSpread, spec.Seed);
            }
            else
            {
                TrainTestSplit split = TrainTestSplit.Create(rows, new RandomSource(spec.Seed, s_splitKey), spec.TrainFraction);
                (Train, Test) = (split.Train, split.Test);
            }
        }
        else
        {
            LabelledData file = (pools ?? new DataPools()).Load(spec);
            ClassNames = file.ClassNames;
            (Train, Test) = Draw(spec, file);
        }
    }

    public DataSpec Spec { get; }

    public string Streams { get; }

    /// <summary>The clean training rows (with the study's streams, in the study's order).</summary>
    public Dataset Train { get; }

    /// <summary>The clean test rows.</summary>
    public Dataset Test { get; }

    /// <summary>A file's class names, class c at index c; empty for generated data.</summary>
    public ImmutableArray<string> ClassNames { get; } = [];

    /// <summary>The reference networks trained on <see cref="Train"/>'s clean labels, shared by the runs of this data part.</summary>
    public ReferenceNetworks References { get; } = new();

    /// <summary>The initial networks and epoch orders that runs of this data part share (<see cref="SharedTrainingStarts"/>).</summary>
    public SharedTrainingStarts Starts { get; } = new();

    /// <summary>The study's whole data set, clean (null with our streams).</summary>
    public Dataset? All { get; }

    /// <summary>The study's split, rows in the study's order (null with our streams).</summary>
    public StudySplit? StudySplit { get; }

    // A file's training pool and test set (or its split), then the stratified subsets, then the standardisation
    // fitted on the training rows that remain.
    private static (Dataset Train, Dataset Test) Draw(DataSpec spec, LabelledData file)
    {
        Dataset pool = file.Train, test;
        if (file.Test is Dataset given)
        {
            test = given;
        }
        else
        {
            int trainRows = (int)Math.Round(pool.RowCount * spec.TrainFraction, MidpointRounding.ToEven);
            if (trainRows < 1 || trainRows > pool.RowCount - 1)
                throw new DataSourceException(spec, JsonValues.Invariant(
                    $"data.train_fraction {spec.TrainFraction} leaves {trainRows} of the file's {pool.RowCount} rows for training; both sides need one at least"));
            TrainTestSplit split = TrainTestSplit.Create(pool, new RandomSource(spec.Seed, s_splitKey), spec.TrainFraction);
            (pool, test) = (split.Train, split.Test);
        }

        Dataset train = Subset(spec, pool, spec.SampleCount == DataSpec.WholePool ? null : spec.SampleCount, s_trainSubsetKey, "data.sample_count", "training");
        test = Subset(spec, test, spec.TestCount, s_testSubsetKey, "data.test_count", "test");
        if (spec.Standardize)
        {
            FeatureStandardization scale = FeatureStandardization.Fit(train);
            (train, test) = (scale.Apply(train), scale.Apply(test));
        }
        return (train, test);
    }

    private static Dataset Subset(DataSpec spec, Dataset rows, int? count, ulong key, string field, string side)
    {
        if (count is not int n || n == rows.RowCount)
            return rows;
        if (n > rows.RowCount)
            throw new DataSourceException(spec, JsonValues.Invariant($"{field} is {n}, but the file has only {rows.RowCount} {side} rows"));
        return StratifiedSample.Draw(rows, n, new RandomSource(spec.Seed, key));
    }
}
