using System.Runtime.CompilerServices;

namespace Course.Lab.Tests;

/// <summary>Locates the repository from this source file, since tests run from an artifacts folder outside it.</summary>
internal static class TestRepo
{
    public static string Root { get; } = FindRoot();

    public static string MnistDir => Path.Combine(Root, "data", "mnist");

    private static string FindRoot([CallerFilePath] string path = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(path)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Course.sln not found above {path}");
    }

    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>Tests that touch process-wide state (AppContext display hook, environment) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalStateCollection
{
    public const string Name = "global state";
}
