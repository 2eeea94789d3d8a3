using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace WebRtcChat.Bench;

/// <summary>
/// Call set-up, from the visitor's Answer to a decoded frame of video on both sides, through WebRtcChat and coturn
/// with relay only; against two pages that exchange SDP through the bench alone, over the same coturn, started at
/// the same moment. One of each per run, in alternating order.
/// </summary>
internal static class CallFigure
{
    public const string Name = "call";

    // A frame is decoded and ready to show: the same test on both kinds of page.
    private const string FrameShown = "selector => { const v = document.querySelector(selector); return !!v && v.readyState >= 2 && v.videoWidth > 0; }";

    // A name that never resolves: the page is fulfilled by the bench (Playwright's routing), so nothing leaves the machine.
    private const string DirectUrl = "https://direct-call.invalid/";

    private static readonly string[] Sides = ["caller", "callee"];

    public static async Task RunAsync(BenchContext bench, int run)
    {
        await using var server = await RunningServer.StartAsync(() => bench.ProductPlan(withTurn: true));
        var host = await bench.Browser.NewContextAsync();
        try
        {
            var console = await host.NewPageAsync();
            await console.GotoAsync(server.Plan.Page + Subjects.ConsolePath.TrimStart('/'));
            await console.GetByRole(AriaRole.Heading, new() { Name = "Waiting visitors" }).WaitForAsync();
            double product = 0, direct = 0;
            foreach (var kind in run % 2 == 0 ? new[] { "product", "direct" } : ["direct", "product"])
            {
                var time = kind == "product" ? await ThroughProductAsync(bench.Browser, server.Plan.Page, console, $"Caller {run}") : await DirectAsync(bench);
                bench.Results.Add($"call.{kind}.ms", time.TotalMilliseconds);
                (product, direct) = kind == "product" ? (time.TotalMilliseconds, direct) : (product, time.TotalMilliseconds);
            }

            bench.Results.AddRatio("call.ratio", product, direct);
        }
        finally
        {
            await host.CloseAsync();
        }
    }

    /// <summary>A visitor waits, the host calls; timed from Answer. The host hangs up after.</summary>
    public static async Task<TimeSpan> ThroughProductAsync(Browser browser, Uri server, IPage console, string name, bool hangUp = true)
    {
        var visitor = await browser.WaitingVisitorAsync(server, name);
        var page = visitor.Pages[0];
        await console.GetByRole(AriaRole.Button, new() { Name = $"Call {name}" }).ClickAsync();
        var answer = page.GetByRole(AriaRole.Button, new() { Name = "Answer" });
        await answer.WaitForAsync();
        var clock = Stopwatch.StartNew();
        await answer.ClickAsync();
        await Task.WhenAll(FrameShownAsync(console, "video.remote-video"), FrameShownAsync(page, "video.remote-video"));
        var time = clock.Elapsed;
        if (hangUp)
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
            await console.Locator("video.remote-video").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await visitor.CloseAsync();
        }

        return time;
    }

    /// <summary>Two pages, a caller and a callee, started at once; their messages pass through the bench in order.</summary>
    private static async Task<TimeSpan> DirectAsync(BenchContext bench)
    {
        var html = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "direct-call.html"));
        var contexts = new List<IBrowserContext>();
        try
        {
            var pages = new List<IPage>();
            for (var i = 0; i < 2; i++)
            {
                var context = await bench.Browser.NewContextAsync();
                contexts.Add(context);
                await context.RouteAsync(DirectUrl, route => route.FulfillAsync(new() { ContentType = "text/html", Body = html }));
                pages.Add(await context.NewPageAsync());
            }

            for (var i = 0; i < 2; i++)
            {
                var other = pages[1 - i];
                var forwarded = Task.CompletedTask; // one message after another, in order
                var gate = new Lock();
                await pages[i].ExposeFunctionAsync("benchSignal", (string message) =>
                {
                    lock (gate)
                    {
                        forwarded = forwarded.ContinueWith(_ => other.EvaluateAsync("m => window.bench.receive(m)", message), TaskScheduler.Default).Unwrap();
                    }
                });
                await pages[i].GotoAsync(DirectUrl);
            }

            var ice = Sides.Select(name =>
            {
                var (username, credential) = bench.Turn.Credentials(name);
                return JsonSerializer.Serialize(new[] { new { urls = bench.Turn.Setup.Url, username, credential } });
            }).ToArray();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(
                pages[0].EvaluateAsync("([ice, caller]) => window.bench.start(JSON.parse(ice), caller)", new object[] { ice[0], true }),
                pages[1].EvaluateAsync("([ice, caller]) => window.bench.start(JSON.parse(ice), caller)", new object[] { ice[1], false }));
            await Task.WhenAll(FrameShownAsync(pages[0], "#remote"), FrameShownAsync(pages[1], "#remote"));
            var time = clock.Elapsed;
            foreach (var page in pages)
            {
                await page.EvaluateAsync("() => window.bench.stop()");
            }

            return time;
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }
        }
    }

    private static async Task FrameShownAsync(IPage page, string selector) =>
        await page.WaitForFunctionAsync(FrameShown, selector, new() { PollingInterval = 10, Timeout = 60_000 });
}
