using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Course.Notebooks.Grading;

/// <summary>
/// The processes a graded submission may start, as one unit: the worker makes itself a session leader, so its
/// process group holds it and everything it starts (unless a child leaves the group on purpose); memory is the
/// resident set of that group and of the worker's descendants, read from /proc; stopping kills both.
/// </summary>
internal static partial class ProcessTree
{
    private const int SigKill = 9;

    /// <summary>Called by the worker before any student code: a new session and process group led by this process.</summary>
    public static void BecomeGroupLeader()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = SetSid();
    }

    /// <summary>Kills the worker's process group and process tree; never throws.</summary>
    public static void Kill(Process process)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try { _ = KillSignal(-process.Id, SigKill); } catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { }
    }

    /// <summary>Resident bytes of the worker alone (Linux: /proc/PID/statm, one small read); its working set elsewhere.</summary>
    public static long ResidentBytes(Process process)
    {
        if (OperatingSystem.IsLinux()) return ResidentPages(process.Id) * Environment.SystemPageSize;
        try
        {
            process.Refresh();
            return process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Resident bytes of every other process in the worker's process group or below it (Linux; 0 elsewhere): a scan of
    /// all of /proc, so the grader does it less often than it reads the worker's own memory.
    /// </summary>
    public static long OthersResidentBytes(Process process)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        int root = process.Id;
        var parents = new Dictionary<int, int>();
        var others = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == root) continue;
            if (ReadStat(pid) is not { } stat) continue;
            parents[pid] = stat.Parent;
            if (stat.Group == root) others.Add(pid);
        }
        foreach (var pid in parents.Keys)
            if (IsDescendant(pid, root, parents)) others.Add(pid);
        return others.Sum(pid => ResidentPages(pid)) * Environment.SystemPageSize;
    }

    private static bool IsDescendant(int pid, int root, Dictionary<int, int> parents)
    {
        for (int depth = 0; depth < 64 && parents.TryGetValue(pid, out var parent) && parent > 1; depth++)
        {
            if (parent == root) return true;
            pid = parent;
        }
        return false;
    }

    // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses, so split after the last ')'.
    private static (int Parent, int Group)? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null; // the process ended while we looked
        }
    }

    // /proc/PID/statm: "size resident shared ..." in pages.
    private static long ResidentPages(int pid)
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "setsid")]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int KillSignal(int pid, int signal);
}
