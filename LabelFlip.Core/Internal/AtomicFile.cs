using System.Text;

namespace LabelFlip.Core.Internal;

/// <summary>
/// Writes files so that readers see either the old content or the complete new one, never a torn file:
/// the bytes go to a temporary file in the same folder, which is then renamed over the target (an atomic
/// replace on the same file system).
/// </summary>
internal static class AtomicFile
{
    /// <summary>The names of the temporary files of <paramref name="fileName"/>, as a search pattern: a process killed
    /// while writing leaves one behind.</summary>
    public static string TemporaryPattern(string fileName) => $".{fileName}.*.tmp";

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Writes the file by streaming into it (for outputs too large to build in memory first), with the same
    /// guarantee: the target is replaced only once <paramref name="write"/> has returned and the bytes are on disk.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, TemporaryPattern(Path.GetFileName(fullPath)).Replace("*", $"{Guid.NewGuid():N}", StringComparison.Ordinal));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
