using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Lab.Tests;

/// <summary>
/// TorchSharp's native side as the course builds it: the wrapper loads on this machine (a load failure fails here
/// with the loader's message), and on a libstdc++ older than GCC 13's the course's copy carries the fix.
/// </summary>
public class NativeLibraryTests
{
    [Fact]
    public void Libtorch_loads_and_trains_a_step()
    {
        var model = nn.Linear(3, 1);
        var optimizer = optim.SGD(model.parameters(), 0.1);
        using var x = ones(4, 3);
        float before = 0, after = 0;
        for (int i = 0; i < 2; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.forward(x).square().mean();
            loss.backward();
            optimizer.step();
            if (i == 0) before = loss.item<float>(); else after = loss.item<float>();
        }
        Assert.True(after < before, $"one SGD step should lower the loss: {before} -> {after}");
        Assert.Equal(DeviceType.CPU, Devices.Best().type);   // no GPU on the course's machines
    }

    [Fact]
    public void The_native_wrapper_fits_this_systems_libstdcxx()
    {
        if (!OperatingSystem.IsLinux()) return;
        var wrapper = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(wrapper), $"{wrapper} is missing");
        var bytes = File.ReadAllBytes(wrapper);
        var systemLib = new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.First(File.Exists);
        bool systemHas332 = Contains(File.ReadAllBytes(systemLib), "GLIBCXX_3.4.32\0");
        // On a system without GCC 13's libstdc++ the build must have patched the course's copy (and only a few bytes
        // of it); on a newer one it must have left the package's file as it was.
        var original = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(original)) return;   // a package cache elsewhere: the load test above still holds
        bool changed = !bytes.AsSpan().SequenceEqual(File.ReadAllBytes(original));
        Assert.Equal(!systemHas332, changed);
        if (changed)
        {
            int differing = 0;
            var o = File.ReadAllBytes(original);
            for (int i = 0; i < o.Length; i++) if (o[i] != bytes[i]) differing++;
            Assert.InRange(differing, 1, 4);   // two 16-bit fields: the symbol's version index and the weak flag
        }
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;
}
