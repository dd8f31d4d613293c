using System.Runtime.CompilerServices;

namespace Course.Notebooks.Tests;

/// <summary>The repository, found from this source file (test binaries may live under any --artifacts-path).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    public static string TestAsset(string name) => Path.Combine(Root, "tests", "Course.Notebooks.Tests", "Assets", name);

    private static string FindRoot([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Course.sln above {source}");
    }
}
