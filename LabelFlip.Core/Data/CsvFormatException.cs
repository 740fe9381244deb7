namespace LabelFlip.Core.Data;

/// <summary>
/// A CSV file that <see cref="CsvDataSource"/> cannot read as labelled numeric data. The message is one line:
/// the file, the 1-based line and column when the fault has one, and what is wrong.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public CsvFormatException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public CsvFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public CsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal CsvFormatException(string filePath, int line, int column, string what)
        : base(Compose(filePath, line, column, what))
    {
        FilePath = filePath;
        Line = line;
        Column = column;
    }

    /// <summary>The file at fault, or null.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line the fault is on (where its record starts), or 0 when it is not on one line.</summary>
    public int Line { get; }

    /// <summary>The 1-based column (field) at fault, or 0 when it is not one column.</summary>
    public int Column { get; }

    private static string Compose(string filePath, int line, int column, string what) =>
        (line, column) switch
        {
            ( > 0, > 0) => $"{filePath}: line {line}, column {column}: {what}",
            ( > 0, _) => $"{filePath}: line {line}: {what}",
            (_, > 0) => $"{filePath}: column {column}: {what}",
            _ => $"{filePath}: {what}",
        };
}
