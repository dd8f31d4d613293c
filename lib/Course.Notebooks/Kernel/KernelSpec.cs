using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Shared;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The kernelspec "course-csharp" ("C# (Course)"): kernel.json and logos in Jupyter's standard kernels folder, so
/// VS Code, JupyterLab and nbclient find the kernel. argv runs this very assembly with dotnet, no rebuild.
/// </summary>
public static class KernelSpec
{
    public const string Name = "course-csharp";
    public const string DisplayName = "C# (Course)";

    /// <summary>Where kernelspecs go: --prefix DIR, the user's folder, or the system-wide one.</summary>
    public static string KernelsDirectory(bool user, string? prefix)
    {
        if (prefix is not null) return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        if (!user)
            return OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "jupyter", "kernels")
                : "/usr/local/share/jupyter/kernels";
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter", "kernels");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter", "kernels");
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "share");
        return Path.Combine(dataHome, "jupyter", "kernels");
    }

    /// <summary>The command line Jupyter runs: dotnet &lt;this assembly&gt; kernel start --connection-file {connection_file}.</summary>
    public static IReadOnlyList<string> Argv()
    {
        var assembly = typeof(KernelSpec).Assembly.Location;
        if (string.IsNullOrEmpty(assembly)) throw new InvalidOperationException("cannot locate Course.Notebooks.dll (single-file publish is not supported for the kernel)");
        return [DotnetHost(), Path.GetFullPath(assembly), "kernel", "start", "--connection-file", "{connection_file}"];
    }

    /// <summary>A notebook's metadata.kernelspec naming this kernel, so VS Code and JupyterLab pick it without asking.</summary>
    public static JsonObject NotebookKernelspec() => new()
    {
        ["display_name"] = DisplayName,
        ["language"] = "csharp",
        ["name"] = Name,
    };

    /// <summary>language_info as kernel_info_reply reports it and as notebooks store it.</summary>
    public static JsonObject LanguageInfo() => new()
    {
        ["name"] = "csharp",
        ["version"] = "14.0",
        ["mimetype"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["pygments_lexer"] = "csharp",
        ["codemirror_mode"] = "text/x-csharp",
    };

    public static JsonObject KernelJson() => new()
    {
        ["argv"] = new JsonArray(Argv().Select(a => (JsonNode)a).ToArray()),
        ["display_name"] = DisplayName,
        ["language"] = "csharp",
        ["interrupt_mode"] = "message", // works on Windows too; SIGINT is handled as well
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>Writes kernel.json and the logos into &lt;kernels&gt;/course-csharp (replacing an earlier install); returns that folder.</summary>
    public static string Install(string kernelsDirectory)
    {
        var target = Path.Combine(kernelsDirectory, Name);
        Directory.CreateDirectory(target);
        AtomicFile.WriteAllBytes(Path.Combine(target, "kernel.json"), System.Text.Encoding.UTF8.GetBytes(
            KernelJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        AtomicFile.WriteAllBytes(Path.Combine(target, "logo-32x32.png"), KernelLogo.Png(32));
        AtomicFile.WriteAllBytes(Path.Combine(target, "logo-64x64.png"), KernelLogo.Png(64));
        return target;
    }

    /// <summary>Removes &lt;kernels&gt;/course-csharp; false when it was not installed there.</summary>
    public static bool Uninstall(string kernelsDirectory)
    {
        var target = Path.Combine(kernelsDirectory, Name);
        if (!Directory.Exists(target)) return false;
        Directory.Delete(target, recursive: true);
        return true;
    }

    /// <summary>Every place this kernelspec is installed (user, system, JUPYTER_PATH), with its argv.</summary>
    public static IReadOnlyList<(string Directory, string Command)> Installed()
    {
        var roots = new List<string>();
        foreach (var entry in (Environment.GetEnvironmentVariable("JUPYTER_PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            roots.Add(Path.Combine(entry, "kernels"));
        roots.Add(KernelsDirectory(user: true, prefix: null));
        roots.Add(KernelsDirectory(user: false, prefix: null));
        if (!OperatingSystem.IsWindows()) roots.Add("/usr/share/jupyter/kernels");
        var found = new List<(string, string)>();
        foreach (var root in roots.Distinct())
        {
            var json = Path.Combine(root, Name, "kernel.json");
            if (!File.Exists(json)) continue;
            string command;
            try
            {
                command = string.Join(' ', JsonNode.Parse(File.ReadAllText(json))!["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
            {
                command = $"(unreadable kernel.json: {e.Message})";
            }
            found.Add((Path.GetDirectoryName(json)!, command));
        }
        return found;
    }

    // dotnet itself when it runs us; else the host of the runtime we run on (dotnet run starts the apphost).
    internal static string DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } process && Path.GetFileName(process).Equals(exe, StringComparison.OrdinalIgnoreCase)) return process;
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/ -> .../dotnet/dotnet
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        if (root is not null && File.Exists(Path.Combine(root, exe))) return Path.Combine(root, exe);
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot && File.Exists(Path.Combine(dotnetRoot, exe)))
            return Path.Combine(dotnetRoot, exe);
        return exe; // from PATH
    }
}
