using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// This machine's own FP32 ceiling on one core, so every GFLOP/s figure of the training benchmarks can be read against
/// it: 16 independent accumulator chains of acc·a + b on the widest vectors the process has (AVX-512 here), fused (one
/// rounding, <see cref="Vector512.FusedMultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>) or unfused
/// (a multiplication, then an addition: what the kernels do, so that every instruction set gives the same bits). Each
/// multiply-add counts as 2 flops. 16 chains cover the latency of either form on Zen 4 and Zen 5 (4 to 6 cycles, 2
/// per cycle), so the figure is the throughput limit, not a latency one.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class CeilingBenchmarks
{
    /// <summary>Multiply-adds per chain in one operation.</summary>
    public const int Iterations = 100_000;

    /// <summary>Independent accumulator chains.</summary>
    public const int Chains = 16;

    /// <summary>"fused" or "unfused".</summary>
    [Params("unfused", "fused")]
    public string Arithmetic { get; set; } = "";

    /// <summary>Floats per register on the path this process takes.</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;

    [Benchmark(Description = "Peak multiply-adds, one core")]
    public float Peak() => Arithmetic == "fused"
        ? (Vector512.IsHardwareAccelerated ? Fused512() : Fused256())
        : (Vector512.IsHardwareAccelerated ? Unfused512() : Unfused256());

    // The chains stay bounded: a < 1, and b keeps them away from 0 (no subnormals, which would be slow).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Unfused512()
    {
        Vector512<float> a = Vector512.Create(0.9999999f), b = Vector512.Create(1e-7f);
        Vector512<float> s0 = Vector512.Create(1f), s1 = s0 + b, s2 = s1 + b, s3 = s2 + b, s4 = s3 + b, s5 = s4 + b, s6 = s5 + b, s7 = s6 + b;
        Vector512<float> s8 = s7 + b, s9 = s8 + b, s10 = s9 + b, s11 = s10 + b, s12 = s11 + b, s13 = s12 + b, s14 = s13 + b, s15 = s14 + b;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = s0 * a + b; s1 = s1 * a + b; s2 = s2 * a + b; s3 = s3 * a + b;
            s4 = s4 * a + b; s5 = s5 * a + b; s6 = s6 * a + b; s7 = s7 * a + b;
            s8 = s8 * a + b; s9 = s9 * a + b; s10 = s10 * a + b; s11 = s11 * a + b;
            s12 = s12 * a + b; s13 = s13 * a + b; s14 = s14 * a + b; s15 = s15 * a + b;
        }
        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fused512()
    {
        Vector512<float> a = Vector512.Create(0.9999999f), b = Vector512.Create(1e-7f);
        Vector512<float> s0 = Vector512.Create(1f), s1 = s0 + b, s2 = s1 + b, s3 = s2 + b, s4 = s3 + b, s5 = s4 + b, s6 = s5 + b, s7 = s6 + b;
        Vector512<float> s8 = s7 + b, s9 = s8 + b, s10 = s9 + b, s11 = s10 + b, s12 = s11 + b, s13 = s12 + b, s14 = s13 + b, s15 = s14 + b;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = Vector512.FusedMultiplyAdd(s0, a, b); s1 = Vector512.FusedMultiplyAdd(s1, a, b);
            s2 = Vector512.FusedMultiplyAdd(s2, a, b); s3 = Vector512.FusedMultiplyAdd(s3, a, b);
            s4 = Vector512.FusedMultiplyAdd(s4, a, b); s5 = Vector512.FusedMultiplyAdd(s5, a, b);
            s6 = Vector512.FusedMultiplyAdd(s6, a, b); s7 = Vector512.FusedMultiplyAdd(s7, a, b);
            s8 = Vector512.FusedMultiplyAdd(s8, a, b); s9 = Vector512.FusedMultiplyAdd(s9, a, b);
            s10 = Vector512.FusedMultiplyAdd(s10, a, b); s11 = Vector512.FusedMultiplyAdd(s11, a, b);
            s12 = Vector512.FusedMultiplyAdd(s12, a, b); s13 = Vector512.FusedMultiplyAdd(s13, a, b);
            s14 = Vector512.FusedMultiplyAdd(s14, a, b); s15 = Vector512.FusedMultiplyAdd(s15, a, b);
        }
        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Unfused256()
    {
        Vector256<float> a = Vector256.Create(0.9999999f), b = Vector256.Create(1e-7f);
        Vector256<float> s0 = Vector256.Create(1f), s1 = s0 + b, s2 = s1 + b, s3 = s2 + b, s4 = s3 + b, s5 = s4 + b, s6 = s5 + b, s7 = s6 + b;
        Vector256<float> s8 = s7 + b, s9 = s8 + b, s10 = s9 + b, s11 = s10 + b, s12 = s11 + b, s13 = s12 + b, s14 = s13 + b, s15 = s14 + b;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = s0 * a + b; s1 = s1 * a + b; s2 = s2 * a + b; s3 = s3 * a + b;
            s4 = s4 * a + b; s5 = s5 * a + b; s6 = s6 * a + b; s7 = s7 * a + b;
            s8 = s8 * a + b; s9 = s9 * a + b; s10 = s10 * a + b; s11 = s11 * a + b;
            s12 = s12 * a + b; s13 = s13 * a + b; s14 = s14 * a + b; s15 = s15 * a + b;
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fused256()
    {
        Vector256<float> a = Vector256.Create(0.9999999f), b = Vector256.Create(1e-7f);
        Vector256<float> s0 = Vector256.Create(1f), s1 = s0 + b, s2 = s1 + b, s3 = s2 + b, s4 = s3 + b, s5 = s4 + b, s6 = s5 + b, s7 = s6 + b;
        Vector256<float> s8 = s7 + b, s9 = s8 + b, s10 = s9 + b, s11 = s10 + b, s12 = s11 + b, s13 = s12 + b, s14 = s13 + b, s15 = s14 + b;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = Vector256.FusedMultiplyAdd(s0, a, b); s1 = Vector256.FusedMultiplyAdd(s1, a, b);
            s2 = Vector256.FusedMultiplyAdd(s2, a, b); s3 = Vector256.FusedMultiplyAdd(s3, a, b);
            s4 = Vector256.FusedMultiplyAdd(s4, a, b); s5 = Vector256.FusedMultiplyAdd(s5, a, b);
            s6 = Vector256.FusedMultiplyAdd(s6, a, b); s7 = Vector256.FusedMultiplyAdd(s7, a, b);
            s8 = Vector256.FusedMultiplyAdd(s8, a, b); s9 = Vector256.FusedMultiplyAdd(s9, a, b);
            s10 = Vector256.FusedMultiplyAdd(s10, a, b); s11 = Vector256.FusedMultiplyAdd(s11, a, b);
            s12 = Vector256.FusedMultiplyAdd(s12, a, b); s13 = Vector256.FusedMultiplyAdd(s13, a, b);
            s14 = Vector256.FusedMultiplyAdd(s14, a, b); s15 = Vector256.FusedMultiplyAdd(s15, a, b);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10));
            AddColumn(new GflopsColumn("GFLOP/s = 2 · 16 chains · lanes · 100,000 multiply-adds / mean time (one core)",
                _ => 2.0 * Chains * Lanes * Iterations));
        }
    }
}
