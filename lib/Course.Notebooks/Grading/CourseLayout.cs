using System.Text.RegularExpressions;
using Course.Notebooks.Model;

namespace Course.Notebooks.Grading;

/// <summary>
/// What an exercise needs beside it to run, as paths relative to one root folder: the folders of the libraries its
/// cells <c>#r</c> (each with everything in it: a library's dependencies sit beside it), the files it <c>#load</c>s,
/// and the course's <c>data/</c> folder. Notebooks are never part of it. The grader copies these into each
/// submission's sandbox and the Gradescope package, at the same relative places, so a notebook's relative paths
/// (<c>../../artifacts/lib/Course.Lab.dll</c>) and the library's search for <c>data/</c> work there unchanged,
/// whatever library the notebook loads.
/// </summary>
public sealed partial class CourseLayout
{
    public const string DataFolder = "data";

    private CourseLayout(string root, string notebookFolder, IReadOnlyList<string> entries)
    {
        Root = root;
        NotebookFolder = notebookFolder;
        Entries = entries;
    }

    /// <summary>The folder the paths below are relative to: the nearest common ancestor of the notebook and what it loads.</summary>
    public string Root { get; }

    /// <summary>The notebook's folder relative to <see cref="Root"/> ("" or e.g. "notebooks/exercises", with '/').</summary>
    public string NotebookFolder { get; }

    /// <summary>Folders and files to provide, relative to <see cref="Root"/> with '/', none inside another.</summary>
    public IReadOnlyList<string> Entries { get; }

    public static CourseLayout For(Exercise exercise)
    {
        var notebookDirectory = Path.GetDirectoryName(Path.GetFullPath(exercise.Path))!;
        var needed = new List<string>();
        for (int i = 0; i < exercise.Notebook.Cells.Count; i++)
        {
            var cell = exercise.Notebook.Cells[i];
            if (cell.Type != CellType.Code) continue;
            foreach (Match m in Directive().Matches(cell.Source))
            {
                var target = m.Groups["path"].Value;
                if (target.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(target)) continue; // nuget:, or a GAC name
                if (Path.IsPathRooted(target)) continue; // an absolute path is the same inside the sandbox
                var full = Path.GetFullPath(Path.Combine(notebookDirectory, target));
                if (!File.Exists(full))
                    throw new ExerciseException($"{exercise.Path}: cell {i + 1}: #{m.Groups["kind"].Value} \"{target}\": {full} does not exist "
                        + "(build the course library first: dotnet build -c Release)");
                needed.Add(m.Groups["kind"].Value == "r" ? Path.GetDirectoryName(full)! : full);
            }
        }
        var root = needed.Aggregate(notebookDirectory, CommonAncestor);
        // The course's data folder, found as the library finds it: walking up from the notebook, within the root.
        for (var dir = new DirectoryInfo(notebookDirectory); dir is not null; dir = dir.Parent)
        {
            var data = Path.Combine(dir.FullName, DataFolder);
            if (Directory.Exists(data))
            {
                needed.Add(data);
                break;
            }
            if (dir.FullName.TrimEnd(Path.DirectorySeparatorChar) == root.TrimEnd(Path.DirectorySeparatorChar)) break;
        }
        var entries = needed.Select(p => Relative(root, p)).Distinct().Order(StringComparer.Ordinal).ToList();
        entries.RemoveAll(e => entries.Any(other => other != e && (e.StartsWith(other + "/", StringComparison.Ordinal) || other.Length == 0)));
        return new CourseLayout(root, Relative(root, notebookDirectory), entries);
    }

    /// <summary>Every file to provide: (full source path, path relative to <see cref="Root"/> with '/'), sorted.</summary>
    public IReadOnlyList<(string Source, string Relative)> Files()
    {
        var files = new List<(string, string)>();
        foreach (var entry in Entries)
        {
            var full = Path.Combine(Root, entry);
            if (File.Exists(full))
            {
                files.Add((full, entry));
                continue;
            }
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
            foreach (var file in Directory.EnumerateFiles(full, "*", options))
            {
                var relative = Relative(Root, file);
                if (IsExcluded(relative)) continue;
                files.Add((file, relative));
            }
        }
        return files.OrderBy(f => f.Item2, StringComparer.Ordinal).ToList();
    }

    // Notebooks stay out (the library folder could be the notebook's own folder, next to the instructor's solutions),
    // and so do editors' checkpoints and half-written temporary files.
    private static bool IsExcluded(string relative) =>
        relative.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)
        || relative.Contains(".ipynb_checkpoints", StringComparison.Ordinal)
        || relative.EndsWith(".tmp", StringComparison.Ordinal);

    internal static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        return relative == "." ? "" : relative;
    }

    private static string CommonAncestor(string a, string b)
    {
        var left = Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
        var right = Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
        int n = 0;
        while (n < left.Length && n < right.Length && left[n] == right[n]) n++;
        var common = string.Join(Path.DirectorySeparatorChar, left[..n]);
        return common.Length == 0 ? Path.GetPathRoot(Path.GetFullPath(a))! : common;
    }

    // #r "path" and #load "path" at the start of a line (C# script directives).
    [GeneratedRegex("""^[ \t]*#(?<kind>r|load)[ \t]+"(?<path>[^"]+)"[ \t]*$""", RegexOptions.Multiline)]
    private static partial Regex Directive();
}
