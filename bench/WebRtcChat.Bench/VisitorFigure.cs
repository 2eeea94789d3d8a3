using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WebRtcChat.Bench;

/// <summary>
/// Memory per waiting visitor: the resident set's slope between two loads of waiting visitors (each its own headless
/// Chromium profile on the visitor page, over TLS, with the relay configured), against the all-interactive template's
/// slope per open circuit; and the live managed heap at each load (dotnet-gcdump), to show what the slope is made of.
/// </summary>
internal static partial class VisitorFigure
{
    public const string Name = "visitors";

    public static async Task RunAsync(BenchContext bench, int run)
    {
        var (low, high) = bench.Options.Visitors;
        var slopes = new Dictionary<string, (double Rss, double Managed)>(StringComparer.Ordinal);
        var cpus = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var subject in run % 2 == 0 ? new[] { "product", "template" } : ["template", "product"])
        {
            await using var server = await RunningServer.StartAsync(() => subject == "product"
                ? bench.ProductPlan(withTurn: true)
                : bench.TemplatePlan(bench.TemplateInteractive, "template-interactive"));
            var contexts = new List<IBrowserContext>();
            try
            {
                async Task<(double Rss, double Managed)> LoadAsync(int count)
                {
                    while (contexts.Count < count)
                    {
                        contexts.Add(subject == "product"
                            ? await bench.Browser.WaitingVisitorAsync(server.Plan.Page, $"Visitor {contexts.Count + 1}")
                            : await bench.Browser.OpenCircuitAsync(server.Plan.Page));
                    }

                    await Task.Delay(TimeSpan.FromSeconds(5));
                    var rss = await server.SettledRssAsync(TimeSpan.FromSeconds(3));
                    var managed = await LiveHeapAsync(bench, server.Id);
                    bench.Results.Add($"visitors.{subject}.rss{count}", rss);
                    bench.Results.Add($"visitors.{subject}.managed{count}", managed);
                    return (rss, managed);
                }

                var (rssLow, managedLow) = await LoadAsync(low);
                var (rssHigh, managedHigh) = await LoadAsync(high);

                // What the server spends on them while nothing happens (each page's clocks, keep-alive pings, timers).
                var cpu = server.Cpu;
                await Task.Delay(CpuWindow);
                var cpuPerSecond = (server.Cpu - cpu).TotalMilliseconds / CpuWindow.TotalSeconds;
                bench.Results.Add($"visitors.{subject}.cpu", cpuPerSecond);
                cpus[subject] = cpuPerSecond;
                slopes[subject] = ((rssHigh - rssLow) / (high - low), (managedHigh - managedLow) / (high - low));
                bench.Results.Add($"visitors.{subject}.slope", slopes[subject].Rss);
                bench.Results.Add($"visitors.{subject}.managedslope", slopes[subject].Managed);
            }
            finally
            {
                foreach (var context in contexts)
                {
                    await context.CloseAsync();
                }
            }
        }

        bench.Results.AddRatio("visitors.ratio", slopes["product"].Rss, slopes["template"].Rss);
        bench.Results.AddRatio("visitors.managedratio", slopes["product"].Managed, slopes["template"].Managed);
        bench.Results.AddRatio("visitors.cpuratio", cpus["product"], Math.Max(cpus["template"], 10)); // ticks are 10 ms
    }

    private static readonly TimeSpan CpuWindow = TimeSpan.FromSeconds(10);

    /// <summary>The live managed heap, in bytes, as dotnet-gcdump reports it (after the full collection it causes).</summary>
    private static async Task<double> LiveHeapAsync(BenchContext bench, int processId)
    {
        var file = bench.Work.PathOf($"heap-{processId}-{Guid.NewGuid():N}.gcdump");
        await Exec.RunAsync(bench.GcDump, ["collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file], timeout: TimeSpan.FromMinutes(2));
        var report = await Exec.RunAsync(bench.GcDump, ["report", file], timeout: TimeSpan.FromMinutes(2));
        File.Delete(file);
        var match = HeapBytes().Match(report);
        return match.Success
            ? double.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("dotnet-gcdump report gave no heap size:\n" + report);
    }

    [GeneratedRegex(@"([\d,]+)\s+GC Heap bytes")]
    private static partial Regex HeapBytes();
}
