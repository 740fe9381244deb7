using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelFlip.Core.Reporting;

/// <summary>What the machine is, for performance reports.</summary>
public static class MachineInfo
{
    /// <summary>The CPU model (from /proc/cpuinfo on Linux), else the architecture.</summary>
    public static string CpuDescription { get; } = ReadCpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The widest hardware-accelerated vector the kernels use: Vector512, Vector256, Vector128 or scalar.</summary>
    public static string VectorPath =>
        Vector512.IsHardwareAccelerated ? "Vector512 (AVX-512)"
        : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2)"
        : Vector128.IsHardwareAccelerated ? "Vector128 (SSE/NEON)"
        : "scalar";

    private static string? ReadCpuModel()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo"))
                return null;
            string? model = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            return model is null ? null : $"{model} ({Environment.ProcessorCount} logical cores)";
        }
        catch (IOException)
        {
            return null;
        }
    }
}
