namespace LabelFlip.Core.Tests.Random;

public class StudyStreamsFileTests
{
    // The committed fallback must be the shared file itself, or tests run without ../shared would check
    // against something else.
    [Fact]
    public void Committed_fallback_equals_the_shared_file_when_that_is_present()
    {
        string fallback = Path.Combine(AppContext.BaseDirectory, "Random", "TestData", "study-streams.json");
        Assert.True(File.Exists(fallback), $"The fallback copy {fallback} is missing from the test output.");
        string located = StudyStreams.Locate();
        Assert.Equal(File.ReadAllBytes(located), File.ReadAllBytes(fallback));
        Assert.Equal(5000, StudyStreams.Features.Length);
    }
}
