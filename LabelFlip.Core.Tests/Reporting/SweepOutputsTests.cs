using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Reporting;

public class SweepOutputsTests
{
    [Fact]
    public void Remove_deletes_the_outputs_and_the_temporaries_a_killed_writer_left_but_nothing_else()
    {
        using var folder = new TempFolder();
        string[] stale = [folder.File(SweepOutputs.ResultsFile), folder.File($".{SweepOutputs.ResultsFile}.0123456789abcdef.tmp"),
                          folder.File($".{SweepOutputs.RunsCsvFile}.fedcba9876543210.tmp")];
        string[] kept = [folder.File("runs.jsonl"), folder.File(".notes.txt.1.tmp"), folder.File("results.json.bak")];
        foreach (string path in (string[])[.. stale, .. kept])
            File.WriteAllText(path, "x");
        Assert.Equal(2, Directory.GetFiles(folder.Path, "*.tmp").Length - 1); // hidden files are listed too

        SweepOutputs.Remove(folder.Path);
        Assert.All(stale, path => Assert.False(File.Exists(path), path));
        Assert.All(kept, path => Assert.True(File.Exists(path), path));
    }
}
