namespace Course.Notebooks.Cli;

/// <summary>A notebook to run: its path as the user gave it, and where its outputs go under --out.</summary>
public sealed record NotebookJob(string Path, string OutputStem);

/// <summary>Expands the run command's arguments: files as given, folders to their *.ipynb, recursively, sorted.</summary>
public static class NotebookDiscovery
{
    public static IReadOnlyList<NotebookJob> Find(IEnumerable<string> arguments, string outDirectory)
    {
        var jobs = new List<NotebookJob>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            IEnumerable<string> notebooks;
            if (Directory.Exists(argument))
            {
                notebooks = InFolder(argument);
            }
            else if (File.Exists(argument))
            {
                if (!argument.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"{argument}: not a notebook (expected a .ipynb file or a folder)");
                notebooks = [argument];
            }
            else
            {
                throw new ArgumentException($"{argument}: no such notebook or folder (current folder: {Environment.CurrentDirectory})");
            }
            foreach (var notebook in notebooks)
                if (seen.Add(Path.GetFullPath(notebook))) jobs.Add(new NotebookJob(notebook, OutputStem(notebook, argument, outDirectory)));
        }
        return jobs;
    }

    /// <summary>A folder's *.ipynb, recursively, editors' checkpoints left out, sorted by relative path.</summary>
    internal static IEnumerable<string> InFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*.ipynb", SearchOption.AllDirectories)
            .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
            .OrderBy(p => Path.GetRelativePath(folder, p).Replace('\\', '/'), StringComparer.Ordinal);

    // Mirror the notebook's path under --out: relative to the current folder when inside it, else relative to the
    // folder argument's parent (or just the file name), so two notebooks never share an output.
    private static string OutputStem(string notebook, string argument, string outDirectory)
    {
        var full = Path.GetFullPath(notebook);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            relative = Directory.Exists(argument)
                ? Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(argument).TrimEnd(Path.DirectorySeparatorChar)) ?? "/", full)
                : Path.GetFileName(notebook);
        }
        return Path.Combine(outDirectory, Path.ChangeExtension(relative, null));
    }
}
