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
        return run.Training.Epochs * rows * parameters;
    }
}
