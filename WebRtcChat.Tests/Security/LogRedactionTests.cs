using System.Net;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

public sealed class LogRedactionTests
{
    [Fact]
    public async Task NeitherThePathBaseNorConsolePathsNorNearMissesReachTheLogFile()
    {
        using var config = TestConfig.Create("/hid-den-9");
        await using (var factory = new WebRtcChatFactory(config))
        {
            using var client = factory.CreatePlainClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hid-den-9" + TestConfig.AliceConsolePath)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hid-den-9" + TestConfig.AliceConsolePath + "?x=1")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hid-den-9/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/hid-den-9" + TestConfig.AliceConsolePath + "/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/hid-den-9/DESK-7qf2-ALICE")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/hid-den-9" + TestConfig.AliceConsolePath))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/hid-den-8/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/some-probe")).StatusCode);
            Assert.True(await Eventually.HoldsAsync(() => LogFiles.ReadAll(config.DataDirectory).Contains("/some-probe", StringComparison.Ordinal), TimeSpan.FromSeconds(5)));
        }

        var log = LogFiles.ReadAll(config.DataDirectory);
        Assert.Contains("HTTP GET [console] 200", log, StringComparison.Ordinal);
        Assert.Contains("HTTP GET [base]/ 200", log, StringComparison.Ordinal);
        Assert.Contains("HTTP GET [base][console] 404", log, StringComparison.Ordinal);
        Assert.Contains("HTTP GET /some-probe 404", log, StringComparison.Ordinal);
        Assert.DoesNotContain("desk-7", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hid-den", log, StringComparison.Ordinal);
    }
}
