namespace LabelFlip.Core.Experiments;

/// <summary>The expected cost of a run, for scheduling: epochs × training rows × parameters.</summary>
internal static class SweepPlanCost
{
    public static double Of(RunSpec run)
    {
        double rows = Math.Round(run.Data.SampleCount * run.Data.TrainFraction, MidpointRounding.ToEven);
        double parameters = RunFields.ParameterCount(run.Data.FeatureCount, run.Model.HiddenWidths, run.Data.ClassCount);
        return run.Training.Epochs * rows * parameters;
    }
}
