using System.Collections.Concurrent;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// An exclusive hold on a sweep's output folder for as long as a sweep works in it: the file <c>.lock</c> in the
/// folder, opened with no sharing. The operating system releases it when the process ends in any way, so a killed
/// sweep never leaves a stale lock behind; a second process trying to lock the folder fails at once.
/// </summary>
public sealed class OutputFolderLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string FileName = ".lock";

    // Folders this process holds, so that code further down (the runner) can tell it is already covered.
    private static readonly ConcurrentDictionary<string, OutputFolderLock> s_held = new(StringComparer.Ordinal);

    private readonly FileStream _file;

    private OutputFolderLock(string directory, FileStream file)
    {
        Directory = directory;
        _file = file;
    }

    /// <summary>The folder held (full path).</summary>
    public string Directory { get; }

    /// <summary>Creates the folder if needed and takes the lock.</summary>
    /// <exception cref="ArgumentException">The path is empty, or names a file rather than a folder.</exception>
    /// <exception cref="OutputFolderBusyException">Another process (or another sweep in this one) holds the folder.</exception>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static OutputFolderLock Acquire(string directory)
    {
        string full = FullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        if (s_held.ContainsKey(full))
            throw new OutputFolderBusyException(full);
        FileStream file;
        try
        {
            file = new FileStream(Path.Combine(full, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && e.GetType() == typeof(IOException))
        {
            throw new OutputFolderBusyException(full, e);
        }
        var held = new OutputFolderLock(full, file);
        if (!s_held.TryAdd(full, held))
        {
            file.Dispose();
            throw new OutputFolderBusyException(full);
        }
        return held;
    }

    /// <summary>Whether this process holds <paramref name="directory"/>.</summary>
    public static bool IsHeld(string directory) => s_held.ContainsKey(FullPath(directory));

    /// <summary>Releases the folder.</summary>
    public void Dispose()
    {
        if (s_held.TryRemove(new KeyValuePair<string, OutputFolderLock>(Directory, this)))
            _file.Dispose();
    }

    /// <summary>The full path of an output folder, after checking that it can be one.</summary>
    /// <exception cref="ArgumentException">Empty or blank, or an existing file.</exception>
    public static string FullPath(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
            throw new ArgumentException("The output folder must be a non-empty path.", nameof(directory));
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(full))
            throw new ArgumentException($"{directory} is a file, not a folder.", nameof(directory));
        return full;
    }
}
