using Microsoft.Playwright;

namespace WebRtcChat.Bench;

/// <summary>
/// Debian's headless Chromium, launched as the tests launch it (fake camera and microphone); each visitor or host
/// gets a fresh profile, as a separate person has.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium) => (_playwright, Chromium) = (playwright, chromium);

    public IBrowser Chromium { get; }

    public static async Task<Browser> LaunchAsync()
    {
        const string executable = "/usr/bin/chromium";
        var playwright = await Playwright.CreateAsync();
        try
        {
            var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-quic", "--autoplay-policy=no-user-gesture-required",
                    // Tens of waiting pages share a few renderers: the bench measures the server, not Chromium.
                    "--renderer-process-limit=8",
                ],
            });
            return new Browser(playwright, chromium);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            Permissions = ["camera", "microphone"],
            ViewportSize = new ViewportSize { Width = 1000, Height = 800 },
        });
        // A shared, loaded machine can take long for a page: the bench measures the server, not this patience.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        return context;
    }

    /// <summary>A new visitor on WebRtcChat's page, waiting in the lobby: its own profile, a name, Request chat.</summary>
    public async Task<IBrowserContext> WaitingVisitorAsync(Uri server, string name)
    {
        var context = await NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(server.ToString());
            await page.GetByLabel("Your name").FillAsync(name);
            await page.GetByRole(AriaRole.Button, new() { Name = "Request chat" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Waiting…" }).WaitForAsync();
            return context;
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>A new page on the all-interactive template: its circuit is open once the hub has sent a frame.</summary>
    public async Task<IBrowserContext> OpenCircuitAsync(Uri server)
    {
        var context = await NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var circuit = new TaskCompletionSource();
            page.WebSocket += (_, socket) => socket.FrameReceived += (_, _) => circuit.TrySetResult();
            await page.GotoAsync(server.ToString());
            await circuit.Task.WaitAsync(TimeSpan.FromSeconds(120));
            await page.GetByText("Hello, world!").WaitForAsync();
            return context;
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.CloseAsync();
        _playwright.Dispose();
    }
}
