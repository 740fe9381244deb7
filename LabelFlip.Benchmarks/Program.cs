using BenchmarkDotNet.Running;

namespace LabelFlip.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project LabelFlip.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        // Non-zero exit when any benchmark failed to build or run, so scripts notice.
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
