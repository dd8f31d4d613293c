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
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (the CI script does)");
        var dir = TestNotebooks.TempDirectory();
        var notebookPath = Path.Combine(dir, "chart.ipynb");
        File.Copy(RepoPaths.TestAsset("chart.ipynb"), notebookPath);
        var notebook = NotebookFile.Read(notebookPath);
        var result = await NotebookRunner.RunAsync(notebook, notebookPath, new RunOptions());
        Assert.True(result.Succeeded, result.Error);

        var assets = WebAssets.Locate(RepoPaths.Root);
        Assert.Null(assets.Warning);
        var page = Path.Combine(dir, "chart.html");
        NotebookHtmlWriter.Write(notebook, NotebookHtmlWriter.TitleOf(notebook, "chart"), assets, page);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var tab = await browser.NewPageAsync();
        var problems = new List<string>();
        tab.Console += (_, message) => { if (message.Type == "error") problems.Add($"console: {message.Text}"); };
        tab.PageError += (_, error) => problems.Add($"page error: {error}");
        tab.Request += (_, request) => { if (!request.Url.StartsWith("file:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)) problems.Add($"network: {request.Url}"); };

        await tab.GotoAsync(new Uri(page).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await tab.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.course-chart')].every(c => c.querySelector('svg.main-svg'))",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });

        var charts = await tab.EvaluateAsync<int[]>("() => [...document.querySelectorAll('.course-chart')].map(c => c.querySelectorAll('svg').length)");
        Assert.Equal(2, charts.Length);
        Assert.All(charts, svgs => Assert.True(svgs > 0));
        Assert.True(await tab.EvaluateAsync<int>("() => document.querySelectorAll('.katex').length") >= 2, "KaTeX did not render the math");
        Assert.Equal(0, await tab.EvaluateAsync<int>("() => document.querySelectorAll('.katex-error').length"));
        Assert.Contains("cost: $5 and $6", await tab.InnerTextAsync("pre.stream"));
        Assert.Empty(problems);
    }
}
