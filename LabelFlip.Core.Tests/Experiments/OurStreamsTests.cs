using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Experiments;

/// <summary>
/// The study's design on our own streams gives exactly what release 0.1 gave (its committed example output,
/// `git show af593e0:samples/LabelFlip.Sweep/example-output/results.json`): opening the run changed no bit of a run.
/// </summary>
public class OurStreamsTests
{
    private static readonly SweepConfig s_ours = SweepConfig.Study.WithBase(SweepConfig.Study.Base with { Streams = RunSpec.OurStreams });

    [Theory]
    [InlineData(0, 0.9685714285714285, 0.82, 0.9685714285714285, 0.14857142857142858, 0.10348206863606348, 0, null)]
    [InlineData(80, 0.8485714285714285, 0.5533333333333333, 0.5371428571428571, 0.2952380952380952, 0.5686508998786877, 175, 0.7714285714285715)]
    public void The_first_and_last_runs_equal_release_0_1s(long run, double train, double test, double trainClean, double gap, double loss, int flipped, double? memorised)
    {
        double?[] metrics = [.. SweepRunner.RunOne(s_ours.RunAt(run))];
        Assert.Equal(train, metrics[RunMetrics.IndexOf(RunMetrics.TrainAccuracy)]);
        Assert.Equal(test, metrics[RunMetrics.IndexOf(RunMetrics.TestAccuracy)]);
        Assert.Equal(trainClean, metrics[RunMetrics.IndexOf(RunMetrics.TrainCleanAccuracy)]);
        Assert.Equal(gap, metrics[RunMetrics.IndexOf(RunMetrics.GeneralizationGap)]);
        Assert.Equal(loss, metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)]);
        Assert.Equal(flipped, metrics[RunMetrics.IndexOf(RunMetrics.FlippedCount)]);
        Assert.Equal(memorised, metrics[RunMetrics.IndexOf(RunMetrics.MemorizationRate)]);
    }
}
