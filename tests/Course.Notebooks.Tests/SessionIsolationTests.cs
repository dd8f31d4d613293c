using Course.Notebooks.Execution;

namespace Course.Notebooks.Tests;

/// <summary>
/// Sessions share a process (this test run, several kernels), yet a notebook must give the same numbers alone or
/// beside another: the engine keeps its default random generator per session.
/// </summary>
public class SessionIsolationTests
{
    private static readonly string TorchDll = Path.Combine(RepoPaths.Root, "artifacts", "lib", "Course.Torch.dll");

    private const string Draw =
        "string.Join(\",\", Course.Torch.torch.rand(4).data<float>().ToArray().Select(v => v.ToString(\"R\", System.Globalization.CultureInfo.InvariantCulture)))";

    private static NotebookSession NewSession(string name) => new(new SessionOptions(name, RepoPaths.Notebooks));

    private static async Task<string> Value(NotebookSession session, string code)
    {
        string? text = null;
        var result = await session.ExecuteAsync(code, "cell", e =>
        {
            if (e is ResultEvent r && r.Data.TryGetValue("text/plain", out var t)) text = t;
        });
        Assert.True(result.Succeeded, result.Error?.ToString());
        return text ?? "";
    }

    [Fact]
    public async Task Interleaved_sessions_each_draw_their_own_seeded_sequence()
    {
        Assert.True(File.Exists(TorchDll), $"{TorchDll} is missing: build Course.Lab first");
        var alone = NewSession("alone.ipynb");
        await Value(alone, $"#r \"{TorchDll}\"\nCourse.Torch.torch.manual_seed(7); 0");
        var expected = (await Value(alone, Draw), await Value(alone, Draw));

        var a = NewSession("a.ipynb");
        var b = NewSession("b.ipynb");
        await Value(a, $"#r \"{TorchDll}\"\nCourse.Torch.torch.manual_seed(7); 0");
        await Value(b, $"#r \"{TorchDll}\"\nCourse.Torch.torch.manual_seed(99); 0");
        var a1 = await Value(a, Draw);
        var b1 = await Value(b, Draw); // would advance a's generator if the sessions shared one
        var a2 = await Value(a, Draw);
        Assert.Equal(expected, (a1, a2));
        Assert.NotEqual(a1, b1);
        // A new session starts from the engine's default seed, whatever other sessions did.
        var fresh = NewSession("fresh.ipynb");
        await Value(fresh, $"#r \"{TorchDll}\"\n0");
        var fromDefault = NewSession("default.ipynb");
        await Value(fromDefault, $"#r \"{TorchDll}\"\nCourse.Torch.torch.manual_seed(Course.Torch.torch.initial_seed()); 0");
        Assert.Equal(await Value(fromDefault, Draw), await Value(fresh, Draw));
    }
}
