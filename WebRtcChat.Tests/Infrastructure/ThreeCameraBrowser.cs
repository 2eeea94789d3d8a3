using Microsoft.Playwright;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// A second headless Chromium for the device tests, with three fake cameras (the shared one has one). Chromium's
/// fake cameras are not alike: <c>fake_device_0</c> gives I420, <c>fake_device_1</c> is a simulated depth camera
/// (16-bit grey, Y16) whose frames a peer connection never encodes, <c>fake_device_2</c> gives MJPEG
/// (media/capture/video/fake_video_capture_device_factory.cc). So the tests switch between 0 and 2.
/// </summary>
public sealed class ThreeCameraBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        // The later switch wins: Chromium keeps the last value of a switch given twice.
        Browser = await _playwright.Chromium.LaunchAsync(BrowserFixture.LaunchOptions("/usr/bin/chromium", "--use-fake-device-for-media-stream=device-count=3"));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
