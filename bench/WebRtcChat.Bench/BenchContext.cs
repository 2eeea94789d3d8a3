namespace WebRtcChat.Bench;

/// <summary>How much to measure: <c>--runs N</c> (at least 5 for figures worth quoting), <c>--quick</c> for development.</summary>
internal sealed record BenchOptions(int Runs, bool Quick, IReadOnlySet<string> Only, string JsonPath, IReadOnlyDictionary<string, string> ProductEnvironment)
{
    /// <summary>The two loads between which the slope per visitor (or circuit) is measured.</summary>
    public (int Low, int High) Visitors => Quick ? (4, 12) : (10, 40);

    public int PiVisitors => Quick ? 10 : 50;

    public int LatencySamples => Quick ? 60 : 200;

    public TimeSpan FloodWindow => TimeSpan.FromSeconds(Quick ? 2 : 4);

    public bool Includes(string figure) => Only.Count == 0 || Only.Contains(figure);
}

/// <summary>What every figure needs: the builds, the relay, the browser, where results go.</summary>
internal sealed class BenchContext(Workspace work, BenchOptions options, Results results)
{
    public Workspace Work { get; } = work;

    public BenchOptions Options { get; } = options;

    public Results Results { get; } = results;

    public required string Product { get; init; }

    public required string TemplateEmpty { get; init; }

    public required string TemplateInteractive { get; init; }

    public required (string Certificate, string Key) TemplateTls { get; init; }

    public required Turn Turn { get; init; }

    public required Browser Browser { get; init; }

    public required string GcDump { get; init; }

    /// <summary>Each subject's home, kept across its starts as a server's data directory is.</summary>
    public string Home(string subject)
    {
        var home = Work.PathOf("home-" + subject);
        Directory.CreateDirectory(home);
        return home;
    }

    public ServerPlan ProductPlan(bool withTurn = false, IReadOnlyDictionary<string, string>? environment = null) =>
        Subjects.Product(Product, Home("product"), withTurn ? Turn.Setup : null,
            Options.ProductEnvironment.Concat(environment ?? new Dictionary<string, string>()).ToDictionary());

    public ServerPlan TemplatePlan(string executable, string home) => Subjects.Template(executable, Home(home), TemplateTls);
}
