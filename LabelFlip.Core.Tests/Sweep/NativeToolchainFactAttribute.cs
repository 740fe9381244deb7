namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// A test that publishes the main job with Native AOT, which links with clang. Skipped, with a message saying how to
/// install it, when clang is missing on a developer's machine; run (and so failing with the SDK's own message) when it
/// is missing under CI=true, where .ci/run should have installed it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NativeToolchainFactAttribute : FactAttribute
{
    public NativeToolchainFactAttribute()
    {
        bool underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!underCi && !OnPath("clang"))
            Skip = "Native AOT links with clang, which is not on PATH: `apt-get install clang` (Debian). Under CI=true this test fails instead.";
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, command)));
}
