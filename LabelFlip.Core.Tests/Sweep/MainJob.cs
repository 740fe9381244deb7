using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>Starts the real main job (samples/LabelFlip.Sweep, built with the tests) as a separate process.</summary>
internal static class MainJob
{
    private static readonly string s_program = Path.Combine(TestPaths.RepositoryRoot, "samples", "LabelFlip.Sweep", "bin",
        TestPaths.Configuration, "net10.0", "labelflip-sweep.dll");

    /// <summary>The labelflip tool (samples/LabelFlip.Cli), built with the tests; its sweep and merge are the main job's.</summary>
    public static string Tool { get; } = Path.Combine(TestPaths.RepositoryRoot, "samples", "LabelFlip.Cli", "bin",
        TestPaths.Configuration, "net10.0", "labelflip.dll");

    /// <summary>Starts the program with redirected standard streams and an empty standard input.</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args) => StartProgram(s_program, workingDirectory, args);

    /// <summary>Runs the labelflip tool to the end (3 minutes at most) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output, string Error) RunTool(string workingDirectory, params string[] args)
    {
        using Process process = StartProgram(Tool, workingDirectory, args);
        return WaitForExit(process, TimeSpan.FromMinutes(3));
    }

    private static Process StartProgram(string program, string workingDirectory, IEnumerable<string> args)
    {
        Assert.True(File.Exists(program), $"The program is not built at {program}.");
        return StartExecutable(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", workingDirectory, [program, .. args]);
    }

    /// <summary>Starts an executable (a published form of the program, or the dotnet host) with redirected standard
    /// streams and an empty standard input; <paramref name="environment"/> sets variables, or removes those whose value
    /// is null.</summary>
    public static Process StartExecutable(string executable, string workingDirectory, IEnumerable<string> args,
                                          IEnumerable<(string Name, string? Value)>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        foreach ((string name, string? value) in environment ?? [])
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        Process process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs the program to the end (3 minutes at most) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, TimeSpan.FromMinutes(3), args);

    /// <summary>Runs the program to the end and returns its exit code and output; fails the test after <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using Process process = Start(workingDirectory, args);
        return WaitForExit(process, timeout);
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

    /// <summary>Asserts that <paramref name="error"/> is the program's one line, with no stack trace, and returns it.</summary>
    public static string OneLine(string error, string program = "labelflip-sweep")
    {
        Assert.DoesNotContain("   at ", error);
        string[] lines = error.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, $"Expected one line on stderr, got {lines.Length}:\n{error}");
        Assert.StartsWith($"{program}: ", lines[0]);
        return lines[0];
    }

    /// <summary>Waits until <paramref name="path"/> has at least <paramref name="lines"/> complete lines; the program must still be going.</summary>
    public static void WaitForLines(Process process, string path, int lines)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path) || CompleteLines(path) < lines)
        {
            Assert.False(process.HasExited, "The sweep ended before it could be interrupted.");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"{path} did not reach {lines} lines within a minute.");
            Thread.Sleep(5);
        }
        Assert.False(process.HasExited, "The sweep ended before it could be interrupted.");
    }

    private static int CompleteLines(string path)
    {
        try
        {
            return File.ReadAllBytes(path).Count(b => b == (byte)'\n');
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // Ctrl+C is SIGINT (2), `kill` is SIGTERM (15) on Linux and macOS; .NET has no API to send a signal, so ask libc's kill(2).
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to the process; asserts that it was delivered.</summary>
    public static void Signal(Process process, int signal) => Assert.Equal(0, SendSignal(process.Id, signal));

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);
}
