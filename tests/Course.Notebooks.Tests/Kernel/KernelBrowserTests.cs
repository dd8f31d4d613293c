using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Course.Notebooks.Kernel;
using Course.Notebooks.Model;
using Microsoft.Playwright;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>Runs only where Debian's jupyter-notebook and chromium are installed.</summary>
public sealed class JupyterNotebookFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";
    public static readonly string? Server = new[] { "/usr/bin/jupyter-notebook", "/usr/local/bin/jupyter-notebook" }.FirstOrDefault(File.Exists);

    public JupyterNotebookFactAttribute()
    {
        if (Server is null) Skip = "jupyter-notebook not found: apt-get install -y jupyter-notebook";
        else if (!File.Exists(Chromium)) Skip = $"{Chromium} not found: apt-get install -y chromium";
    }
}

/// <summary>
/// A real front end in a real browser: Debian's Jupyter Notebook server on localhost with our installed kernelspec,
/// driven in headless Chromium, offline: the first chart brings plotly.js itself (next to the page's require.js).
/// </summary>
public class KernelBrowserTests
{
    [JupyterNotebookFact]
    public async Task Notebook_in_a_browser_runs_all_cells_draws_a_chart_and_an_image_grid_and_interrupts_a_long_cell()
    {
        var root = TestNotebooks.TempDirectory();
        var prefix = Path.Combine(root, "prefix");
        var specDirectory = KernelSpec.Install(KernelSpec.KernelsDirectory(user: false, prefix));
        // The kernel logs its messages into the server's log, which a failure prints.
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(specDirectory, "kernel.json")))!;
        spec["argv"]!.AsArray().Add("--verbose");
        File.WriteAllText(Path.Combine(specDirectory, "kernel.json"), spec.ToJsonString());
        var lib = Path.Combine(RepoPaths.Root, "artifacts", "lib");
        Assert.True(File.Exists(Path.Combine(lib, "Course.Lab.dll")), $"{lib}/Course.Lab.dll is missing: build lib/Course.Lab first");

        var notebook = Notebook.CreateCSharp(
            Cell.Code($"#r \"{Path.Combine(lib, "TorchSharp.dll")}\"\n#r \"{Path.Combine(lib, "Course.Lab.dll")}\"\nusing Course.Lab;\nusing Plotly.NET.CSharp;"),
            Cell.Code("Chart.Line<int, double, string>(new[] { 1, 2, 3 }, Plots.Linspace(3, 2, 3), Name: \"loss\")"),
            Cell.Code("ImageGrid.FromImage(Enumerable.Range(0, 64).Select(i => i / 64f).ToArray(), 8, 8)"));
        NotebookFile.Write(notebook, Path.Combine(root, "browser.ipynb"));

        int port = FreePort();
        var start = new ProcessStartInfo(JupyterNotebookFactAttribute.Server!)
        {
            WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--no-browser", "--allow-root", $"--port={port}", "--ip=127.0.0.1", "--NotebookApp.token=", "--NotebookApp.password=", "--ServerApp.token=", $"--notebook-dir={root}" })
            start.ArgumentList.Add(a);
        start.Environment["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter");
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime");
        start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(root, "config");
        start.Environment["JUPYTER_DATA_DIR"] = Path.Combine(root, "data");
        using var server = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var console = new List<string>();
        IPage? page = null;
        try
        {
            await WaitForServerAsync(port, log);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = JupyterNotebookFactAttribute.Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var tab = page = await browser.NewPageAsync();
            tab.Console += (_, m) => { lock (console) console.Add($"{m.Type}: {m.Text}"); };
            tab.PageError += (_, e) => { lock (console) console.Add($"page error: {e}"); };
            var frames = new List<string>();
            tab.WebSocket += (_, ws) =>
            {
                ws.FrameReceived += (_, f) => { lock (frames) frames.Add("in  " + (f.Text ?? "").Replace("\n", " ")[..Math.Min(220, (f.Text ?? "").Length)]); };
                ws.FrameSent += (_, f) => { lock (frames) frames.Add("out " + (f.Text ?? "").Replace("\n", " ")[..Math.Min(220, (f.Text ?? "").Length)]); };
                ws.Close += (_, _) => { lock (frames) frames.Add("websocket closed"); };
            };
            await tab.RouteAsync("**/*", async route =>
            {
                var url = route.Request.Url;
                if (url.StartsWith($"http://127.0.0.1:{port}/", StringComparison.Ordinal) || url.StartsWith("ws://", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal))
                    await route.ContinueAsync();
                else
                    await route.AbortAsync();
            });
            var wait = new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 200 };
            await tab.GotoAsync($"http://127.0.0.1:{port}/notebooks/browser.ipynb");
            await tab.WaitForFunctionAsync("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()", null, wait);
            Assert.Equal("course-csharp", await tab.EvaluateAsync<string>("() => Jupyter.notebook.kernel.name"));

            await tab.EvaluateAsync("() => Jupyter.notebook.execute_all_cells()");
            await tab.WaitForFunctionAsync("() => document.querySelector('.course-chart svg.main-svg') && document.querySelector('.output_area img')", null, wait);
            var errors = await tab.EvaluateAsync<int>("() => document.querySelectorAll('.output_error').length");
            Assert.Equal(0, errors);

            // A long cell, then Kernel > Interrupt: control comes back and the kernel keeps its state.
            await tab.EvaluateAsync("""
                () => {
                  const nb = Jupyter.notebook;
                  const long = nb.insert_cell_at_bottom('code');
                  long.set_text('var kept = 6;\nwhile (true) { CancellationToken.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(10); }');
                  long.execute();
                }
                """);
            await tab.WaitForFunctionAsync("() => Jupyter.notebook.kernel_busy", null, wait);
            await Task.Delay(500);
            await tab.EvaluateAsync("() => Jupyter.notebook.kernel.interrupt()");
            await tab.WaitForFunctionAsync("() => [...document.querySelectorAll('.output_error')].some(e => e.innerText.includes('KeyboardInterrupt'))", null, wait);
            try
            {
                await tab.WaitForFunctionAsync("() => !Jupyter.notebook.kernel_busy", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            }
            catch (TimeoutException)
            {
                lock (frames) Assert.Fail("still busy after the interrupt; websocket frames:\n" + string.Join("\n", frames.TakeLast(40)));
            }
            await tab.EvaluateAsync("""
                () => {
                  const cell = Jupyter.notebook.insert_cell_at_bottom('code');
                  cell.set_text('kept * 7');
                  cell.execute();
                }
                """);
            try
            {
                await tab.WaitForFunctionAsync("() => [...document.querySelectorAll('.output_result')].some(e => e.innerText.trim() === '42')", null, wait);
            }
            catch (TimeoutException)
            {
                var outputs = await tab.EvaluateAsync<string>("() => [...document.querySelectorAll('.cell')].map(c => c.innerText.slice(0, 300)).join('\\n---\\n')");
                Assert.Fail($"the cell after the interrupt gave no result; cells:\n{outputs}");
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            string text, state = "";
            lock (log) text = log.ToString();
            try
            {
                if (page is not null)
                    state = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('.output_area')].map(o => o.innerHTML.slice(0, 300)).join('\\n---\\n')");
            }
            catch (PlaywrightException p)
            {
                state = p.Message;
            }
            throw new Exception($"{e.Message}\npage: {state}\nconsole:\n{string.Join("\n", console)}\nserver log:\n{text}", e);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(10_000);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForServerAsync(int port, System.Text.StringBuilder log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{port}/api/kernelspecs");
                if (response.IsSuccessStatusCode)
                {
                    var specs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    Assert.True(specs["kernelspecs"]?[KernelSpec.Name] is not null, $"the server does not list {KernelSpec.Name}: {specs.ToJsonString()}");
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        lock (log) throw new TimeoutException($"jupyter-notebook did not answer on port {port} within 60 s:\n{log}");
    }
}
