namespace WebRtcChat.Bench;

/// <summary>
/// Start-up to the first 200, and the resident set once idle after 50 page loads: WebRtcChat's visitor page against
/// the empty template's home page, started one after the other in alternating order within each run.
/// </summary>
internal static class IdleFigure
{
    public const string Name = "idle";

    /// <summary>One start of each, untimed: the single files are extracted, keys and certificates made.</summary>
    public static async Task WarmUpAsync(BenchContext bench)
    {
        await using (await RunningServer.StartAsync(() => Plan(bench, "product")))
        {
        }

        await using (await RunningServer.StartAsync(() => Plan(bench, "template")))
        {
        }
    }

    public static async Task RunAsync(BenchContext bench, int run)
    {
        var measured = new Dictionary<string, (double StartUp, double Rss)>(StringComparer.Ordinal);
        var order = run % 2 == 0 ? new[] { "product", "template" } : ["template", "product"];
        foreach (var subject in order)
        {
            await using var server = await RunningServer.StartAsync(() => Plan(bench, subject));
            await Http.TimeLoadsAsync(server.Plan.Page, PageLoads);
            await Task.Delay(TimeSpan.FromSeconds(5)); // idle: timers and the GC's own settling
            var rss = await server.SettledRssAsync(TimeSpan.FromSeconds(2));
            measured[subject] = (server.StartUp.TotalMilliseconds, rss);
            bench.Results.Add($"startup.{subject}.ms", server.StartUp.TotalMilliseconds);
            bench.Results.Add($"idle.{subject}.rss", rss);
        }

        bench.Results.AddRatio("startup.ratio", measured["product"].StartUp, measured["template"].StartUp);
        bench.Results.AddRatio("idle.ratio", measured["product"].Rss, measured["template"].Rss);

        // Start-up alone is cheap to measure: more pairs, each in alternating order, each its own ratio.
        for (var pair = 0; pair < StartUpPairs; pair++)
        {
            var times = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var subject in (pair % 2 == 0 ? order.Reverse() : order))
            {
                await using var server = await RunningServer.StartAsync(() => Plan(bench, subject));
                times[subject] = server.StartUp.TotalMilliseconds;
                bench.Results.Add($"startup.{subject}.ms", times[subject]);
            }

            bench.Results.AddRatio("startup.ratio", times["product"], times["template"]);
        }
    }

    private const int StartUpPairs = 3;

    private static ServerPlan Plan(BenchContext bench, string subject) =>
        subject == "product" ? bench.ProductPlan() : bench.TemplatePlan(bench.TemplateEmpty, "template-empty");

    private const int PageLoads = 50;
}
