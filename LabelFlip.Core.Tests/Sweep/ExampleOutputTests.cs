using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The README shows the default sweep's output from samples/LabelFlip.Sweep/example-output. These tests rerun
/// the study and require the same bytes, so the README cannot drift from what the code produces (and a change
/// of arithmetic that moves any result by one bit shows up here).
/// </summary>
public class ExampleOutputTests(ExampleOutputTests.DefaultSweepOutput fresh) : IClassFixture<ExampleOutputTests.DefaultSweepOutput>
{
    private static readonly string s_exampleFolder = Path.Combine(TestPaths.RepositoryRoot, "samples", "LabelFlip.Sweep", "example-output");

    /// <summary>The default sweep, run once for all the files compared, written to a temporary folder.</summary>
    public sealed class DefaultSweepOutput : IDisposable
    {
        private readonly TempFolder _folder = new();

        public DefaultSweepOutput() => SweepOutputs.Write(SweepRunner.Run(SweepConfig.Study), _folder.Path);

        public string File(string name) => _folder.File(name);

        public void Dispose() => _folder.Dispose();
    }

    [Theory]
    [InlineData(SweepOutputs.ResultsFile)]
    [InlineData(SweepOutputs.RunsCsvFile)]
    [InlineData(SweepOutputs.CurvesCsvFile)]
    [InlineData(SweepOutputs.AccuracyPlotFile)]
    [InlineData(SweepOutputs.GapPlotFile)]
    [InlineData(SweepOutputs.TrainTestPlotFile)]
    public void The_committed_example_is_what_the_default_sweep_writes(string file)
    {
        string committed = File.ReadAllText(Path.Combine(s_exampleFolder, file));
        string produced = File.ReadAllText(fresh.File(file));
        Assert.True(committed == produced,
            $"samples/LabelFlip.Sweep/example-output/{file} is stale. If the change of results is intended, regenerate it with " +
            "`dotnet run --project samples/LabelFlip.Sweep -c Release -- --out samples/LabelFlip.Sweep/example-output --no-resume` " +
            "(then delete its runs.jsonl, .lock and performance.json) and update the README's results table.");
    }
}
