using System.Runtime.InteropServices;
using Course.Torch.Kernels;

namespace Course.Torch.Bench;

/// <summary>The machine line printed with every table: timings only mean something next to it.</summary>
public static class MachineInfo
{
    public static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    public static string Line() =>
        $"# CPU: {Cpu()}  cores={Environment.ProcessorCount}  {RuntimeInformation.FrameworkDescription}  " +
        $"gemm={Gemm.KernelDescription} threads={Gemm.MaxThreads}  loadavg: {LoadAverage()}";
}
