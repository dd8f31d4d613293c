using System.Runtime.InteropServices;
using Course.Shared;

namespace Course.Bench;

/// <summary>The machine line printed with every table: timings only mean something next to it.</summary>
public static class MachineInfo
{
    public static string Cpu()
    {
        var line = ReadOrNull("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name"));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    public static string LoadAverage() => ReadOrNull("/proc/loadavg")?.Trim() ?? "n/a";

    public static string Line() =>
        $"# CPU: {Cpu()}  cores={Environment.ProcessorCount}  {RuntimeInformation.FrameworkDescription}  " +
        $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)}  threads={get_num_threads()}  " +
        $"native tuning={(NativeTuning.IsApplied ? "on" : "off")}  loadavg: {LoadAverage()}";

    /// <summary>A /proc file's text, or null where there is none (not Linux, or not readable).</summary>
    public static string? ReadOrNull(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
