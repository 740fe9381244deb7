using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// What the tests of the published main job share: publishing it, running a published form and the jitted build on
/// one small design, and reading back what each wrote. Publishing writes the project's own obj/…/linux-x64 folders,
/// so the classes that publish share one test collection and never publish at the same time.
/// </summary>
internal static class PublishedPrograms
{
    /// <summary>The test collection of every class that publishes the main job.</summary>
    public const string Collection = "published main job";

    // Every kernel of the trainer: widths that are and are not a multiple of 16 lanes, two hidden layers, poisoned and clean.
    private static readonly string[] s_design = ["--widths", "20,64,32x32", "--fractions", "0,0.2,0.4", "--seeds", "42,7", "--epochs", "15", "--quiet"];

    private static readonly string[] s_knobs = ["DOTNET_EnableAVX512", "DOTNET_EnableAVX512F", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"];

    /// <summary>
    /// `dotnet publish` of the main job into <paramref name="folder"/> with <paramref name="properties"/> (name=value).
    /// LabelFlip.Core is already built with the tests: --no-dependencies leaves its outputs, which other tests are
    /// running, alone. The program builds into folders of its own (obj/.../linux-x64).
    /// </summary>
    public static void Publish(string folder, params string[] properties)
    {
        string project = Path.Combine(TestPaths.RepositoryRoot, "samples", "LabelFlip.Sweep");
        (int code, string output) = RunDotnet(["publish", project, "-c", TestPaths.Configuration, "-o", folder,
            "--no-dependencies", "-nologo", "-v", "q", .. properties.Select(p => "-p:" + p)]);
        Assert.True(code == 0, $"dotnet publish {string.Join(' ', properties)} failed ({code}):\n{output}");
    }

    /// <summary>The published program in <paramref name="folder"/>, its native launcher or executable.</summary>
    public static string Program(string folder) =>
        Path.Combine(folder, OperatingSystem.IsWindows() ? "labelflip-sweep.exe" : "labelflip-sweep");

    /// <summary>The vector path this process has, as performance.json names it.</summary>
    public static string MachineVectorPath() =>
        Vector512.IsHardwareAccelerated ? "Vector512 (AVX-512)"
        : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2)"
        : Vector128.IsHardwareAccelerated ? "Vector128 (SSE/NEON)"
        : "scalar";

    /// <summary>The jitted build the other tests run (bin/&lt;Configuration&gt;/net10.0), through the dotnet host, on
    /// the shared design: its results.json and its vector path.</summary>
    public static (string Results, string VectorPath) RunJitted(string root, string name)
    {
        string output = Path.Combine(root, name);
        (int code, _, string error) = MainJob.Run(root, [.. s_design, "--out", output]);
        Assert.True(code == 0, $"the jitted build failed ({code}): {error}");
        return ReadOutput(output);
    }

    /// <summary>A published <paramref name="program"/> on the shared design, with no DOTNET_Enable* knob but those
    /// of <paramref name="environment"/>: its results.json and its vector path.</summary>
    public static (string Results, string VectorPath) RunPublished(string program, string root, string name,
                                                                   params (string Name, string Value)[] environment)
    {
        string output = Path.Combine(root, name);
        using Process process = MainJob.StartExecutable(program, root, [.. s_design, "--out", output],
            [.. s_knobs.Select(knob => (knob, (string?)null)), .. environment.Select(e => (e.Name, (string?)e.Value))]);
        (int code, _, string error) = MainJob.WaitForExit(process, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"the published program ({name}) failed ({code}): {error}");
        return ReadOutput(output);
    }

    private static (string Results, string VectorPath) ReadOutput(string folder)
    {
        using JsonDocument performance = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "performance.json")));
        return (File.ReadAllText(Path.Combine(folder, "results.json")), performance.RootElement.GetProperty("vector_path").GetString()!);
    }

    private static (int ExitCode, string Output) RunDotnet(string[] args)
    {
        // The test host's own MSBuild settings must not leak into a build of another project.
        using Process process = MainJob.StartExecutable(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            Environment.CurrentDirectory, args, [("MSBuildExtensionsPath", null), ("MSBuildSDKsPath", null), ("MSBUILD_EXE_PATH", null)]);
        (int code, string output, string error) = MainJob.WaitForExit(process, TimeSpan.FromMinutes(5));
        return (code, output + error);
    }
}
