using System.Reflection.PortableExecutable;
using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The main job as users run it after `dotnet publish` (precompiled: ReadyToRun, tiered compilation off) writes the
/// same results.json bytes as the jitted build, on every instruction set: with AVX-512, AVX2 and all hardware
/// intrinsics switched off by the DOTNET_Enable* knobs (.NET 10 reads DOTNET_EnableAVX512; the older
/// DOTNET_EnableAVX512F no longer switches anything off). Precompiled code is compiled for a baseline instruction set
/// ahead of time, so this is where a wrongly precompiled vector path would show. Each run's performance.json names
/// the vector path it took, so the test also proves that the knob took.
/// </summary>
[Collection(PublishedPrograms.Collection)]
public class PublishedProgramTests(PublishedProgramTests.PublishedMainJob published) : IClassFixture<PublishedProgramTests.PublishedMainJob>
{
    /// <summary>The main job published once, with the README's command, into a folder of its own.</summary>
    public sealed class PublishedMainJob : IDisposable
    {
        private readonly TempFolder _folder = new();

        public PublishedMainJob()
        {
            Folder = _folder.File("publish");
            PublishedPrograms.Publish(Folder);
        }

        /// <summary>The folder the program was published into.</summary>
        public string Folder { get; }

        public void Dispose() => _folder.Dispose();
    }

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
        string program = PublishedPrograms.Program(published.Folder);
        (string jitted, _) = PublishedPrograms.RunJitted(folder.Path, "jitted");
        (string defaults, string defaultsPath) = PublishedPrograms.RunPublished(program, folder.Path, "defaults");
        (string noAvx512, string noAvx512Path) = PublishedPrograms.RunPublished(program, folder.Path, "no-avx512", ("DOTNET_EnableAVX512", "0"));
        (string noAvx2, string noAvx2Path) = PublishedPrograms.RunPublished(program, folder.Path, "no-avx2", ("DOTNET_EnableAVX2", "0"));
        (string scalar, string scalarPath) = PublishedPrograms.RunPublished(program, folder.Path, "scalar", ("DOTNET_EnableHWIntrinsic", "0"));

        // The knobs took: each run reports a narrower path.
        Assert.Equal(PublishedPrograms.MachineVectorPath(), defaultsPath);
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
}
