using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Course.Notebooks.Cli;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>The kernelspec as Jupyter reads it, written by `kernel install --prefix` and removed by `kernel uninstall`.</summary>
public class KernelSpecTests
{
    [Fact]
    public async Task Install_writes_kernel_json_with_connection_file_and_logos_and_uninstall_removes_it()
    {
        var prefix = TestNotebooks.TempDirectory();
        Assert.Equal(0, await Cli(["kernel", "install", "--prefix", prefix]));
        var folder = Path.Combine(prefix, "share", "jupyter", "kernels", KernelSpec.Name);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;
        var argv = json["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("{connection_file}", argv);
        Assert.True(File.Exists(argv[1]), $"argv names {argv[1]}, which does not exist");
        Assert.Equal(["kernel", "start"], argv.Skip(2).Take(2));
        Assert.Equal(KernelSpec.DisplayName, json["display_name"]!.GetValue<string>());
        Assert.Equal("csharp", json["language"]!.GetValue<string>());
        Assert.Equal("message", json["interrupt_mode"]!.GetValue<string>());

        foreach (var size in new[] { 32, 64 })
        {
            var png = File.ReadAllBytes(Path.Combine(folder, $"logo-{size}x{size}.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
            Assert.Equal((size, size), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        }
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));

        Assert.Equal(0, await Cli(["kernel", "uninstall", "--prefix", prefix]));
        Assert.False(Directory.Exists(folder));
        Assert.Equal(1, await Cli(["kernel", "uninstall", "--prefix", prefix]));
    }

    [Fact]
    public void Notebooks_created_by_the_model_name_this_kernelspec()
    {
        var spec = Course.Notebooks.Model.Notebook.CreateCSharp().Metadata["kernelspec"]!;
        Assert.Equal(KernelSpec.Name, spec["name"]!.GetValue<string>());
        Assert.Equal(KernelSpec.DisplayName, spec["display_name"]!.GetValue<string>());
    }

    private static Task<int> Cli(string[] args)
    {
        var root = new System.CommandLine.RootCommand { KernelCommand.Create() };
        return root.Parse(args).InvokeAsync();
    }
}
