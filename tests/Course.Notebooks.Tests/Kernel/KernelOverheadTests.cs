using System.Diagnostics;
using System.Globalization;
using Course.Notebooks.Execution;
using Xunit.Abstractions;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>
/// Many small cells through the kernel, beside the same cells run on the execution core directly: results must be
/// right; the timings are printed (the kernel's own per-cell cost is the difference), never asserted.
/// </summary>
[Collection(InProcessKernelCollection.Name)]
public class KernelOverheadTests(ITestOutputHelper output)
{
    private const int Cells = 30;

    [Fact]
    public async Task Small_cells_give_their_results_in_order_and_report_the_kernels_own_cost()
    {
        await using var h = await KernelHarness.StartAsync();
        await h.ExecuteAsync("var total = 0;");
        var kernelClock = Stopwatch.StartNew();
        for (int i = 1; i <= Cells; i++)
        {
            var (reply, iopub) = await h.ExecuteAsync($"total += {i}; total");
            Assert.Equal(i + 1, reply.Content["execution_count"]!.GetValue<int>());
            Assert.Equal((i * (i + 1) / 2).ToString(CultureInfo.InvariantCulture),
                iopub.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
        }
        var perKernelCell = kernelClock.Elapsed / Cells;

        var session = new NotebookSession(new SessionOptions("direct", h.Directory));
        await session.ExecuteAsync("var total = 0;", "cell 0", _ => { });
        var coreClock = Stopwatch.StartNew();
        for (int i = 1; i <= Cells; i++)
            Assert.True((await session.ExecuteAsync($"total += {i}; total", $"cell {i}", _ => { })).Succeeded);
        var perCoreCell = coreClock.Elapsed / Cells;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per cell: kernel round trip {perKernelCell.TotalMilliseconds:0.0} ms, execution core alone {perCoreCell.TotalMilliseconds:0.0} ms, kernel overhead {(perKernelCell - perCoreCell).TotalMilliseconds:0.0} ms"));
    }
}
