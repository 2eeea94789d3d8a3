using Microsoft.Playwright;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium and one coturn for all browser tests (the machine has two cores). Each test opens
/// its own contexts: one for the visitor, one for the host, with fake camera and microphone.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public TurnServer Turn { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Turn = await TurnServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(LaunchOptions("/usr/bin/chromium"));
    }

    /// <summary>Headless Debian Chromium with fake camera and microphone, started through the executable given.</summary>
    public static BrowserTypeLaunchOptions LaunchOptions(string executable, params string[] extraArguments) => new()
    {
        ExecutablePath = executable,
        Headless = true,
        Args =
        [
            "--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--autoplay-policy=no-user-gesture-required", .. extraArguments,
        ],
    };

    /// <summary>A fresh browser profile, as a separate person would have, that accepts the test certificate.</summary>
    public Task<IBrowserContext> NewContextAsync() => NewContextAsync(Browser);

    /// <summary>
    /// A fresh profile that allows camera, microphone and notifications, asking for pages in <paramref name="locale"/>
    /// (its <c>Accept-Language</c>): English unless a test says otherwise, whatever the machine's own locale.
    /// </summary>
    public static Task<IBrowserContext> NewContextAsync(IBrowser browser, string locale = "en-US") => browser.NewContextAsync(new BrowserNewContextOptions
    {
        Locale = locale,
        IgnoreHTTPSErrors = true,
        Permissions = ["camera", "microphone", "notifications"],
        ViewportSize = new ViewportSize { Width = 1000, Height = 800 },
    });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Turn is not null)
        {
            await Turn.DisposeAsync();
        }
    }
}

// Browser tests run alone, after the others: real media on two cores needs the CPU to itself.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
