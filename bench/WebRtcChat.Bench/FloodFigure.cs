namespace WebRtcChat.Bench;

/// <summary>
/// What a flood from a banned address costs: the server's CPU per refused connection against its CPU per served
/// bland 404 (a prober's new TLS connection and one unknown path, from an address it never bans), and the visitor
/// page's p50 and p99 alone and during the flood. The clients share the machine with the server, so the latency
/// under flood includes their own load.
/// </summary>
internal static class FloodFigure
{
    public const string Name = "flood";

    public static async Task RunAsync(BenchContext bench, int run)
    {
        await using var server = await RunningServer.StartAsync(() => bench.ProductPlan());
        var window = bench.Options.FloodWindow;
        await Http.LoadAsync(new Uri(server.Plan.Page, ".env"), Subjects.Banned); // a scanner path: banned at once
        await Task.Delay(500);

        var before = server.Cpu;
        using (var probing = new CancellationTokenSource(window))
        {
            var answered = await Http.ProbeUnknownPathsAsync(Subjects.Prober, server.Plan.Port, probing.Token);
            var perNotFound = (server.Cpu - before).TotalMicroseconds / answered;
            bench.Results.Add("flood.notfound.us", perNotFound);
            bench.Results.Add("flood.notfound.count", answered);

            var alone = await Http.TimeLoadsAsync(server.Plan.Page, bench.Options.LatencySamples);
            bench.Results.Add("flood.alone.p50", Stats.Percentile(alone, 50));
            bench.Results.Add("flood.alone.p99", Stats.Percentile(alone, 99));

            // The flood runs on while the page is timed; its CPU is read over the first window alone.
            using var flooding = new CancellationTokenSource();
            var flood = Task.Run(() => Http.FloodFromAsync(Subjects.Banned, server.Plan.Port, flooding.Token));
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var (cpuStart, countStart) = (server.Cpu, Http.FloodCount);
            await Task.Delay(window);
            var perRefused = (server.Cpu - cpuStart).TotalMicroseconds / (Http.FloodCount - countStart);
            var during = await Http.TimeLoadsAsync(server.Plan.Page, bench.Options.LatencySamples);
            await flooding.CancelAsync();
            bench.Results.Add("flood.refused.count", await flood);
            bench.Results.Add("flood.refused.us", perRefused);
            bench.Results.Add("flood.during.p50", Stats.Percentile(during, 50));
            bench.Results.Add("flood.during.p99", Stats.Percentile(during, 99));
            bench.Results.AddRatio("flood.ratio", perRefused, perNotFound);
            bench.Results.AddRatio("flood.p99ratio", Stats.Percentile(during, 99), Stats.Percentile(alone, 99));
        }
    }
}
