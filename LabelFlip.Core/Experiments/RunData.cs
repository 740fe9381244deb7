using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>The data part of a run, built: the rows and their train/test split, shared by every run with this part.</summary>
internal sealed class RunData
{
    private static readonly ulong s_splitKey = StreamKey.Of("split");

    public RunData(DataSpec spec)
    {
        Spec = spec;
        Dataset rows = GaussianClusters.Generate(spec.SampleCount, spec.FeatureCount, spec.ClassCount,
            spec.ClusterStd, spec.CenterSpread, spec.Seed);
        Split = TrainTestSplit.Create(rows, new RandomSource(spec.Seed, s_splitKey), spec.TrainFraction);
    }

    public DataSpec Spec { get; }

    public TrainTestSplit Split { get; }
}
