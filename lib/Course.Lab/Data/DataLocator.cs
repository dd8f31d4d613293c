namespace Course.Lab;

/// <summary>Finds the repository's <c>data/</c> folders from wherever a notebook or program runs.</summary>
public static class DataLocator
{
    /// <summary>Environment variable that points at the data folder (or directly at <c>data/mnist</c>).</summary>
    public const string EnvironmentVariable = "COURSE_DATA";

    /// <summary>
    /// The folder holding the MNIST files. Order: an explicit directory, then <c>COURSE_DATA</c>, then
    /// <c>data/mnist</c> found walking up from the current directory and from this assembly's location
    /// (notebooks run from <c>notebooks/</c>, the library sits in <c>artifacts/lib/</c>).
    /// </summary>
    public static string FindMnistDirectory(string? explicitDirectory = null)
    {
        if (explicitDirectory is not null)
        {
            var full = Path.GetFullPath(explicitDirectory);
            if (!Directory.Exists(full))
                throw new DirectoryNotFoundException($"MNIST data directory '{full}' (given explicitly) does not exist.");
            return full;
        }

        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            var full = Path.GetFullPath(env);
            var nested = Path.Combine(full, "mnist");
            if (Directory.Exists(nested)) return nested;
            if (Directory.Exists(full)) return full;
            throw new DirectoryNotFoundException(
                $"{EnvironmentVariable}='{env}' does not name an existing folder (expected the repository's data/ or data/mnist/).");
        }

        var searched = new List<string>();
        foreach (var start in StartDirectories())
        {
            var found = WalkUp(start, Path.Combine("data", "mnist"));
            if (found is not null) return found;
            searched.Add(start);
        }
        throw new DirectoryNotFoundException(
            "Could not find data/mnist walking up from " + string.Join(" or ", searched.Select(s => $"'{s}'")) +
            $". Run from inside the course repository, pass the folder explicitly, or set {EnvironmentVariable}.");
    }

    /// <summary>Walks up from <paramref name="start"/> until <paramref name="relative"/> exists below a folder.</summary>
    internal static string? WalkUp(string start, string relative, bool isFile = false)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (isFile ? File.Exists(candidate) : Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The current directory, then where this library was loaded from.</summary>
    internal static IEnumerable<string> StartDirectories()
    {
        yield return Environment.CurrentDirectory;
        var location = typeof(DataLocator).Assembly.Location;
        if (!string.IsNullOrEmpty(location))
        {
            var dir = Path.GetDirectoryName(location);
            if (dir is not null) yield return dir;
        }
        if (!string.IsNullOrEmpty(AppContext.BaseDirectory)) yield return AppContext.BaseDirectory;
    }

    /// <summary>A file found by walking up from the start directories (e.g. node_modules/plotly.js-dist-min/plotly.min.js).</summary>
    internal static string? FindFileUpwards(string relative)
    {
        foreach (var start in StartDirectories())
        {
            var found = WalkUp(start, relative, isFile: true);
            if (found is not null) return found;
        }
        return null;
    }
}
