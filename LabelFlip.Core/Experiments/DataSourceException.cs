namespace LabelFlip.Core.Experiments;

/// <summary>
/// A run's data could not be built: a file is missing, truncated or malformed, or the data part asks for more rows
/// than the file holds. The message says which, in one line, and how to fix it where that is known.
/// </summary>
public sealed class DataSourceException : Exception
{
    /// <summary>Creates the exception for the data part <paramref name="data"/>.</summary>
    public DataSourceException(DataSpec data, string message, Exception? innerException = null)
        : base($"data.source \"{data?.Source}\": {message}", innerException)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataPart = data;
    }

    /// <summary>The data part that failed.</summary>
    public DataSpec DataPart { get; }
}
