using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Turn;

/// <summary>The server's own check of its TURN URLs at start, as the operator reads it in the log.</summary>
public sealed class TurnCheckTests(LoopbackTurn coturn) : IClassFixture<LoopbackTurn>
{
    private static async Task<IReadOnlyList<string>> TurnLinesAtStartAsync(string secret, params string[] urls) =>
        [.. (await LinesAtStartAsync(secret, urls)).Where(l => l.Contains("TURN check", StringComparison.Ordinal))];

    private static async Task<IReadOnlyList<string>> LinesAtStartAsync(string secret, params string[] urls)
    {
        using var config = TestConfig.Create(configure: json => json["Ice"] = new JsonObject
        {
            ["TurnServers"] = new JsonArray([.. urls.Select(url => JsonValue.Create(url))]),
            ["TurnSharedSecret"] = secret,
        });
        await using var server = await ServerProcess.StartAsync(config);
        Assert.True(await Eventually.HoldsAsync(() => server.LogLines().Count(l => l.Contains("TURN check", StringComparison.Ordinal)) >= urls.Length,
            TimeSpan.FromSeconds(20)), $"TURN lines: {string.Join('\n', server.LogLines())}");
        Assert.DoesNotContain(secret, server.Output, StringComparison.Ordinal);
        return server.LogLines();
    }

    [Fact]
    public async Task AtStartAWrongSecretAndAnUnreachablePortAreNamedInOneWarningLineEach()
    {
        var closed = $"turn:127.0.0.1:{TestConfig.FreePort()}?transport=tcp";

        var lines = await TurnLinesAtStartAsync("a-secret-coturn-does-not-have", coturn.Turn.Url, closed);

        Assert.Equal(2, lines.Count);
        Assert.Single(lines, l => l.Contains(" WRN ", StringComparison.Ordinal) && l.Contains(coturn.Turn.Url, StringComparison.Ordinal)
            && l.Contains("credentials refused (401)", StringComparison.Ordinal) && l.Contains("Ice.TurnSharedSecret", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains(" WRN ", StringComparison.Ordinal) && l.Contains(closed, StringComparison.Ordinal) && l.Contains("nothing listens", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AtStartAWorkingRelayIsSaidToWorkInOneLine()
    {
        var lines = await TurnLinesAtStartAsync(TurnServer.SharedSecret, coturn.Turn.TcpUrl);

        var line = Assert.Single(lines);
        Assert.Contains(" INF ", line, StringComparison.Ordinal);
        Assert.Contains($"TURN check {coturn.Turn.TcpUrl}: works (realm webrtcchat.test, relayed address 127.0.0.1:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtStartARelayReachableOnlyOverUdpIsAWarningNamingTheKey()
    {
        var lines = await LinesAtStartAsync(TurnServer.SharedSecret, coturn.Turn.Url);

        Assert.Single(lines, l => l.Contains(" WRN Configuration: Ice.TurnServers: has no TCP or TLS URL", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains($"TURN check {coturn.Turn.Url}: works", StringComparison.Ordinal)); // a warning, not an error: it runs
    }
}
