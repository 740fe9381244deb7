using System.Diagnostics;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>Starts the real main job (samples/LabelFlip.Sweep, built with the tests) as a separate process.</summary>
internal static class MainJob
{
    private static readonly string s_program = Path.Combine(TestPaths.RepositoryRoot, "samples", "LabelFlip.Sweep", "bin",
        TestPaths.Configuration, "net10.0", "labelflip-sweep.dll");

    /// <summary>Starts the program with redirected standard streams and an empty standard input.</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args)
    {
        Assert.True(File.Exists(s_program), $"The main job is not built at {s_program}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(s_program);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        Process process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs the program to the end (3 minutes at most) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] args)
    {
        using Process process = Start(workingDirectory, args);
        return WaitForExit(process, TimeSpan.FromMinutes(3));
    }

    /// <summary>Waits for a started program and returns its exit code and output; kills it after <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output, string Error) WaitForExit(Process process, TimeSpan timeout)
    {
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The main job did not finish within {timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
