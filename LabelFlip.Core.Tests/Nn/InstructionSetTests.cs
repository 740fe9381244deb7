using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>
/// The same training in child processes with AVX-512, AVX2 and all hardware intrinsics switched off (the .NET 10
/// DOTNET_Enable* knobs) gives the same hash as this process. Each child reports its vector flags, so the test
/// also proves that the knob took and the code really ran on another path.
/// </summary>
public class InstructionSetTests
{
    [Fact]
    public void Every_instruction_set_trains_the_same_bits()
    {
        IsaReport here = IsaProbe.Run();
        IsaReport defaults = RunChild([]);
        IsaReport noAvx512 = RunChild([("DOTNET_EnableAVX512", "0")]);
        IsaReport noAvx2 = RunChild([("DOTNET_EnableAVX2", "0")]);
        IsaReport scalar = RunChild([("DOTNET_EnableHWIntrinsic", "0")]);

        // The knobs took.
        Assert.False(noAvx512.Vector512);
        Assert.False(noAvx2.Vector256);
        Assert.False(noAvx2.Fma);
        Assert.Equal((false, false, false, 1), (scalar.Vector512, scalar.Vector256, scalar.Vector128, scalar.Lanes));
        Assert.Equal(here.Lanes, defaults.Lanes);
        // On hardware with AVX-512 and AVX2 these are four different paths.
        if (Vector512.IsHardwareAccelerated)
            Assert.Equal([16, 8, 4, 1], new[] { defaults.Lanes, noAvx512.Lanes, noAvx2.Lanes, scalar.Lanes });

        // And the bits did not change.
        Assert.Equal(here.Hash, defaults.Hash);
        Assert.Equal(here.Hash, noAvx512.Hash);
        Assert.Equal(here.Hash, noAvx2.Hash);
        Assert.Equal(here.Hash, scalar.Hash);
        // Every loss too.
        Assert.Equal(here.LossHash, defaults.LossHash);
        Assert.Equal(here.LossHash, noAvx512.LossHash);
        Assert.Equal(here.LossHash, noAvx2.LossHash);
        Assert.Equal(here.LossHash, scalar.LossHash);
    }

    private static IsaReport RunChild((string Name, string Value)[] environment)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(IsaProbe).Assembly.Location);
        start.ArgumentList.Add("isa-probe");
        foreach (string name in new[] { "DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic", "DOTNET_EnableAVX512F" })
            start.Environment.Remove(name);
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the probe did not finish");
        Assert.True(process.ExitCode == 0, $"probe failed ({process.ExitCode}): {output} {error.Result}");
        return IsaReport.Parse(output);
    }
}
