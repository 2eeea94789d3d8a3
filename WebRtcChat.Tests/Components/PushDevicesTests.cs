using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Consoles;
using WebRtcChat.Tests.Infrastructure;
using WebRtcChat.Tests.WebPush;

namespace WebRtcChat.Tests.Components;

public sealed class PushDevicesTests : BunitContext
{
    private readonly WebPushFixture _f = new();
    private readonly BunitJSModuleInterop _page;
    private readonly TestPushSubscription _thisBrowser = new(LoopbackPushService.Endpoint("this-browser"));
    private readonly TestPushSubscription _phone = new(LoopbackPushService.Endpoint("phone"));

    public PushDevicesTests()
    {
        Services.AddSingleton<IPushDevices>(_f.Store);
        Services.AddSingleton(_f.Settings);
        _page = JSInterop.SetupModule("./js/push-devices.js").SetupModule("init", _ => true);
        _page.Setup<bool>("unsubscribe").SetResult(true);
    }

    protected override void Dispose(bool disposing)
    {
        _thisBrowser.Dispose();
        _phone.Dispose();
        _f.Dispose();
        base.Dispose(disposing);
    }

    private IRenderedComponent<PushDevices> RenderAlices(string? browserEndpoint = null, bool supported = true)
    {
        _page.Setup<PushDevices.PushState>("state").SetResult(new(supported, "default", browserEndpoint));
        var devices = Render<PushDevices>(p => p
            .Add(c => c.AdministratorName, "alice")
            .Add(c => c.ConsolePath, WebPushFixture.Alice.ConsolePath));
        devices.WaitForAssertion(() => Assert.NotEmpty(_page.Invocations["state"]));
        return devices;
    }

    private void BrowserSubscribes(PushSubscriptionPayload? subscription, string outcome = "subscribed", string reason = "") =>
        _page.Setup<PushDevices.SubscribeResult>("subscribe", _ => true).SetResult(new(outcome, subscription, reason));

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<PushDevices> devices, string text) =>
        devices.FindAll("button").Single(b => b.TextContent == text);

    private static string[] Listed(IRenderedComponent<PushDevices> devices) =>
        [.. devices.FindAll("ul[aria-label='Devices that get alerts'] li span").Select(s => s.TextContent)];

    [Fact]
    public void GetAlertsOnThisDeviceStoresTheBrowsersSubscriptionForThisHostAndListsItAsThisDevice()
    {
        var devices = RenderAlices();
        BrowserSubscribes(_thisBrowser.Payload);

        Button(devices, "Get alerts on this device").Click();

        devices.WaitForAssertion(() => Assert.Equal("Alerts are on for this device.", devices.Find("[role=status]").TextContent));
        var stored = Assert.Single(_f.Store.Subscriptions("alice")).Subscription;
        Assert.Equal(new PushSubscriptionData(_thisBrowser.Endpoint, _thisBrowser.Payload.Keys!.P256dh!, _thisBrowser.Payload.Keys.Auth!), stored);
        Assert.Equal(_f.Store.ApplicationServerKey, _page.Invocations["subscribe"].Single().Arguments.Single());
        Assert.StartsWith("A browser using push.example.test (this device), added ", Assert.Single(Listed(devices)), StringComparison.Ordinal);
        Assert.DoesNotContain(devices.FindAll("button"), b => b.TextContent == "Get alerts on this device");
        Assert.DoesNotContain("/push/", devices.Markup, StringComparison.Ordinal); // endpoints stay on the server
        Assert.Empty(_f.Store.DevicesOf("dave"));
    }

    [Fact]
    public void TheWorkerIsRegisteredUnderTheConsolePathWithTheConsoleAsItsScope()
    {
        RenderAlices();

        var init = JSInterop.Invocations["init"].Single();
        Assert.Equal(["desk-7Qf2-alice/push-worker.js", "desk-7Qf2-alice"], init.Arguments);
    }

    [Fact]
    public void ASubscriptionThatBreaksTheRulesIsNotStoredAndTheBrowserDropsIt()
    {
        var devices = RenderAlices();
        BrowserSubscribes(new PushSubscriptionPayload("https://127.0.0.1:9/steal", _thisBrowser.Payload.Keys));

        Button(devices, "Get alerts on this device").Click();

        devices.WaitForAssertion(() => Assert.Equal("This browser's subscription was refused.", devices.Find("[role=status]").TextContent));
        Assert.False(_f.Store.HasDevices("alice"));
        Assert.Single(_page.Invocations["unsubscribe"]);
    }

    [Fact]
    public void AtTenDevicesTheHostIsToldToRemoveOneFirst()
    {
        var others = Enumerable.Range(0, PushSubscriptionRules.MaxDevicesPerHost).Select(i => new TestPushSubscription(LoopbackPushService.Endpoint("d" + i))).ToList();
        others.ForEach(o => _f.Store.Add("alice", o.Payload));
        var devices = RenderAlices();
        BrowserSubscribes(_thisBrowser.Payload);

        Button(devices, "Get alerts on this device").Click();

        devices.WaitForAssertion(() => Assert.Equal("You already have 10 devices: remove one first.", devices.Find("[role=status]").TextContent));
        Assert.Equal(10, Listed(devices).Length);
        Assert.Single(_page.Invocations["unsubscribe"]);
        others.ForEach(o => o.Dispose());
    }

    [Fact]
    public void RemovingThisDeviceAlsoUnsubscribesItInTheBrowser()
    {
        _f.Store.Add("alice", _thisBrowser.Payload);
        _f.Store.Add("alice", _phone.Payload);
        var devices = RenderAlices(browserEndpoint: _thisBrowser.Endpoint);
        devices.WaitForAssertion(() => Assert.Contains("(this device)", Listed(devices)[0], StringComparison.Ordinal));

        devices.Find("button[aria-label^='Remove A browser using push.example.test (this device)']").Click();

        devices.WaitForAssertion(() => Assert.Single(Listed(devices)));
        Assert.Single(_page.Invocations["unsubscribe"]);
        Assert.Equal([_phone.Endpoint], _f.Store.DevicesOf("alice").Select(d => d.Endpoint));
        Assert.Equal("Get alerts on this device", devices.Find("button").TextContent); // it can be turned on again
    }

    [Fact]
    public void RemovingAnotherDeviceLeavesThisBrowsersSubscriptionAlone()
    {
        _f.Store.Add("alice", _thisBrowser.Payload);
        _f.Store.Add("alice", _phone.Payload);
        var devices = RenderAlices(browserEndpoint: _thisBrowser.Endpoint);
        devices.WaitForAssertion(() => Assert.Equal(2, Listed(devices).Length));

        devices.FindAll("li").Single(li => !li.TextContent.Contains("this device", StringComparison.Ordinal)).QuerySelector("button")!.Click();

        devices.WaitForAssertion(() => Assert.Single(Listed(devices)));
        Assert.Empty(_page.Invocations["unsubscribe"]);
        Assert.Equal([_thisBrowser.Endpoint], _f.Store.DevicesOf("alice").Select(d => d.Endpoint));
    }

    [Fact]
    public void ADeviceDroppedElsewhereLeavesTheListAtOnce()
    {
        _f.Store.Add("alice", _phone.Payload);
        var devices = RenderAlices();
        devices.WaitForAssertion(() => Assert.Single(Listed(devices)));

        _f.Store.RemoveEndpoint("alice", _phone.Endpoint); // as the channel does on a 410

        devices.WaitForAssertion(() => Assert.Empty(Listed(devices)));
    }

    [Theory]
    [InlineData("denied", "denied", "Notifications are blocked for this console")]
    [InlineData("failed", "AbortError", "The browser could not subscribe (AbortError).")]
    [InlineData("failed", "<img src=x onerror=alert(1)> a very long message from the page", "The browser could not subscribe (imgsrcxonerroralert1averylongmessagefrom).")]
    public void ABrowserThatDoesNotSubscribeIsExplainedAndNothingIsStored(string outcome, string reason, string notice)
    {
        var devices = RenderAlices();
        BrowserSubscribes(null, outcome, reason);

        Button(devices, "Get alerts on this device").Click();

        devices.WaitForAssertion(() => Assert.StartsWith(notice, devices.Find("[role=status]").TextContent, StringComparison.Ordinal));
        Assert.False(_f.Store.HasDevices("alice"));
    }

    [Fact]
    public void ABrowserWithoutWebPushHereIsToldAboutTheHomeScreen()
    {
        var devices = RenderAlices(supported: false);

        devices.WaitForAssertion(() => Assert.Contains("add the console to the home screen", devices.Markup, StringComparison.Ordinal));
        Assert.Empty(devices.FindAll("button"));
    }

    [Fact]
    public void WithWebPushOffForTheHostThereIsNothingToTurnOnAndNoModuleIsLoaded()
    {
        _f.Settings.Apply(_f.Settings.Current with
        {
            Administrators = [WebPushFixture.Alice with { Alerts = new AdministratorAlertsOptions { WebPush = false } }, WebPushFixture.Dave],
        });

        var devices = Render<PushDevices>(p => p
            .Add(c => c.AdministratorName, "alice")
            .Add(c => c.ConsolePath, WebPushFixture.Alice.ConsolePath));

        Assert.Equal("", devices.Markup.Trim());
        Assert.Empty(JSInterop.Invocations["import"]);
    }
}
