namespace LabelFlip.Core.Experiments;

/// <summary>One run of a sweep failed; the message names the run and the cause in one line.</summary>
public sealed class SweepRunException : Exception
{
    /// <summary>Creates the exception for the run at <paramref name="index"/>.</summary>
    public SweepRunException(long index, string run, Exception innerException)
        : base($"run {index} ({run}) failed: {FirstLine(innerException?.Message)}", innerException)
    {
        Index = index;
    }

    /// <summary>The run's plan index.</summary>
    public long Index { get; }

    private static string FirstLine(string? message) => (message ?? "unknown error").Split('\n')[0].Trim().TrimEnd('.');
}
