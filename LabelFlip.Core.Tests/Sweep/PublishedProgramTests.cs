using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The main job as users run it after `dotnet publish` (precompiled: ReadyToRun, tiered compilation off) writes the
/// same results.json bytes as the jitted build, on every instruction set: with AVX-512, AVX2 and all hardware
/// intrinsics switched off by the DOTNET_Enable* knobs (.NET 10 reads DOTNET_EnableAVX512; the older
/// DOTNET_EnableAVX512F no longer switches anything off). Precompiled code is compiled for a baseline instruction set
/// ahead of time, so this is where a wrongly precompiled vector path would show. Each run's performance.json names
/// the vector path it took, so the test also proves that the knob took.
/// </summary>
public class PublishedProgramTests(PublishedProgramTests.PublishedMainJob published) : IClassFixture<PublishedProgramTests.PublishedMainJob>
{
    /// <summary>The main job published once, with the README's command, into a folder of its own.</summary>
    public sealed class PublishedMainJob : IDisposable
    {
        private readonly TempFolder _folder = new();

        public PublishedMainJob()
        {
            // LabelFlip.Core is already built with the tests: --no-dependencies leaves its outputs, which other tests
            // are running, alone. The published program builds into folders of its own (obj/.../linux-x64).
            string project = Path.Combine(TestPaths.RepositoryRoot, "samples", "LabelFlip.Sweep");
            Folder = _folder.File("publish");
            (int code, string output) = RunDotnet("publish", project, "-c", TestPaths.Configuration, "-o", Folder,
                "--no-dependencies", "-nologo", "-v", "q");
            Assert.True(code == 0, $"dotnet publish failed ({code}):\n{output}");
        }

        /// <summary>The folder the program was published into.</summary>
        public string Folder { get; }

        /// <summary>The published program, started through its native launcher as a user would.</summary>
        public string Program => Path.Combine(Folder, OperatingSystem.IsWindows() ? "labelflip-sweep.exe" : "labelflip-sweep");

        public void Dispose() => _folder.Dispose();

        private static (int ExitCode, string Output) RunDotnet(params string[] args)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (string arg in args)
                start.ArgumentList.Add(arg);
            // The test host's own MSBuild settings must not leak into a build of another project.
            foreach (string name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
                start.Environment.Remove(name);
            using Process process = Process.Start(start)!;
            process.StandardInput.Close();
            (int code, string output, string error) = MainJob.WaitForExit(process, TimeSpan.FromMinutes(5));
            return (code, output + error);
        }
    }

    // Every kernel of the trainer: widths that are and are not a multiple of 16 lanes, two hidden layers, poisoned and clean.
    private static readonly string[] s_design = ["--widths", "20,64,32x32", "--fractions", "0,0.2,0.4", "--seeds", "42,7", "--epochs", "15", "--quiet"];

    [Fact]
    public void The_published_program_is_precompiled()
    {
        foreach (string assembly in new[] { "labelflip-sweep.dll", "LabelFlip.Core.dll" })
        {
            using var reader = new PEReader(File.OpenRead(Path.Combine(published.Folder, assembly)));
            // A ReadyToRun image carries a managed native header: the precompiled code's directory.
            Assert.True(reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is not ReadyToRun");
        }
        string config = File.ReadAllText(Path.Combine(published.Folder, "labelflip-sweep.runtimeconfig.json"));
        Assert.Contains("\"System.Runtime.TieredCompilation\": false", config);
    }

    [Fact]
    public void Every_instruction_set_of_the_published_program_writes_the_jitted_builds_results()
    {
        using var folder = new TempFolder();
        (string jitted, _) = RunJitted(folder.Path, "jitted");
        (string defaults, string defaultsPath) = RunPublished(folder.Path, "defaults");
        (string noAvx512, string noAvx512Path) = RunPublished(folder.Path, "no-avx512", ("DOTNET_EnableAVX512", "0"));
        (string noAvx2, string noAvx2Path) = RunPublished(folder.Path, "no-avx2", ("DOTNET_EnableAVX2", "0"));
        (string scalar, string scalarPath) = RunPublished(folder.Path, "scalar", ("DOTNET_EnableHWIntrinsic", "0"));

        // The knobs took: each run reports a narrower path.
        Assert.Equal(MachineVectorPath(), defaultsPath);
        Assert.DoesNotContain("Vector512", noAvx512Path);
        Assert.DoesNotContain("Vector512", noAvx2Path);
        Assert.DoesNotContain("Vector256", noAvx2Path);
        Assert.Equal("scalar", scalarPath);
        // On hardware with AVX-512 these are four different paths.
        if (Vector512.IsHardwareAccelerated)
            Assert.Equal(["Vector512 (AVX-512)", "Vector256 (AVX2)", "Vector128 (SSE/NEON)", "scalar"], new[] { defaultsPath, noAvx512Path, noAvx2Path, scalarPath });

        // And every one wrote the jitted build's bytes.
        Assert.Equal(jitted, defaults);
        Assert.Equal(jitted, noAvx512);
        Assert.Equal(jitted, noAvx2);
        Assert.Equal(jitted, scalar);
    }

    private static string MachineVectorPath() =>
        Vector512.IsHardwareAccelerated ? "Vector512 (AVX-512)"
        : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2)"
        : Vector128.IsHardwareAccelerated ? "Vector128 (SSE/NEON)"
        : "scalar";

    // The jitted build the other tests run (bin/<Configuration>/net10.0), through the dotnet host.
    private static (string Results, string VectorPath) RunJitted(string root, string name)
    {
        string output = Path.Combine(root, name);
        (int code, _, string error) = MainJob.Run(root, [.. s_design, "--out", output]);
        Assert.True(code == 0, $"the jitted build failed ({code}): {error}");
        return ReadOutput(output);
    }

    private (string Results, string VectorPath) RunPublished(string root, string name, params (string Name, string Value)[] environment)
    {
        string output = Path.Combine(root, name);
        var start = new ProcessStartInfo(published.Program)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in s_design)
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(output);
        foreach (string knob in new[] { "DOTNET_EnableAVX512", "DOTNET_EnableAVX512F", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic" })
            start.Environment.Remove(knob);
        foreach ((string knob, string value) in environment)
            start.Environment[knob] = value;
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        (int code, _, string error) = MainJob.WaitForExit(process, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"the published program ({name}) failed ({code}): {error}");
        return ReadOutput(output);
    }

    private static (string Results, string VectorPath) ReadOutput(string folder)
    {
        using JsonDocument performance = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "performance.json")));
        return (File.ReadAllText(Path.Combine(folder, "results.json")), performance.RootElement.GetProperty("vector_path").GetString()!);
    }
}
