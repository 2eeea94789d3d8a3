using System.Text.Json.Nodes;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Turn;

/// <summary>The start-up check against the lab's coturn, which runs the shipped example: all three of its URLs.</summary>
[Collection(LabTests.Name)]
public sealed class LabTurnCheckTests(LabFixture lab)
{
    [LabFact]
    public async Task TheShippedCoturnExampleWorksOverUdpTcpAndTlsOn443AsTheServerChecksAtStart()
    {
        string[] urls = [lab.Turn.Url, lab.Turn.TcpUrl, lab.Turn.TlsUrl];
        using var config = TestConfig.Create(configure: json =>
        {
            json["Server"]!["ListenAddress"] = NetworkLab.WebAddress;
            json["Ice"] = new JsonObject
            {
                ["TurnServers"] = new JsonArray([.. urls.Select(url => JsonValue.Create(url))]),
                ["TurnSharedSecret"] = TurnServer.SharedSecret,
            };
        });

        // The server trusts the lab's TURN certificate as a real server trusts a real one (OpenSSL's SSL_CERT_FILE).
        await using var server = await ServerProcess.StartInNamespaceAsync(config, lab.Lab.Internet, new Dictionary<string, string> { ["SSL_CERT_FILE"] = lab.TurnCertificateFile });

        Assert.True(await Eventually.HoldsAsync(() => server.LogLines().Count(l => l.Contains("TURN check", StringComparison.Ordinal)) == urls.Length, TimeSpan.FromSeconds(20)), server.Output);
        foreach (var url in urls)
        {
            Assert.Single(server.LogLines(), l => l.Contains($" INF TURN check {url}: works (realm {NetworkLab.TurnAddress}, relayed address {NetworkLab.TurnAddress}:", StringComparison.Ordinal));
        }
    }
}
