using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>GFLOP/s = the useful flops of one operation (from the case's parameters) / its mean time.</summary>
/// <param name="legend">How the flops are counted, shown under the table.</param>
/// <param name="flopsPerOperation">The useful floating-point operations of one benchmark operation; NaN for a case
/// that has no such count (its cell shows "-").</param>
public sealed class GflopsColumn(string legend, Func<BenchmarkCase, double> flopsPerOperation) : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        double flops = flopsPerOperation(benchmarkCase);
        return nanoseconds is > 0 && flops > 0
            ? (flops / nanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)
            : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
