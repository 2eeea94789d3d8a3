using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Consoles;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Components;

public sealed class HostConsoleTests : BunitContext
{
    private static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-alice-1", SuperAdministrator = true };
    private static readonly AdministratorOptions Dave = new() { Name = "dave", ConsolePath = "/desk-dave-12" };
    private readonly LobbyParties _parties;
    private readonly LobbyService _circuit;
    private readonly WebRtcChatSettings _settings;
    private readonly BunitJSModuleInterop _alerts;
    private readonly WebRtcChat.Tests.WebPush.WebPushFixture _push = new();

    public HostConsoleTests()
    {
        var time = new ManualTime();
        var settings = _settings = new WebRtcChatSettings(new WebRtcChatOptions { Administrators = [Alice, Dave] });
        _parties = new LobbyParties(settings, time);
        _circuit = _parties.Circuit(); // the console's circuit
        Services.AddSingleton(_circuit);
        Services.AddSingleton(settings);
        Services.AddSingleton<TimeProvider>(time);
        Services.AddLocalization();
        Services.AddSingleton(new AlertDispatcher(_parties.Lobby, settings, [], time, NullLogger<AlertDispatcher>.Instance));
        _alerts = JSInterop.SetupModule("./js/host-alerts.js").SetupModule("init", _ => true);
        _alerts.Setup<HostAlerts.AlertPreferences>("preferences", _ => true).SetResult(new(true, true, false, "default"));
        _alerts.SetupVoid("update", _ => true).SetVoidResult();
        _alerts.SetupVoid("stop").SetVoidResult();
        Services.AddSingleton<WebRtcChat.Components.Alerts.IPushDevices>(_push.Store);
        JSInterop.SetupModule("./js/push-devices.js").SetupModule("init", _ => true)
            .Setup<PushDevices.PushState>("state").SetResult(new(false, "default", null));
        DevicePickerTests.SetUp(JSInterop);
    }

    protected override void Dispose(bool disposing)
    {
        _parties.Dispose();
        _push.Dispose();
        base.Dispose(disposing);
    }

    private IRenderedComponent<HostConsole> RenderDavesConsole()
    {
        var console = Render<HostConsole>(p => p
            .Add(c => c.ClientAddress, "192.0.2.9")
            .Add(c => c.ConsolePath, Dave.ConsolePath)
            .Add(c => c.AdministratorName, "dave"));
        console.WaitForAssertion(() => Assert.Equal("Waiting visitors", console.Find("h1").TextContent));
        return console;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<HostConsole> console, string name) =>
        console.FindAll("table.visitors tbody tr").Single(r => r.QuerySelector(".name")!.TextContent.Trim() == name);

    [Fact]
    public void EachArrivalIsAnnouncedToScreenReadersThroughALiveRegionButThoseWaitingWhenTheConsoleOpenedAreNot()
    {
        _parties.Join("Ann", host: "dave");
        var console = RenderDavesConsole();
        var region = () => console.Find("[role=status][aria-label=Arrivals]");
        console.WaitForAssertion(() => Assert.Single(console.FindAll("table.visitors tbody tr")));
        Assert.Equal("", region().TextContent);

        _parties.Join("Bob", host: "dave");
        console.WaitForAssertion(() => Assert.Equal("Bob is waiting.", region().TextContent));

        _parties.Join("Carol", host: "dave");
        console.WaitForAssertion(() => Assert.Equal("Carol is waiting.", region().TextContent));
    }

    [Fact]
    public void TheWaitingColumnTicksInTheBrowserNotByRenderingTheConsoleEachSecond()
    {
        var time = new TickingTime(); // the console's timers fire as this clock moves
        Services.AddSingleton<TimeProvider>(time);
        var console = RenderDavesConsole();
        _parties.Join("Bob", host: "dave");
        console.WaitForAssertion(() => Assert.Single(console.FindAll("table.visitors tbody tr")));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, time.RunningTimers); // nothing on the server wakes each second to draw the clock
        var clock = Row(console, "Bob").QuerySelector(".waited elapsed-time")!;
        Assert.Equal("0", clock.GetAttribute("elapsed-ms"));
        Assert.Equal("0:00", clock.TextContent);
    }

    [Fact]
    public void TheHostSendsALineFromAVisitorsRowAndOnlyThatVisitorHearsIt()
    {
        var console = RenderDavesConsole();
        var (bob, _) = _parties.Join("Bob", host: "dave");
        var (carol, _) = _parties.Join("Carol", host: "dave");
        console.WaitForAssertion(() => Assert.Equal(2, console.FindAll("table.visitors tbody tr").Count));

        Row(console, "Bob").QuerySelector("input[aria-label='Note for Bob']")!.Change("  Back in 5\nminutes ");
        Row(console, "Bob").QuerySelector("form")!.Submit();

        console.WaitForAssertion(() => Assert.Equal("Back in 5 minutes", Assert.Single(LobbyParties.Messages(bob).OfType<HostNoteMessage>()).Text)); // as Dismiss
        Assert.Empty(LobbyParties.Messages(carol).OfType<HostNoteMessage>());
        console.WaitForAssertion(() => Assert.Equal("Posted: Back in 5 minutes", Row(console, "Bob").QuerySelector(".said")!.TextContent));
        Assert.Equal("", Row(console, "Bob").QuerySelector("input")!.GetAttribute("value") ?? "");
        Assert.Null(Row(console, "Carol").QuerySelector(".said"));
    }

    [Fact]
    public void ALineThatCannotBeSentIsExplainedAndStaysInTheRow()
    {
        var console = RenderDavesConsole();
        var (bob, _) = _parties.Join("Bob", host: "dave");
        console.WaitForAssertion(() => Assert.Single(console.FindAll("table.visitors tbody tr")));
        var tooLong = new string('x', HostNotes.MaxLength + 1);

        Row(console, "Bob").QuerySelector("input")!.Change(tooLong);
        Row(console, "Bob").QuerySelector("form")!.Submit();

        Assert.Equal("Not posted for Bob: Please keep it to 200 characters.", console.Find(".notice").TextContent);
        Assert.Equal(tooLong, Row(console, "Bob").QuerySelector("input")!.GetAttribute("value"));
        Assert.Empty(LobbyParties.Messages(bob).OfType<HostNoteMessage>());
    }

    [Fact]
    public void DismissGivesWhatIsTypedInTheRowAsTheReason()
    {
        var console = RenderDavesConsole();
        var (bob, _) = _parties.Join("Bob", host: "dave");
        console.WaitForAssertion(() => Assert.Single(console.FindAll("table.visitors tbody tr")));

        Row(console, "Bob").QuerySelector("input")!.Change("Sorry, not today.");
        Row(console, "Bob").QuerySelector("button.dismiss")!.Click();

        // The click's handler runs on the renderer's dispatcher, which the lobby's own renders may hold for a moment.
        console.WaitForAssertion(() => Assert.Equal("Sorry, not today.", Assert.Single(LobbyParties.Messages(bob).OfType<DismissedMessage>()).Reason));
        console.WaitForAssertion(() => Assert.Equal("Nobody is waiting.", console.Find(".empty").TextContent));
    }

    [Theory]
    [InlineData("canceled")]
    [InlineData("refused")]
    public void AnAlertsPermissionPromptThatFailsOrIsGivenUpLeavesTheConsoleOpen(string outcome)
    {
        var prompt = _alerts.Setup<string>("requestNotificationPermission");
        var console = Render<HostConsole>(p => p
            .Add(c => c.ClientAddress, "192.0.2.9")
            .Add(c => c.ConsolePath, Dave.ConsolePath)
            .Add(c => c.AdministratorName, "dave"));
        console.WaitForAssertion(() => Assert.NotEmpty(JSInterop.Invocations["update"]));

        console.Find(".alerts button").Click();
        var asked = Assert.Single(JSInterop.Invocations["requestNotificationPermission"]);
        Assert.Equal(CancellationToken.None, asked.CancellationToken); // the host may take minutes: no interop timeout
        if (outcome == "canceled")
        {
            prompt.SetCanceled();
        }
        else
        {
            prompt.SetException(new JSException("NotAllowedError"));
        }

        Assert.False(Renderer.UnhandledException.IsCompleted, "the failure reached the renderer, which ends the circuit");
        Assert.Equal("Waiting visitors", console.Find("h1").TextContent);
        _parties.Join("Bob", host: "dave");
        console.WaitForAssertion(() => Assert.Contains("Bob", console.Find("table").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void AConsoleClosedByAPathChangeHearsNothingMoreFromTheLobby()
    {
        var console = Render<HostConsole>(p => p
            .Add(c => c.ClientAddress, "192.0.2.9")
            .Add(c => c.ConsolePath, Dave.ConsolePath)
            .Add(c => c.AdministratorName, "dave"));
        console.WaitForAssertion(() => Assert.Equal("Waiting visitors", console.Find("h1").TextContent));

        _settings.Apply(_settings.Current with { Administrators = [Alice, Dave with { ConsolePath = "/desk-dave-moved" }] });
        console.WaitForAssertion(() => Assert.Equal("This console is closed", console.Find("h1").TextContent));
        for (var i = 0; i < 5; i++)
        {
            _parties.Join($"Visitor {i}", host: "dave", address: $"192.0.2.{i + 10}").Tab.Leave();
        }

        Assert.False(_circuit.Inbox.TryRead(out _)); // no snapshot piles up for a tab that shows nothing
    }

    [Fact]
    public async Task TheConsoleTellsTheLobbyWhetherItsPageIsVisibleSoAlertsWaitWhileItIs()
    {
        var console = RenderDavesConsole();
        console.WaitForAssertion(() => Assert.NotEmpty(JSInterop.Invocations["init"]));
        Assert.False(Assert.Single(_parties.Lobby.Current.Hosts).Visible); // until the page says so

        // What host-alerts.js does at start and on each visibilitychange: call the reference init was given.
        var reference = JSInterop.Invocations["init"].Single(i => i.Arguments.Count == 2 && i.Arguments[0] is not string).Arguments[1]!; // host-alerts.js's, not push-devices.js's
        var interop = reference.GetType().GetProperty("Value")!.GetValue(reference)!;
        Task Report(bool visible) => console.InvokeAsync(() => (Task)interop.GetType().GetMethod("OnVisibilityChanged")!.Invoke(interop, [visible])!);

        await Report(true);
        Assert.True(Assert.Single(_parties.Lobby.Current.Hosts).Visible);
        await Report(false);
        Assert.False(Assert.Single(_parties.Lobby.Current.Hosts).Visible);
    }

    [Fact]
    public void TheConsoleOffersTheTestAlertPanel()
    {
        var console = RenderDavesConsole();

        Assert.Equal("Alerts when no console is open", console.Find(".away-alerts h2").TextContent);
    }
}
