// WebRtcChat's small-server benchmark: see bench/README.md, or run bench/run.sh --help.
using System.Globalization;
using System.Text.Json.Nodes;
using WebRtcChat.Bench;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

var options = ParseArguments(args);
if (options is null)
{
    Console.WriteLine("""
        bench/run.sh [--runs N] [--quick] [--only idle,visitors,call,flood,pi] [--json FILE]
          --runs N   runs of every figure, interleaved (default 5; quote no figure from fewer)
          --quick    fewer visitors and samples, for development (with --runs 1, a few minutes)
          --only     the figures to run (default: all)
          --json     where the figures go as JSON (default: artifacts/bench/results.json)
          --product-env NAME=VALUE   an environment variable for WebRtcChat (to try a runtime setting); repeatable
        """);
    return 2;
}

var repository = FindRepository();
var stopping = false;
// Ctrl-C or a kill (SIGINT, SIGTERM): finish the figure under way, then print what there is and clean up. (Console's
// CancelKeyPress alone is not raised for a signal sent to a bench started without a terminal.)
using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
void Stop(System.Runtime.InteropServices.PosixSignalContext signal)
{
    signal.Cancel = true;
    stopping = true;
    Console.Error.WriteLine("Stopping after this figure …");
}

var started = DateTimeOffset.UtcNow;
var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
var results = new Results();
var runsDone = 0;
await using (var work = new Workspace())
{
    Console.WriteLine($"Building WebRtcChat (release profile) and the two templates in {work.Root} …");
    var product = await Subjects.PublishProductAsync(work, repository);
    var templateEmpty = await Subjects.PublishTemplateAsync(work, "TemplateEmpty", "--empty");
    var templateInteractive = await Subjects.PublishTemplateAsync(work, "TemplateInteractive", "--all-interactive", "--empty");
    var tls = await Subjects.MakeCertificateAsync(work);
    await Exec.RunAsync("dotnet", ["tool", "install", "dotnet-gcdump", "--tool-path", work.PathOf("tools")]);
    var bench = new BenchContext(work, options, results)
    {
        Product = product,
        TemplateEmpty = templateEmpty,
        TemplateInteractive = templateInteractive,
        TemplateTls = tls,
        Turn = work.Own(await Turn.StartAsync()),
        Browser = work.Own(await Browser.LaunchAsync()),
        GcDump = work.PathOf("tools", "dotnet-gcdump"),
    };

    await IdleFigure.WarmUpAsync(bench);
    for (var run = 0; run < options.Runs && !stopping; run++)
    {
        Console.WriteLine($"Run {run + 1} of {options.Runs} ({DateTimeOffset.UtcNow:HH:mm:ss} UTC, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        var skipped = false;
        foreach (var (name, figure) in new (string, Func<Task>)[]
        {
            (IdleFigure.Name, () => IdleFigure.RunAsync(bench, run)),
            (VisitorFigure.Name, () => VisitorFigure.RunAsync(bench, run)),
            (CallFigure.Name, () => CallFigure.RunAsync(bench, run)),
            (FloodFigure.Name, () => FloodFigure.RunAsync(bench, run)),
            (PiFigure.Name, () => PiFigure.RunAsync(bench)),
        })
        {
            if (options.Includes(name) && stopping)
            {
                skipped = true; // stopped before this figure: the run is not whole
            }
            else if (options.Includes(name))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    await figure();
                    Console.WriteLine($"  {name}: {clock.Elapsed.TotalSeconds:0} s");
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or Microsoft.Playwright.PlaywrightException or IOException or HttpRequestException)
                {
                    // One figure failing (a machine too loaded for a page to load in time) leaves the others standing.
                    Console.WriteLine($"  {name}: FAILED after {clock.Elapsed.TotalSeconds:0} s: {e.Message.Split('\n')[0]}");
                    results.Add($"failed.{name}", run + 1);
                    results.Note($"{name} failed in run {run + 1}", e.Message.Split('\n')[0]);
                }
            }
        }

        if (!skipped)
        {
            runsDone = run + 1;
        }
    }
}

var rows = Rows(results, options).ToList();
var table = results.Table(rows);
var machine = Machine();
Console.WriteLine();
Console.WriteLine($"{started:yyyy-MM-dd HH:mm} UTC, {machine}, load average {loadBefore} at start and {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end; " +
    $"{runsDone} run(s){(runsDone < options.Runs ? $" of the {options.Runs} asked (stopped)" : "")}{(options.Quick ? ", quick" : "")}; medians; ratios are WebRtcChat over the reference, measured in the same run.");
Console.WriteLine();
Console.Write(table);

var about = new JsonObject
{
    ["date"] = started.ToString("O", CultureInfo.InvariantCulture),
    ["machine"] = machine,
    ["loadAverageAtStart"] = loadBefore,
    ["command"] = "bench/run.sh " + string.Join(' ', args),
    ["runs"] = runsDone,
    ["runsAsked"] = options.Runs,
    ["quick"] = options.Quick,
    ["commit"] = await Exec.SucceedsAsync("git", "-C", repository, "rev-parse", "HEAD")
        ? (await Exec.RunAsync("git", ["-C", repository, "rev-parse", "--short", "HEAD"])).Trim() : Environment.GetEnvironmentVariable("BENCH_COMMIT") ?? "?",
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.JsonPath))!);
await File.WriteAllTextAsync(options.JsonPath, results.Json(rows, about));
Console.WriteLine($"\nThe same figures, and every value behind them: {options.JsonPath}");
return 0;

static IEnumerable<Row> Rows(Results r, BenchOptions options)
{
    string Mb(string key) => Results.Format(r.Median(key), "MB");
    string PerVisitor(string key) => Results.Format(r.Median(key), "MB/visitor");
    string Ms(string key) => Results.Format(r.Median(key), "ms");
    string Us(string key) => Results.Format(r.Median(key), "us");
    var (low, high) = options.Visitors;
    yield return new Row("idle RSS after 50 page loads (vs the empty template)", Mb("idle.product.rss"), Mb("idle.template.rss"), "idle.ratio", 1.0);
    yield return new Row($"memory per waiting visitor, RSS slope {low}→{high} (vs per circuit, all-interactive template)",
        PerVisitor("visitors.product.slope"), PerVisitor("visitors.template.slope"), "visitors.ratio", 0.75);
    yield return new Row($"server CPU with {high} visitors waiting (vs {high} idle circuits), per second", Results.Format(r.Median("visitors.product.cpu"), "ms") + "/s",
        Results.Format(r.Median("visitors.template.cpu"), "ms") + "/s", "visitors.cpuratio", null);
    yield return new Row("… of which live managed heap (dotnet-gcdump)", PerVisitor("visitors.product.managedslope"),
        PerVisitor("visitors.template.managedslope"), "visitors.managedratio", null);
    yield return new Row($"… managed heap at {high} visitors / circuits", Mb($"visitors.product.managed{high}"), Mb($"visitors.template.managed{high}"), null, null);
    yield return new Row("start-up to the first 200 (vs the empty template)", Ms("startup.product.ms"), Ms("startup.template.ms"), "startup.ratio", 1.0);
    yield return new Row("call set-up, Answer to frames on both sides, relay only (vs direct SDP exchange)", Ms("call.product.ms"), Ms("call.direct.ms"), "call.ratio", 1.0);
    yield return new Row("server CPU per banned connection (vs per served bland 404)", Us("flood.refused.us"), Us("flood.notfound.us"), "flood.ratio", 0.1);
    yield return new Row("visitor page p50 / p99 during the flood (vs alone)", $"{Ms("flood.during.p50")} / {Ms("flood.during.p99")}",
        $"{Ms("flood.alone.p50")} / {Ms("flood.alone.p99")}", "flood.p99ratio", null);
    yield return new Row($"Pi budget (1 CPU, 256 MB), {options.PiVisitors} waiting + 1 call: visitor page p50 / p99 (vs the 250 ms budget)",
        $"{Ms("pi.p50")} / {Ms("pi.p99")}", "p99 ≤ 250 ms", null, null, x => x.Count("pi.p99") == 0 ? null : x.Median("pi.p99") <= 250);
    yield return new Row("Pi budget: peak RSS; out of memory", $"{Mb("pi.peakrss")}; OOM in {r.Max("pi.oom") * r.Count("pi.oom"):0} of {r.Count("pi.oom")} runs",
        "256 MB", null, null, x => x.Count("pi.oom") == 0 ? null : x.Max("pi.oom") == 0);
}

static string Machine()
{
    var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
    var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    return $"{Environment.ProcessorCount} cores ({model}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024.0:0.#} GB, .NET {Environment.Version}";
}

static string FindRepository()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "WebRtcChat.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository (bench/run.sh does)");
}

static BenchOptions? ParseArguments(string[] args)
{
    var (runs, quick, only, json) = (5, false, new HashSet<string>(StringComparer.Ordinal), Path.Combine("artifacts", "bench", "results.json"));
    var environment = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                runs = n;
                i++;
                break;
            case "--quick":
                quick = true;
                break;
            case "--only" when i + 1 < args.Length:
                only.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries));
                break;
            case "--json" when i + 1 < args.Length:
                json = args[++i];
                break;
            case "--product-env" when i + 1 < args.Length && args[i + 1].Split('=', 2) is [var name, var value]:
                environment[name] = value;
                i++;
                break;
            default:
                return null;
        }
    }

    return new BenchOptions(runs, quick, only, json, environment);
}
