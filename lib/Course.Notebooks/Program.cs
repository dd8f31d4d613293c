using System.CommandLine;
using Course.Notebooks.Cli;

namespace Course.Notebooks;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Course notebooks: run the course's C# notebooks headlessly.")
        {
            RunCommand.Create(),
            KernelCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
