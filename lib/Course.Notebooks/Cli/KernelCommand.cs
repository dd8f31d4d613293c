using System.CommandLine;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Cli;

/// <summary>kernel install [--user | --prefix DIR] | uninstall | list | start --connection-file FILE</summary>
public static class KernelCommand
{
    public static Command Create()
    {
        var command = new Command("kernel", $"The Jupyter kernel \"{KernelSpec.DisplayName}\" ({KernelSpec.Name}) for VS Code, JupyterLab and nbclient.");
        command.Subcommands.Add(Install());
        command.Subcommands.Add(Uninstall());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Start());
        return command;
    }

    /// <summary>True for `kernel start`, which handles SIGINT as an interrupt rather than a termination.</summary>
    public static bool IsStart(Command command) => command.Name == StartName && command.Parents.OfType<Command>().Any(p => p.Name == "kernel");

    private const string StartName = "start";

    private static (Option<bool> User, Option<string> Prefix) LocationOptions() =>
        (new Option<bool>("--user") { Description = "The current user's Jupyter folder (~/.local/share/jupyter/kernels on Linux)." },
         new Option<string>("--prefix") { Description = "Install under DIR/share/jupyter/kernels (a conda env or a test folder)." });

    private static Command Install()
    {
        var (user, prefix) = LocationOptions();
        var command = new Command("install", "Write the kernelspec so Jupyter front ends list \"C# (Course)\" (system-wide unless --user or --prefix).") { user, prefix };
        command.SetAction(result =>
        {
            var directory = KernelSpec.KernelsDirectory(result.GetValue(user), result.GetValue(prefix));
            try
            {
                var target = KernelSpec.Install(directory);
                Console.Out.WriteLine($"Installed kernelspec {KernelSpec.Name} (\"{KernelSpec.DisplayName}\") in {target}");
                Console.Out.WriteLine($"  {string.Join(' ', KernelSpec.Argv())}");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot install the kernelspec in {directory}: {e.Message} (use --user to install for yourself)");
                return 1;
            }
        });
        return command;
    }

    private static Command Uninstall()
    {
        var (user, prefix) = LocationOptions();
        var command = new Command("uninstall", "Remove the kernelspec.") { user, prefix };
        command.SetAction(result =>
        {
            var directory = KernelSpec.KernelsDirectory(result.GetValue(user), result.GetValue(prefix));
            if (KernelSpec.Uninstall(directory))
            {
                Console.Out.WriteLine($"Removed {Path.Combine(directory, KernelSpec.Name)}");
                return 0;
            }
            Console.Error.WriteLine($"error: {KernelSpec.Name} is not installed in {directory}");
            return 1;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Show where the kernelspec is installed and the command it runs.");
        command.SetAction(_ =>
        {
            var installed = KernelSpec.Installed();
            if (installed.Count == 0) Console.Out.WriteLine($"{KernelSpec.Name} is not installed; run: kernel install");
            foreach (var (directory, argv) in installed) Console.Out.WriteLine($"{KernelSpec.Name}  {directory}\n  {argv}");
            return 0;
        });
        return command;
    }

    private static Command Start()
    {
        var file = new Option<string>("--connection-file", "-f") { Description = "The connection file Jupyter wrote.", Required = true };
        var verbose = new Option<bool>("--verbose") { Description = "Log messages and timings to stderr." };
        var command = new Command(StartName, "Serve a Jupyter session (Jupyter runs this; set COURSE_MODE=test to apply notebooks' test profiles).") { file, verbose };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            try
            {
                var options = KernelOptions.FromEnvironment(result.GetValue(verbose) ? Console.Error : null);
                return await CourseKernel.RunAsync(path, options, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
