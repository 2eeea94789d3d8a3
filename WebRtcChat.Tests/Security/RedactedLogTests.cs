using System.Text;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

[Collection(HostileInputServer.Collection)]
public sealed class RedactedLogTests(HostileInputServer fixture)
{
    [Fact]
    public async Task NoEncodingOfASecretPathReachesTheLogFileAtInformation()
    {
        var encodings = SecretPathEncodings.Of(HostileInputServer.PathBase, TestConfig.AliceConsolePath).ToList();
        foreach (var (_, target) in encodings)
        {
            await RawHttp.ExchangeAsync(fixture.Config.Port, fixture.NextAddress(),
                Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        }

        var marker = "/end-of-encodings-" + Guid.NewGuid().ToString("N");
        await RawHttp.ExchangeAsync(fixture.Config.Port, fixture.NextAddress(), Encoding.ASCII.GetBytes($"GET {marker} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        Assert.True(await Eventually.HoldsAsync(() => LogFiles.ReadAll(fixture.Config.DataDirectory).Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(10)));

        var lines = LogFiles.ReadAll(fixture.Config.DataDirectory).Split('\n');
        var requests = lines.Where(l => l.Contains(" INF WebRtcChat.Server.Logging.RequestLogMiddleware: HTTP GET ", StringComparison.Ordinal)).ToList();
        Assert.True(requests.Count(l => l.Contains("[console]", StringComparison.Ordinal)) >= encodings.Count / 2, string.Join('\n', requests));
        Assert.Contains(requests, l => l.Contains("HTTP GET [base][console] 404", StringComparison.Ordinal)); // /%5cbase%5cconsole, as the prober sent it
        Assert.All(lines, line => Assert.True(
            SecretPathEncodings.Leaks(line, HostileInputServer.PathBase, TestConfig.AliceConsolePath) is [], line));
    }
}
