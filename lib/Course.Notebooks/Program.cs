using System.CommandLine;
using Course.Notebooks.Cli;

namespace Course.Notebooks;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        // Notebooks train with libtorch in this process: allocator and OpenMP settings before the first tensor (see NativeTuning).
        Course.Shared.NativeTuning.Apply();
        var root = new RootCommand("Course notebooks: run the course's C# notebooks headlessly, release and grade exercises.")
        {
            RunCommand.Create(),
            KernelCommand.Create(),
            ReleaseCommand.Create(),
            GradeCommand.Create(),
            GradeCommand.CreateWorker(),
        };
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration();
        // `kernel start` handles SIGINT itself (Jupyter's signal interrupt mode: stop the cell, keep the kernel);
        // System.CommandLine's own handler would cancel the kernel's token and shut the kernel down instead.
        if (KernelCommand.IsStart(parsed.CommandResult.Command)) configuration.ProcessTerminationTimeout = null;
        return parsed.InvokeAsync(configuration);
    }
}
