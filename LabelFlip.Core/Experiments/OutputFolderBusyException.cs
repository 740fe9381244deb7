namespace LabelFlip.Core.Experiments;

/// <summary>Another sweep holds the output folder (see <see cref="OutputFolderLock"/>).</summary>
public sealed class OutputFolderBusyException : IOException
{
    /// <summary>Creates the exception for <paramref name="directory"/>.</summary>
    public OutputFolderBusyException(string directory, Exception? innerException = null)
        : base($"{directory} is in use by another sweep; wait for it to finish or choose another output folder", innerException)
    {
        Directory = directory;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }
}
