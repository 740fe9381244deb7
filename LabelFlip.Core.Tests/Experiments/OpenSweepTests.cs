using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

public class OpenSweepTests
{
    [Fact]
    public void A_sweep_over_rate_decay_depth_and_data_draws_runs_from_the_config_file_alone()
    {
        SweepConfig file = SweepConfig.Load(Path.Combine(TestPaths.RepositoryRoot, "configs", "optimiser-depth-draws.json"));
        // The file's design, shortened: fewer epochs and fractions keep the test quick.
        SweepConfig config = file
            .WithBase(file.Base with { Training = file.Base.Training with { Epochs = 3 }, Data = file.Base.Data with { SampleCount = 100 } })
            .WithAxis(SweepAxis.Of("poison.fraction", [0.0, 0.5]));
        Assert.Equal(2 * 2 * 2 * 2 * 2 * 2, config.RunCount);
        SweepResult result = SweepRunner.Run(config);
        string[] csv = TidyCsv.Runs(result).TrimEnd('\n').Split('\n');
        Assert.Equal("run,poison.fraction,training.learning_rate,training.weight_decay,model.hidden_widths,data.seed,seed," +
                     string.Join(",", RunMetrics.All.Select(m => m.Name)), csv[0]);
        Assert.Equal(65, csv.Length);
        Assert.Contains(csv, row => row.Contains(",\"[64,64]\",", StringComparison.Ordinal));
        // Curves: one per (rate, decay, depth); data draws and seeds are replicates.
        Assert.Equal(8, result.Summary.Curves.Length);
        Assert.All(result.Summary.Curves, c => Assert.Equal(4, c.Points[0].RunCount));
        string[] curves = TidyCsv.Curves(result).TrimEnd('\n').Split('\n');
        Assert.StartsWith("training.learning_rate,training.weight_decay,model.hidden_widths,poison.fraction,n_runs,train_accuracy_mean,train_accuracy_std,", curves[0]);
        Assert.Equal(1 + 8 * 2, curves.Length);
        // A two-layer run really has two hidden layers: it differs from the one-layer run of the same coordinates.
        Assert.NotEqual(result.Runs.First(r => r.Coordinates[3] == "[64]").Metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)],
                        result.Runs.First(r => r.Coordinates[3] == "[64,64]").Metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)]);
    }
}
