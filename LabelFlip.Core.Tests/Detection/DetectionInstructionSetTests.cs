using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Tests.Detection;

/// <summary>
/// The distance kernel and the neighbours it finds are the same bits with AVX-512, AVX2 and every hardware intrinsic
/// switched off (the DOTNET_Enable* knobs, in child processes that report their lane width, so the knob took).
/// </summary>
public class DetectionInstructionSetTests
{
    [Fact]
    public void Every_instruction_set_finds_the_same_distances_and_neighbours()
    {
        string here = DetectionIsaProbe.Run();
        string noAvx512 = RunChild(("DOTNET_EnableAVX512", "0"));
        string noAvx2 = RunChild(("DOTNET_EnableAVX2", "0"));
        string scalar = RunChild(("DOTNET_EnableHWIntrinsic", "0"));
        Assert.StartsWith("lanes=1 ", scalar, StringComparison.Ordinal);
        if (Vector512.IsHardwareAccelerated)
            Assert.Equal(["lanes=16", "lanes=8", "lanes=4"], new[] { here, noAvx512, noAvx2 }.Select(r => r.Split(' ')[0]));
        string Hash(string report) => report.Split(' ')[1];
        Assert.Equal(Hash(here), Hash(noAvx512));
        Assert.Equal(Hash(here), Hash(noAvx2));
        Assert.Equal(Hash(here), Hash(scalar));
    }

    private static string RunChild((string Name, string Value) knob)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(DetectionIsaProbe).Assembly.Location);
        start.ArgumentList.Add("detection-isa-probe");
        foreach (string name in new[] { "DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic", "DOTNET_EnableAVX512F" })
            start.Environment.Remove(name);
        start.Environment[knob.Name] = knob.Value;
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the probe did not finish");
        Assert.True(process.ExitCode == 0, $"probe failed ({process.ExitCode}): {output} {error.Result}");
        return output.Trim();
    }
}
