using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Course.Notebooks.Execution;

/// <summary>
/// At run time, loads a missing dependency from the folder of an assembly a notebook referenced with #r, so a
/// library folder such as artifacts/lib works without a deps.json.
/// </summary>
internal static class AssemblyProbing
{
    private static readonly ConcurrentDictionary<string, byte> Directories = new(StringComparer.Ordinal);
    private static int _installed;

    public static void AddDirectory(string directory)
    {
        Directories.TryAdd(directory, 0);
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            AssemblyLoadContext.Default.Resolving += Resolve;
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        foreach (var directory in Directories.Keys)
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
        }
        return null;
    }
}
