using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.WebPush;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// Web Push in Chromium against the real server under a path base. Headless Chromium cannot reach a real push
/// service, so the page's <c>PushManager.subscribe</c> is replaced (an init script) by one that returns a
/// subscription whose keys the test owns. Everything else is real: the console's module, the worker the server
/// serves under the console path, its scope, the store, the channel encrypting for those keys to a push service on
/// loopback, and Chromium delivering the decrypted message to the worker through the DevTools protocol.
/// </summary>
/// <remarks>
/// Chromium refuses to register a service worker from a site whose certificate it does not trust, whatever
/// Playwright's <c>IgnoreHTTPSErrors</c> says (a SecurityError), so these tests start a Chromium of their own with
/// <c>--ignore-certificate-errors</c> for the server's self-signed certificate.
/// </remarks>
[Collection(BrowserTests.Name)]
public sealed class WebPushTests : IAsyncLifetime
{
    private const string PathBase = "/hid-den";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(BrowserFixture.LaunchOptions("/usr/bin/chromium", "--ignore-certificate-errors"));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    private Task<IBrowserContext> NewContextAsync() => BrowserFixture.NewContextAsync(_browser!);

    // The Push API as far as the console uses it, answering with the test's subscription; it counts unsubscribes.
    private static string FakePushApi(TestPushSubscription subscription) => $$"""
        (() => {
            const json = {{subscription.Json}};
            let current = null;
            window.__push = { subscribed: 0, unsubscribed: 0, userVisibleOnly: null };
            const make = (options) => ({
                endpoint: json.endpoint,
                expirationTime: null,
                options: { userVisibleOnly: true, applicationServerKey: options.applicationServerKey.buffer },
                toJSON: () => json,
                unsubscribe: async () => { current = null; window.__push.unsubscribed++; return true; },
            });
            PushManager.prototype.subscribe = async function (options) {
                window.__push.subscribed++;
                window.__push.userVisibleOnly = options.userVisibleOnly;
                current = make(options);
                return current;
            };
            PushManager.prototype.getSubscription = async function () { return current; };
        })();
        """;

    [Fact]
    public async Task AHostTurnsOnAlertsInTheConsoleAndTheWorkerShowsTheServersPushAsANotificationUnderTheConsolesScope()
    {
        using var config = TestConfig.Create(PathBase);
        await using var server = await ServerProcess.StartAsync(config);
        await using var push = await LoopbackPushService.StartAsync();
        using var browser = new TestPushSubscription(LoopbackPushService.Endpoint("chromium"));
        var context = await NewContextAsync();
        try
        {
            await context.AddInitScriptAsync(FakePushApi(browser));
            var page = await context.NewPageAsync();
            var console = server.BaseUrl + TestConfig.AliceConsolePath.TrimStart('/');
            await page.GotoAsync(console);

            await page.GetByRole(AriaRole.Button, new() { Name = "Get alerts on this device" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Alerts are on" })).ToHaveTextAsync("Alerts are on for this device.");
            var devices = page.GetByRole(AriaRole.List, new() { Name = "Devices that get alerts" });
            await Expect(devices.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
            await Expect(devices).ToContainTextAsync("(this device)");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__push.subscribed === 1 && window.__push.userVisibleOnly === true"));
            await page.SetViewportSizeAsync(390, 844);
            await page.ScreenshotAsync(new() // kept, with the other screens, to be looked at
            {
                Path = Path.Combine(Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots")).FullName, "console-push-devices-390x844.png"),
            });
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));

            // The worker is the server's, under the console path, and its scope is exactly the console's URL.
            var registration = await page.EvaluateAsync<JsonElement>("""
                async () => {
                    const r = await navigator.serviceWorker.getRegistration(location.href);
                    return { scope: r.scope, script: r.active.scriptURL };
                }
                """);
            Assert.Equal(console, registration.GetProperty("scope").GetString());
            Assert.Equal(console + "/push-worker.js", registration.GetProperty("script").GetString());

            // What the server would push: the channel, on the server's own key and store, to the push service on
            // loopback, which the test decrypts with the browser's keys.
            var keys = VapidKeys.LoadOrCreate(config.DataDirectory);
            using var store = new PushSubscriptionStore(config.DataDirectory, keys, TimeProvider.System, NullLogger<PushSubscriptionStore>.Instance);
            var settings = new WebRtcChatSettings(new WebRtcChatOptions());
            var channel = new WebPushChannel(store, keys, settings, new LoopbackPushService.ClientFactory(push), NullLogger<WebPushChannel>.Instance);
            var host = new AdministratorOptions { Name = "alice", ConsolePath = TestConfig.AliceConsolePath };
            Assert.True(channel.IsConfigured(host));
            var alert = new Alert(AlertReason.Test, "Bob is waiting for alice", "Since 14:03.", null, DateTimeOffset.UtcNow, "visitor-7");
            Assert.True((await channel.SendAsync(host, alert, CancellationToken.None)).Sent);
            var delivered = browser.Decrypt(Assert.Single(push.Received).Body);

            // Chromium hands that message to the worker as a push service would.
            var cdp = await context.NewCDPSessionAsync(page);

            // The browser fetched and read the console's manifest (the CSP allows it): the home screen opens this console.
            var manifest = (await cdp.SendAsync("Page.getAppManifest"))!.Value;
            Assert.Equal(console + "/manifest.webmanifest", manifest.GetProperty("url").GetString());
            Assert.Empty(manifest.GetProperty("errors").EnumerateArray());
            using (var read = JsonDocument.Parse(manifest.GetProperty("data").GetString()!))
            {
                Assert.Equal(new Uri(console).AbsolutePath, read.RootElement.GetProperty("start_url").GetString());
            }

            var registrations = new ConcurrentDictionary<string, string>();
            cdp.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, e) =>
            {
                foreach (var r in e!.Value.GetProperty("registrations").EnumerateArray())
                {
                    registrations[r.GetProperty("scopeURL").GetString()!] = r.GetProperty("registrationId").GetString()!;
                }
            };
            await cdp.SendAsync("ServiceWorker.enable");
            Assert.True(await Eventually.HoldsAsync(() => registrations.ContainsKey(console), TimeSpan.FromSeconds(10)));
            await cdp.SendAsync("ServiceWorker.deliverPushMessage", new()
            {
                ["origin"] = new Uri(console).GetLeftPart(UriPartial.Authority),
                ["registrationId"] = registrations[console],
                ["data"] = delivered,
            });

            string[] shown = [];
            Assert.True(await Eventually.HoldsAsync(async () =>
            {
                shown = await page.EvaluateAsync<string[]>("""
                    async () => (await (await navigator.serviceWorker.getRegistration(location.href)).getNotifications())
                        .map(n => `${n.title}|${n.body}|${n.tag}`)
                    """);
                return shown.Length > 0;
            }, TimeSpan.FromSeconds(10)), "the worker showed no notification");
            Assert.Equal(["Bob is waiting for alice|Since 14:03.|webrtcchat-visitor-7"], shown);

            // Remove this device: gone from the list and the store, and unsubscribed in the browser.
            await devices.GetByRole(AriaRole.Button).ClickAsync();
            await Expect(devices).ToHaveCountAsync(0);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__push.unsubscribed === 1"));
            Assert.True(await Eventually.HoldsAsync(() =>
                SqliteFiles.Scalar(Path.Combine(config.DataDirectory, PushSubscriptionStore.FileName), "SELECT count(*) FROM push_devices;") == 0,
                TimeSpan.FromSeconds(5)));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Get alerts on this device" })).ToBeVisibleAsync();

            // Nothing of this went to the log with the console path in it.
            Assert.DoesNotContain("desk-7Qf2", string.Join("\n", server.LogLines()), StringComparison.Ordinal);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task TheVisitorPageRegistersNoWorkerAndHasNoManifest()
    {
        using var config = TestConfig.Create(PathBase);
        await using var server = await ServerProcess.StartAsync(config);
        var context = await NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(server.BaseUrl);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Request chat" })).ToBeVisibleAsync();

            Assert.Equal(0, await page.EvaluateAsync<int>("async () => (await navigator.serviceWorker.getRegistrations()).length"));
            Assert.Equal(0, await page.Locator("link[rel=manifest]").CountAsync());
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
