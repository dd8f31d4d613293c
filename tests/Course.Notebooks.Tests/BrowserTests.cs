using Course.Notebooks.Execution;
using Course.Notebooks.Html;
using Course.Notebooks.Model;
using Microsoft.Playwright;

namespace Course.Notebooks.Tests;

/// <summary>The HTML page of an executed notebook, opened in Debian's headless Chromium (never a downloaded browser).</summary>
public class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Chart_page_draws_an_svg_in_every_chart_renders_math_and_logs_no_errors()
    {
        var dir = TestNotebooks.TempDirectory();
        var notebookPath = Path.Combine(dir, "chart.ipynb");
        File.Copy(RepoPaths.TestAsset("chart.ipynb"), notebookPath);
        var notebook = NotebookFile.Read(notebookPath);
        var result = await NotebookRunner.RunAsync(notebook, notebookPath, new RunOptions());
        Assert.True(result.Succeeded, result.Error);

        await using var page = await OfflinePage.OpenAsync(WritePage(notebook, Path.Combine(dir, "chart.html")));
        var charts = await page.Tab.EvaluateAsync<int[]>("() => [...document.querySelectorAll('.course-chart')].map(c => c.querySelectorAll('svg').length)");
        Assert.Equal(2, charts.Length);
        Assert.All(charts, svgs => Assert.True(svgs > 0));
        Assert.True(await page.Tab.EvaluateAsync<int>("() => document.querySelectorAll('.katex').length") >= 2, "KaTeX did not render the math");
        Assert.Equal(0, await page.Tab.EvaluateAsync<int>("() => document.querySelectorAll('.katex-error').length"));
        Assert.Contains("cost: $5 and $6", await page.Tab.InnerTextAsync("pre.stream"));
        Assert.Empty(page.Problems);
    }

    // Every Plotly.NET chart of a course notebook, as its HTML page shows it with no network: one drawn plot per chart.
    [Theory]
    [Trait("Category", "CourseNotebooks")]
    [CourseNotebooks]
    public async Task Course_notebook_page_draws_every_chart_offline(string notebook)
    {
        var (result, executed) = await CourseNotebooks.RunInTestModeAsync(notebook);
        Assert.True(result.Succeeded, result.Error);
        int charts = executed.Cells.SelectMany(c => c.Outputs).OfType<RichOutput>().Count(o => o.Data.ContainsKey("application/vnd.plotly.v1+json"));

        var html = WritePage(executed, Path.Combine(TestNotebooks.TempDirectory(), Path.GetFileNameWithoutExtension(notebook) + ".html"));
        await using var page = await OfflinePage.OpenAsync(html);
        Assert.Equal(charts, await page.Tab.EvaluateAsync<int>("() => document.querySelectorAll('.course-chart').length"));
        var undrawn = await page.Tab.EvaluateAsync<int>("() => [...document.querySelectorAll('.course-chart')].filter(c => !c.querySelector('svg.main-svg')).length");
        Assert.True(undrawn == 0, $"{notebook}: {undrawn} of {charts} charts drew no svg");
        Assert.True(page.Problems.Count == 0, $"{notebook}:\n{string.Join("\n", page.Problems)}");
    }

    private static string WritePage(Notebook notebook, string path)
    {
        var assets = WebAssets.Locate(RepoPaths.Root);
        Assert.Null(assets.Warning);
        NotebookHtmlWriter.Write(notebook, NotebookHtmlWriter.TitleOf(notebook, Path.GetFileNameWithoutExtension(path)), assets, path);
        return path;
    }

    /// <summary>A page opened from disk in headless Chromium, every request off the machine refused and recorded.</summary>
    private sealed class OfflinePage : IAsyncDisposable
    {
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        public IPage Tab { get; private set; } = null!;

        /// <summary>Console errors, page errors and network requests, in order.</summary>
        public List<string> Problems { get; } = [];

        public static async Task<OfflinePage> OpenAsync(string path)
        {
            Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (the CI script does)");
            var page = new OfflinePage { _playwright = await Playwright.CreateAsync() };
            page._browser = await page._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var tab = page.Tab = await page._browser.NewPageAsync();
            tab.Console += (_, message) => { if (message.Type == "error") lock (page.Problems) page.Problems.Add($"console: {message.Text}"); };
            tab.PageError += (_, error) => { lock (page.Problems) page.Problems.Add($"page error: {error}"); };
            await tab.RouteAsync("**/*", async route =>
            {
                var url = route.Request.Url;
                if (url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal))
                {
                    await route.ContinueAsync();
                    return;
                }
                lock (page.Problems) page.Problems.Add($"network: {url}");
                await route.AbortAsync();
            });
            await tab.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
            try
            {
                await tab.WaitForFunctionAsync(
                    "() => [...document.querySelectorAll('.course-chart')].every(c => c.querySelector('svg.main-svg'))",
                    null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            }
            catch (TimeoutException)
            {
                // The caller's assertions say which charts did not draw.
            }
            return page;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
