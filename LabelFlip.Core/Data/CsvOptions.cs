namespace LabelFlip.Core.Data;

/// <summary>How <see cref="CsvDataSource"/> reads a CSV file. The defaults read a comma-separated file whose last
/// column is the label, with or without a header.</summary>
public sealed record CsvOptions
{
    /// <summary>The field separator; not a quote, CR or LF. Default ','.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Whether the first record is a header. Default <see cref="CsvHeaderMode.Detect"/>.</summary>
    public CsvHeaderMode Header { get; init; } = CsvHeaderMode.Detect;

    /// <summary>The label column's name in the header (exact, case-sensitive match); implies a header. Null to use
    /// <see cref="LabelColumnIndex"/>. At most one of the two may be set.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>The label column's 0-based index, or null for the last column (the default). Error messages
    /// count columns from 1, as editors do.</summary>
    public int? LabelColumnIndex { get; init; }

    /// <summary>Whether to standardise each feature to mean 0 and standard deviation 1, with the mean and
    /// standard deviation of the training rows only (<see cref="FeatureStandardization"/>). Default false.</summary>
    public bool Standardize { get; init; }
}
