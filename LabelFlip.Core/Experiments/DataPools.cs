using LabelFlip.Core.Data;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The files a sweep reads, each loaded once: every data part that names the same file (any seed, subset or
/// standardisation) draws from one copy in memory, so a sweep over many draws of Fashion-MNIST holds the 60,000
/// images once. Lives for one execution; not thread-safe (data parts are built one at a time).
/// </summary>
internal sealed class DataPools
{
    private readonly Dictionary<(string Source, string? Path, string? TestPath, string? LabelColumn, int? LabelIndex), LabelledData> _loaded = [];

    /// <summary>The file's training pool and test set (null for a CSV file without a test file), as read.</summary>
    /// <exception cref="DataSourceException">The files are missing or malformed.</exception>
    public LabelledData Load(DataSpec spec)
    {
        var key = (spec.Source, spec.Path, spec.TestPath, spec.LabelColumn, spec.LabelIndex);
        if (_loaded.TryGetValue(key, out LabelledData? data))
            return data;
        try
        {
            data = spec.Source == DataSpec.FashionMnistSource ? FashionMnist.Load(spec.Path) : LoadCsv(spec);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DataSourceException(spec, OneLine(e.Message), e);
        }
        _loaded[key] = data;
        return data;
    }

    private static LabelledData LoadCsv(DataSpec spec)
    {
        var options = new CsvOptions { LabelColumnName = spec.LabelColumn, LabelColumnIndex = spec.LabelIndex };
        return spec.TestPath is null
            ? CsvDataSource.Load(spec.Path!, options)
            : CsvDataSource.Load(spec.Path!, spec.TestPath, options);
    }

    internal static string OneLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
