using System.Reflection;

namespace LabelFlip.Core.Tests;

/// <summary>Where things are: the repository root, scratch folders that clean up after themselves.</summary>
internal static class TestPaths
{
    /// <summary>The folder holding LabelFlip.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release).</summary>
    public static string Configuration { get; } =
        typeof(TestPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LabelFlip.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No LabelFlip.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A fresh empty folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "labelflip-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
