using LabelFlip.Core.Data;

namespace LabelFlip.Core.Experiments;

/// <summary>The expected cost of a run, for scheduling: epochs × training rows × parameters.</summary>
/// <remarks>A CSV file's shape is unknown until it is read; its runs are costed as if it had the generator's shape,
/// which still orders them rightly among themselves (by width, depth, epochs and rows).</remarks>
internal static class SweepPlanCost
{
    public static double Of(RunSpec run)
    {
        DataSpec data = run.Data;
        (double rows, int features, int classes) = data.Source switch
        {
            DataSpec.FashionMnistSource => (data.SampleCount == DataSpec.WholePool ? FashionMnist.TrainingImageCount : data.SampleCount,
                FashionMnist.FeatureCount, FashionMnist.ClassCount),
            DataSpec.CsvSource => (data.SampleCount == DataSpec.WholePool ? GaussianClusters.DefaultSampleCount : data.SampleCount,
                data.FeatureCount, data.ClassCount),
            _ => (data.TestCount is null ? Math.Round(data.SampleCount * data.TrainFraction, MidpointRounding.ToEven) : data.SampleCount,
                data.FeatureCount, data.ClassCount),
        };
        double parameters = RunFields.ParameterCount(features, run.Model.HiddenWidths, classes);
        return run.Training.Epochs * rows * parameters * DefenceTrainings(run);
    }

    // A detector's own trainings, in units of the run's: confident learning trains K networks on (K − 1)/K of the
    // rows; small-loss trains one for its warm-up epochs.
    private static double DefenceTrainings(RunSpec run)
    {
        DefenceSpec d = run.Defence;
        double folds = (d.Folds ?? Detection.ConfidentLearning.DefaultFoldCount) - 1;
        double warmup = (double)(d.WarmupEpochs ?? Detection.SmallLossDetector.DefaultWarmupEpochs) / run.Training.Epochs;
        return d.Detector switch
        {
            DefenceSpec.ConfidentLearningDetector => 1 + folds,
            DefenceSpec.SmallLossDetector => 1 + warmup + (d.NoiseRate == DefenceSpec.ConfidentLearningNoiseRate ? folds : 0),
            _ => 1,
        };
    }
}
