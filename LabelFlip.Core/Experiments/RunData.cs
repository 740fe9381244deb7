using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The data part of a run, built once and shared by every run with the same data part and stream family: the rows
/// and their train/test split.
/// </summary>
internal sealed class RunData
{
    private static readonly ulong s_splitKey = StreamKey.Of("split");

    public RunData(DataSpec spec, string streams)
    {
        Spec = spec;
        Streams = streams;
        if (streams == RunSpec.StudyStreams)
        {
            // The study draws the rows from RandomState(data seed) and the split from a second RandomState(data seed);
            // its poison then flips labels of the whole set, so the whole set is kept with the split's rows.
            All = StudyClusters.Generate(spec.SampleCount, spec.FeatureCount, spec.ClassCount, spec.ClusterStd, spec.CenterSpread, (long)spec.Seed);
            StudySplit = Data.StudySplit.Create(spec.SampleCount, (long)spec.Seed, spec.TrainFraction);
            CleanTest = StudySplit.SelectTest(All);
        }
        else
        {
            Dataset rows = GaussianClusters.Generate(spec.SampleCount, spec.FeatureCount, spec.ClassCount,
                spec.ClusterStd, spec.CenterSpread, spec.Seed);
            Split = TrainTestSplit.Create(rows, new RandomSource(spec.Seed, s_splitKey), spec.TrainFraction);
        }
    }

    public DataSpec Spec { get; }

    public string Streams { get; }

    /// <summary>Our streams' split (null with the study's streams).</summary>
    public TrainTestSplit? Split { get; }

    /// <summary>The study's whole data set, clean (null with our streams).</summary>
    public Dataset? All { get; }

    /// <summary>The study's split, rows in the study's order (null with our streams).</summary>
    public StudySplit? StudySplit { get; }

    /// <summary>The study's clean test rows (null with our streams).</summary>
    public Dataset? CleanTest { get; }
}
