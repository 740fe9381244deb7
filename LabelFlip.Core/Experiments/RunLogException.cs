namespace LabelFlip.Core.Experiments;

/// <summary>A run log that cannot be used: a corrupt line, or runs of another sweep. The message is one line that
/// names the file, the 1-based line and what is wrong.</summary>
public sealed class RunLogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunLogException(string path, int line, bool otherSweep, string problem)
        : base($"{path} line {line}: {problem}")
    {
        Path = path;
        Line = line;
        IsOtherSweep = otherSweep;
    }

    /// <summary>Creates an exception about several logs or the whole set (no single line at fault).</summary>
    public RunLogException(string message)
        : base(message)
    {
        Path = "";
    }

    /// <summary>The run log.</summary>
    public string Path { get; }

    /// <summary>The 1-based line at fault; 0 when the problem is not one line's.</summary>
    public int Line { get; }

    /// <summary>True when the line is well formed but belongs to another sweep config; false when it is corrupt.</summary>
    public bool IsOtherSweep { get; }
}
