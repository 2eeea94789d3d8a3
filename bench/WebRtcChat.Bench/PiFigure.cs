using Microsoft.Playwright;

namespace WebRtcChat.Bench;

/// <summary>
/// The server on a Pi-sized budget (<see cref="PiBudget"/>: one CPU, 256 MB) with 50 visitors waiting and one call in
/// progress (relayed by coturn): the visitor page's p50 and p99 meanwhile, the server's peak RSS, and whether it ran
/// out of memory. Chromium is not pinned: on a shared machine, one CPU of its own was too little for 50 pages and a call
/// (a first frame took over a minute), and sharing the server's CPU only makes the figure stricter.
/// </summary>
internal static class PiFigure
{
    public const string Name = "pi";

    public static async Task RunAsync(BenchContext bench)
    {
        var browser = bench.Browser;
        await using var budget = await PiBudget.CreateAsync();
        bench.Results.Note("Pi budget", budget.How);
        var contexts = new List<IBrowserContext>();
        var server = await RunningServer.StartAsync(() => bench.ProductPlan(withTurn: true, budget.Environment), budget.Wrapper);
        try
        {
            var host = await browser.NewContextAsync();
            contexts.Add(host);
            var console = await host.NewPageAsync();
            await console.GotoAsync(server.Plan.Page + Subjects.ConsolePath.TrimStart('/'));
            await console.GetByRole(AriaRole.Heading, new() { Name = "Waiting visitors" }).WaitForAsync();
            for (var i = 0; i < bench.Options.PiVisitors; i++)
            {
                contexts.Add(await browser.WaitingVisitorAsync(server.Plan.Page, $"Waiting {i + 1}"));
            }

            var callSetUp = await CallFigure.ThroughProductAsync(browser, server.Plan.Page, console, "In call", hangUp: false);
            bench.Results.Add("pi.call.ms", callSetUp.TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(5));
            var times = await Http.TimeLoadsAsync(server.Plan.Page, bench.Options.LatencySamples);
            bench.Results.Add("pi.p50", Stats.Percentile(times, 50));
            bench.Results.Add("pi.p99", Stats.Percentile(times, 99));
            var died = server.HasExited || budget.OomKills > 0;
            bench.Results.Add("pi.oom", died ? 1 : 0);
            if (!server.HasExited)
            {
                bench.Results.Add("pi.peakrss", server.PeakRss);
            }

            if (budget.CgroupPeak is { } peak)
            {
                bench.Results.Add("pi.cgrouppeak", peak);
            }
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }

            await server.DisposeAsync();
        }
    }
}
