using System.Text;

namespace Course.Shared;

/// <summary>
/// Writes a file through a uniquely named temporary sibling and a rename, so a reader never sees half a file and
/// a failed write leaves the old file as it was. One source compiled into each library (a linked file): the
/// libraries do not reference each other, and this is too small to be a package.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Creates the folder when missing, lets <paramref name="write"/> fill a temporary file, then moves it over
    /// <paramref name="path"/>; on any failure the temporary file is removed and the exception passes on.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
