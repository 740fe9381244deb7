using System.Diagnostics;
using System.Runtime.Intrinsics.X86;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The main job published with Native AOT (`dotnet publish -p:PublishAot=true`) writes the jitted build's
/// results.json bytes at every instruction-set level it can be compiled for. Native code has its vector path fixed
/// when it is compiled, so each level is a program of its own: this machine's ("native", the default), x86-64-v3
/// (AVX2) and x86-64-v2 (SSE4.2), each published and run where the processor has it. The scalar path has no native
/// form on x64 (its baseline has SSE2); the jitted tests (<see cref="PublishedProgramTests"/>) cover it.
/// </summary>
[Collection(PublishedPrograms.Collection)]
public class NativeProgramTests(NativeProgramTests.NativeMainJobs published) : IClassFixture<NativeProgramTests.NativeMainJobs>
{
    /// <summary>The levels this machine can run, with the vector path each must report.</summary>
    private static readonly (string Level, string VectorPath)[] s_levels =
    [
        ("native", PublishedPrograms.MachineVectorPath()),
        .. Avx2.IsSupported && Fma.IsSupported && Bmi2.IsSupported && Lzcnt.IsSupported ? [("x86-64-v3", "Vector256 (AVX2)")] : Array.Empty<(string, string)>(),
        .. Sse42.IsSupported && Popcnt.IsSupported ? [("x86-64-v2", "Vector128 (SSE/NEON)")] : Array.Empty<(string, string)>(),
    ];

    /// <summary>The main job published natively, once per level, into folders of its own; nothing where clang is
    /// missing outside CI (the tests are skipped there).</summary>
    public sealed class NativeMainJobs : IDisposable
    {
        private readonly TempFolder _folder = new();

        public NativeMainJobs()
        {
            if (new NativeToolchainFactAttribute().Skip is not null)
                return;
            foreach ((string level, _) in s_levels)
                PublishedPrograms.Publish(Folder(level), "PublishAot=true", "IlcInstructionSet=" + level);
        }

        /// <summary>The folder <paramref name="level"/> was published into.</summary>
        public string Folder(string level) => _folder.File(level);

        public void Dispose() => _folder.Dispose();
    }

    [NativeToolchainFact]
    public void The_native_program_has_no_runtime_to_start()
    {
        string folder = published.Folder("native");
        Assert.True(File.Exists(PublishedPrograms.Program(folder)), $"no native program in {folder}");
        // One executable: no managed entry assembly, no runtime configuration, no runtime beside it.
        Assert.False(File.Exists(Path.Combine(folder, "labelflip-sweep.dll")));
        Assert.False(File.Exists(Path.Combine(folder, "labelflip-sweep.runtimeconfig.json")));
        Assert.Empty(Directory.GetFiles(folder, "*.so"));
    }

    // The native program keeps the console contract: bad input is one line and exit code 2; a signal stops it with the
    // signal's exit code, the finished runs kept, and the same command resumes them.
    [NativeToolchainFact]
    public void The_native_program_refuses_bad_input_in_one_line_and_resumes_after_a_signal()
    {
        using var folder = new TempFolder();
        string program = PublishedPrograms.Program(published.Folder("native"));
        (int code, _, string error) = Run(program, folder.Path, "--threads", "0");
        Assert.Equal(2, code);
        Assert.Contains("--threads", MainJob.OneLine(error));

        string[] sweep = ["--widths", "64", "--fractions", "0,0.1,0.2,0.3", "--seeds", "1,2", "--epochs", "12000"];
        using (Process process = MainJob.StartExecutable(program, folder.Path, [.. sweep, "--threads", "1"]))
        {
            MainJob.WaitForLines(process, Path.Combine(folder.Path, "results", "runs.jsonl"), lines: 2);
            MainJob.Signal(process, MainJob.SigInt);
            (code, _, error) = MainJob.WaitForExit(process, TimeSpan.FromSeconds(30));
            Assert.Equal(130, code);
            Assert.Contains("Run the same command again to resume", MainJob.OneLine(error));
        }
        int kept = File.ReadAllLines(Path.Combine(folder.Path, "results", "runs.jsonl")).Length - 1;
        (code, string output, error) = Run(program, folder.Path, [.. sweep, "--quiet"]);
        Assert.True(code == 0, error);
        Assert.Contains($"{8 - kept} trained, {kept} resumed", output);
    }

    private static (int ExitCode, string Output, string Error) Run(string program, string workingDirectory, params string[] args)
    {
        using Process process = MainJob.StartExecutable(program, workingDirectory, args);
        return MainJob.WaitForExit(process, TimeSpan.FromMinutes(3));
    }

    [NativeToolchainFact]
    public void Every_native_level_writes_the_jitted_builds_results()
    {
        Assert.True(s_levels.Length == 3 || !Avx2.IsSupported, "an AVX2 machine must run all three levels");
        using var folder = new TempFolder();
        (string jitted, _) = PublishedPrograms.RunJitted(folder.Path, "jitted");
        foreach ((string level, string vectorPath) in s_levels)
        {
            (string results, string path) = PublishedPrograms.RunPublished(PublishedPrograms.Program(published.Folder(level)), folder.Path, level);
            Assert.Equal(vectorPath, path);   // each level took its own path …
            Assert.Equal(jitted, results);    // … and wrote the same bytes
        }
    }
}
