namespace Course.Notebooks.Grading;

/// <summary>
/// A private, read-only copy of a <see cref="CourseLayout"/>, made once per grading batch; each submission's working
/// folder links to it. Student code therefore never runs against the instructor's own files, and a change to the
/// copy (a submission that makes a file writable again and edits it) is seen afterwards by <see cref="Changes"/>
/// (size and modification time of every file, and the set of files), so the next submission gets a fresh copy.
/// </summary>
internal sealed class Staging
{
    private readonly CourseLayout _layout;
    private readonly string _directory;
    private Dictionary<string, (long Size, DateTime Modified)> _snapshot = new(StringComparer.Ordinal);

    public Staging(CourseLayout layout, string directory)
    {
        _layout = layout;
        _directory = directory;
        Build();
    }

    /// <summary>The copied files, as the library copies them.</summary>
    public int FileCount => _snapshot.Count;

    /// <summary>Files changed, added or removed since the copy was made; empty when it is intact.</summary>
    public IReadOnlyList<string> Changes()
    {
        var now = Scan();
        var changed = _snapshot.Keys.Where(k => !now.TryGetValue(k, out var v) || v != _snapshot[k])
            .Concat(now.Keys.Where(k => !_snapshot.ContainsKey(k)))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        return changed;
    }

    /// <summary>Discards the copy and makes it again from the instructor's files.</summary>
    public void Rebuild()
    {
        Delete(_directory);
        Build();
    }

    /// <summary>
    /// Lays out a submission's folder: the notebook's folder as a real directory, everything else of the copy
    /// linked in at its relative place. Returns the folder the notebook goes in.
    /// </summary>
    public string LinkInto(string workRoot)
    {
        var path = _layout.NotebookFolder.Length == 0 ? [] : _layout.NotebookFolder.Split('/');
        Link(_directory, workRoot, path);
        var notebookFolder = Path.Combine([workRoot, .. path]);
        Directory.CreateDirectory(notebookFolder);
        return notebookFolder;
    }

    private static void Link(string source, string target, string[] open)
    {
        Directory.CreateDirectory(target);
        if (!Directory.Exists(source)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(source))
        {
            var name = Path.GetFileName(entry);
            var link = Path.Combine(target, name);
            if (open.Length > 0 && name == open[0] && Directory.Exists(entry)) Link(entry, link, open[1..]);
            else if (Directory.Exists(entry)) Directory.CreateSymbolicLink(link, entry);
            else File.CreateSymbolicLink(link, entry);
        }
    }

    private void Build()
    {
        Directory.CreateDirectory(_directory);
        foreach (var (source, relative) in _layout.Files())
        {
            var target = Path.Combine(_directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        SetReadOnly(_directory, true);
        _snapshot = Scan();
    }

    private Dictionary<string, (long, DateTime)> Scan()
    {
        var files = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        if (!Directory.Exists(_directory)) return files;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var file in new DirectoryInfo(_directory).EnumerateFileSystemInfos("*", options))
            files[CourseLayout.Relative(_directory, file.FullName)] = file is FileInfo f ? (f.Length, f.LastWriteTimeUtc) : (-1, default);
        return files;
    }

    /// <summary>Read-only files and folders (Unix permissions; elsewhere the read-only attribute on files).</summary>
    private static void SetReadOnly(string directory, bool readOnly)
    {
        if (!Directory.Exists(directory)) return;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        var all = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options).Append(new DirectoryInfo(directory)).ToList();
        // Files first, then folders deepest first: a folder made read-only first would refuse changes inside it.
        foreach (var info in all.OrderBy(i => i is DirectoryInfo).ThenByDescending(i => i.FullName.Length))
        {
            if (OperatingSystem.IsWindows())
            {
                if (info is FileInfo file) file.IsReadOnly = readOnly;
                continue;
            }
            var mode = info is DirectoryInfo
                ? (readOnly ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)
                : (readOnly ? UnixFileMode.UserRead : UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var group = info is DirectoryInfo ? UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            File.SetUnixFileMode(info.FullName, mode | group);
        }
    }

    /// <summary>Deletes a folder made read-only here, and a submission's folder whatever it made read-only; links are removed, not followed.</summary>
    public static void Delete(string directory)
    {
        if (!Directory.Exists(directory)) return;
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            MakeDeletable(directory);
            Directory.Delete(directory, recursive: true);
        }
    }

    // Writable folders (and files, on Windows), top down, without following links out of the tree: a submission may
    // have left a folder unreadable.
    private static void MakeDeletable(string directory)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var child in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (child.Attributes.HasFlag(FileAttributes.ReparsePoint)) continue;
                if (child is DirectoryInfo folder) MakeDeletable(folder.FullName);
                else if (OperatingSystem.IsWindows()) ((FileInfo)child).IsReadOnly = false;
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Directory.Delete reports what is still in the way.
        }
    }
}
