using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>The waiting time and the console's waiting column tick in the page, with no render over the circuit.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class ClockTests(BrowserFixture browsers)
{
    // Larger than the circuit's keep-alive ping (a few bytes), smaller than any render batch.
    private const int LargestQuietFrame = 32;

    [Fact]
    public async Task TheWaitingTimeAndTheConsolesWaitingColumnAdvanceInThePagesWhileTheCircuitSendsNoRender()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var context = await browsers.NewContextAsync();
        try
        {
            var visitor = await context.NewPageAsync();
            var received = new System.Collections.Concurrent.ConcurrentQueue<(DateTime At, int Bytes)>();
            visitor.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
                received.Enqueue((DateTime.UtcNow, frame.Binary?.Length ?? frame.Text?.Length ?? 0));
            await visitor.GotoAsync(scenario.Server.BaseUrl);
            await CallScenario.RequestChatAsync(visitor, "Bob");
            var waited = CallScenario.VisitorRow(scenario.Host, "Bob").Locator("td.waited");
            await Expect(waited).ToHaveTextAsync(ClockText());
            await Task.Delay(TimeSpan.FromSeconds(3)); // the connectivity check reported, its snapshots rendered

            var clock = visitor.Locator(".elapsed elapsed-time");
            var (visitorBefore, consoleBefore, quietFrom) = (Seconds(await clock.TextContentAsync()), Seconds(await waited.TextContentAsync()), DateTime.UtcNow);
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            var (visitorAfter, consoleAfter, quietUntil) = (Seconds(await clock.TextContentAsync()), Seconds(await waited.TextContentAsync()), DateTime.UtcNow);

            Assert.InRange(visitorAfter - visitorBefore, 3, 4);
            Assert.InRange(consoleAfter - consoleBefore, 3, 4);
            Assert.DoesNotContain(received, frame => frame.At > quietFrom && frame.At < quietUntil && frame.Bytes > LargestQuietFrame);
            Assert.Contains(received, frame => frame.Bytes > LargestQuietFrame); // the recorder saw the page's renders at all
            await Expect(clock).ToHaveAttributeAsync("role", "timer");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static int Seconds(string? text)
    {
        var match = ClockText().Match(text ?? "");
        Assert.True(match.Success, $"not a clock: {text}");
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 60)
            + int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(\d+):(\d\d)$")]
    private static partial Regex ClockText();
}
