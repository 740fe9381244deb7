namespace LabelFlip.Core.Data;

/// <summary>Whether the first record of a CSV file is a header of column names.</summary>
public enum CsvHeaderMode
{
    /// <summary>
    /// Decide from the file: the first record is a header when a label column name is given, or when any of its
    /// cells outside the label column does not parse as a number (invariant culture); otherwise it is data.
    /// </summary>
    Detect,

    /// <summary>The first record is always a header.</summary>
    Present,

    /// <summary>There is no header: every record is data.</summary>
    Absent,
}
