using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using WebRtcChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebRtcChat.Tests.EndToEnd;

/// <summary>
/// Picking the camera, microphone and speaker, before answering and during a call: a switch is a replaceTrack on the
/// same sender, with no renegotiation; an unplugged device gives way to another. Chromium's fake devices stand in
/// for real ones (see <see cref="ThreeCameraBrowser"/> for which fake cameras can be sent).
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class DeviceTests(BrowserFixture browsers, ThreeCameraBrowser threeCameras) : IClassFixture<ThreeCameraBrowser>
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static async Task<CallScenario> ConnectedAsync(CallScenario scenario)
    {
        await scenario.RequestChatAsync("Bob");
        await scenario.CallAndAnswerAsync("Bob");
        await CallScenario.MediaFlowsAsync(scenario.Host);
        await CallScenario.MediaFlowsAsync(scenario.Visitor);
        return scenario;
    }

    [Fact]
    public async Task ACameraPickedMidCallIsSentOnTheSameSenderWithoutRenegotiatingAndWhileSharingItIsWhatStopSharingBringsBack()
    {
        await using var scenario = await ConnectedAsync(await CallScenario.StartAsync(browsers, threeCameras.Browser));
        var before = await SenderAsync(scenario.Host, "video");
        Assert.Equal("fake_device_0", before.Label);
        var descriptions = DescriptionsSent(scenario);
        Assert.True(descriptions >= 2, $"the recorder saw {descriptions} descriptions of the call's offer and answer");
        await scenario.Host.GetByLabel("Your camera").EvaluateAsync("v => { window.oldCamera = v.srcObject.getVideoTracks()[0]; }");

        await PickAsync(scenario.Host, "Camera", "fake_device_2");

        var second = await DeviceIdAsync(scenario.Host, "videoinput", "fake_device_2");
        await SendsAsync(scenario.Host, "video", second);
        await CallScenario.MediaFlowsAgainAsync(scenario.Visitor, TimeSpan.FromSeconds(15)); // the new camera's frames, decoded there
        await CallScenario.MediaFlowsAgainAsync(scenario.Visitor, TimeSpan.FromSeconds(5));
        Assert.Equal("ended", await scenario.Host.EvaluateAsync<string>("() => window.oldCamera.readyState")); // the old camera is let go
        Assert.Equal("matrix(-1, 0, 0, 1, 0, 0)", await scenario.Host.GetByLabel("Your camera").EvaluateAsync<string>("v => getComputedStyle(v).transform"));
        Assert.Equal("fake_device_2", await scenario.Host.GetByLabel("Your camera").EvaluateAsync<string>("v => v.srcObject.getVideoTracks()[0].label"));
        Assert.Contains(second, await scenario.Host.EvaluateAsync<string>("() => localStorage.getItem('webrtcchat.devices')"), StringComparison.Ordinal);

        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Share screen" }).ClickAsync();
        await Expect(scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Stop sharing" })).ToBeVisibleAsync();
        await PickAsync(scenario.Host, "Camera", "fake_device_0");
        var first = await DeviceIdAsync(scenario.Host, "videoinput", "fake_device_0");
        await Expect(scenario.Host.GetByRole(AriaRole.Combobox, new() { Name = "Camera", Exact = true })).ToHaveValueAsync(first);
        Assert.NotEqual(first, (await SenderAsync(scenario.Host, "video")).DeviceId); // the screen is still what is sent
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Stop sharing" }).ClickAsync();
        await SendsAsync(scenario.Host, "video", first);
        await CallScenario.MediaFlowsAgainAsync(scenario.Visitor, TimeSpan.FromSeconds(15));

        foreach (var page in new[] { scenario.Host, scenario.Visitor })
        {
            Assert.Equal("stable", (await CallScenario.StatsAsync(page))!.SignalingState);
        }

        Assert.Equal(descriptions, DescriptionsSent(scenario)); // no offer, no answer: nothing was renegotiated
        await Expect(scenario.Host.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with Bob" })).ToBeVisibleAsync();
        foreach (var deviceId in new[] { first, second })
        {
            Assert.DoesNotContain(scenario.CircuitFrames, frame => Decoded(frame).Contains(deviceId, StringComparison.Ordinal)); // the server never sees a device
        }
    }

    [Fact]
    public async Task AMicrophonePickedMidCallKeepsItsMuteAndIsHeardOnTheSameSenderWithoutRenegotiating()
    {
        await using var scenario = await ConnectedAsync(await CallScenario.StartAsync(browsers, threeCameras.Browser));
        var descriptions = DescriptionsSent(scenario);
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Mute" }).ClickAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Unmute" })).ToBeVisibleAsync();

        await PickAsync(scenario.Visitor, "Microphone", "Fake Audio Input 2");

        var chosen = await DeviceIdAsync(scenario.Visitor, "audioinput", "Fake Audio Input 2");
        var muted = await SendsAsync(scenario.Visitor, "audio", chosen);
        Assert.False(muted.Enabled); // still muted: the new microphone's track is off too
        await scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Unmute" }).ClickAsync();
        Assert.True((await SenderAsync(scenario.Visitor, "audio")).Enabled);
        var heard = (await CallScenario.StatsAsync(scenario.Host))!.AudioSamplesReceived;
        var sent = (await SenderAsync(scenario.Visitor, "audio")).BytesSent;
        Assert.True(await Eventually.HoldsAsync(async () => (await CallScenario.StatsAsync(scenario.Host))!.AudioSamplesReceived > heard
            && (await SenderAsync(scenario.Visitor, "audio")).BytesSent > sent, TimeSpan.FromSeconds(10)), "the host hears nothing of the new microphone");

        Assert.Equal("stable", (await CallScenario.StatsAsync(scenario.Visitor))!.SignalingState);
        Assert.Equal(descriptions, DescriptionsSent(scenario));
    }

    [Fact]
    public async Task OnAPhoneThatRunsOneCameraAtATimeTheCameraInUseStopsFirstAndThePickedOneIsSent()
    {
        await using var scenario = await CallScenario.StartAsync(browsers, threeCameras.Browser);
        // What such a phone does, simulated in the page: a camera asked for while another runs fails as busy.
        await scenario.Visitor.Context.AddInitScriptAsync("""
            (() => {
                const devices = navigator.mediaDevices, original = devices.getUserMedia.bind(devices), cameras = [];
                devices.getUserMedia = async (constraints) => {
                    if (constraints?.video && cameras.some((t) => t.readyState === 'live')) {
                        throw new DOMException('Could not start video source', 'NotReadableError');
                    }
                    const stream = await original(constraints);
                    cameras.push(...stream.getVideoTracks());
                    return stream;
                };
            })();
            """);
        await scenario.Visitor.ReloadAsync();
        await ConnectedAsync(scenario);
        var descriptions = DescriptionsSent(scenario);

        await PickAsync(scenario.Visitor, "Camera", "fake_device_2");

        await SendsAsync(scenario.Visitor, "video", await DeviceIdAsync(scenario.Visitor, "videoinput", "fake_device_2"));
        await CallScenario.MediaFlowsAgainAsync(scenario.Host, TimeSpan.FromSeconds(15));
        await Expect(scenario.Visitor.GetByText("could not start")).ToHaveCountAsync(0);
        Assert.Equal(descriptions, DescriptionsSent(scenario));
    }

    [Fact]
    public async Task AGermanVisitorOnAPhoneSwitchesTheCameraMidCallUnderGeraeteAndTheHostSeesTheOtherCamera()
    {
        await using var scenario = await CallScenario.StartAsync(browsers, threeCameras.Browser);
        await using var german = await BrowserFixture.NewContextAsync(threeCameras.Browser, "de-DE");
        var visitor = await german.NewPageAsync();
        await visitor.SetViewportSizeAsync(390, 844);
        await visitor.GotoAsync(scenario.Server.BaseUrl);
        await visitor.GetByLabel("Ihr Name").FillAsync("Bärbel");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Chat anfragen" }).ClickAsync();
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bärbel" }).ClickAsync();
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Annehmen" }).ClickAsync();
        await CallScenario.MediaFlowsAsync(scenario.Host);

        await visitor.GetByRole(AriaRole.Button, new() { Name = "Geräte" }).ClickAsync();
        await visitor.GetByRole(AriaRole.Combobox, new() { Name = "Kamera", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "fake_device_2" });

        await SendsAsync(visitor, "video", await DeviceIdAsync(visitor, "videoinput", "fake_device_2"));
        await CallScenario.MediaFlowsAgainAsync(scenario.Host, TimeSpan.FromSeconds(15));
        Assert.True(await visitor.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")); // the open picker fits the phone
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Auflegen" }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Anruf beendet" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DevicesPickedWhileWaitingAreTheOnesTheCallStartsWithAndTheSpeakerPlaysTheOtherSide()
    {
        await using var scenario = await CallScenario.StartAsync(browsers, threeCameras.Browser);
        await scenario.RequestChatAsync("Bob");

        await PickAsync(scenario.Visitor, "Camera", "fake_device_2");
        await PickAsync(scenario.Visitor, "Microphone", "Fake Audio Input 1");
        await PickAsync(scenario.Visitor, "Speaker", "Fake Audio Output 2");
        await ConnectedAsync(scenario.Visitor, scenario);

        Assert.Equal("fake_device_2", (await SenderAsync(scenario.Visitor, "video")).Label);
        Assert.Equal("Fake Audio Input 1", (await SenderAsync(scenario.Visitor, "audio")).Label);
        Assert.Equal(await DeviceIdAsync(scenario.Visitor, "audiooutput", "Fake Audio Output 2"),
            await scenario.Visitor.GetByLabel("Remote video").EvaluateAsync<string>("v => v.sinkId"));
        await CallScenario.MediaFlowsAgainAsync(scenario.Host, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WhenTheCameraInUseIsUnpluggedAnotherTakesOverAndTheOtherSideKeepsSeeing()
    {
        await using var scenario = await ConnectedAsync(await CallScenario.StartAsync(browsers, threeCameras.Browser));
        await PickAsync(scenario.Visitor, "Camera", "fake_device_2");
        await SendsAsync(scenario.Visitor, "video", await DeviceIdAsync(scenario.Visitor, "videoinput", "fake_device_2"));

        await UnplugAsync(scenario.Visitor, "video");

        await Expect(scenario.Visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "The camera was disconnected. Now using fake_device_0." })).ToBeVisibleAsync();
        await SendsAsync(scenario.Visitor, "video", await DeviceIdAsync(scenario.Visitor, "videoinput", "fake_device_0"));
        await CallScenario.MediaFlowsAgainAsync(scenario.Host, TimeSpan.FromSeconds(15));
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Camera off" })).ToBeEnabledAsync();
    }

    [Fact]
    public async Task WhenTheOnlyCameraIsUnpluggedThePersonIsToldAndTheCallGoesOnWithSound()
    {
        await using var scenario = await ConnectedAsync(await CallScenario.StartAsync(browsers)); // one fake camera

        await UnplugAsync(scenario.Visitor, "video");

        await Expect(scenario.Visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "The camera was disconnected and there is no other" })).ToBeVisibleAsync();
        await Expect(scenario.Visitor.GetByRole(AriaRole.Button, new() { Name = "Camera on" })).ToBeDisabledAsync();
        Assert.Null((await SenderAsync(scenario.Visitor, "video")).TrackId);
        var heard = (await CallScenario.StatsAsync(scenario.Host))!.AudioSamplesReceived;
        Assert.True(await Eventually.HoldsAsync(async () => (await CallScenario.StatsAsync(scenario.Host))!.AudioSamplesReceived > heard, TimeSpan.FromSeconds(10)));
        await Expect(scenario.Visitor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected with alice" })).ToBeVisibleAsync();
        await Expect(scenario.Host.GetByText("Bob has no camera; audio only.")).ToBeVisibleAsync(); // the host is told why the picture stopped
    }

    [Fact]
    public async Task AVisitorWithNoCameraWhoseMicrophoneIsSlowerThanTheHostsOfferHoldsOneVideoTransceiver()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var cameraless = await scenario.OpenAsync(scenario.Server.BaseUrl, PageScripts.Called(PageScripts.NoCameraAndASlowMicrophone));
        await CallScenario.RequestChatAsync(cameraless, "Bob");
        await scenario.Host.GetByRole(AriaRole.Button, new() { Name = "Call Bob" }).ClickAsync();
        await cameraless.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();

        await CallScenario.MediaFlowsAsync(cameraless); // the host's camera, decoded
        await Expect(scenario.Host.GetByText("Bob has no camera; audio only.")).ToBeVisibleAsync();
        foreach (var page in new[] { cameraless, scenario.Host })
        {
            Assert.True(await Eventually.HoldsAsync(async () => (await CallScenario.StatsAsync(page))!.SignalingState == "stable", TimeSpan.FromSeconds(10)));
            var transceivers = await page.EvaluateAsync<string[]>(
                "async () => (await import('./js/webrtc-call.js')).openPeerSenders().then((all) => all[0].map((s) => s.kind))");
            Assert.Equal(["audio", "video"], transceivers.Order());
        }
    }

    [Fact]
    public async Task TheSpeakerIsOfferedOnlyWhereTheBrowserLetsAPageChooseIt()
    {
        await using var scenario = await CallScenario.StartAsync(browsers);
        var withoutSinkId = await scenario.OpenAsync(scenario.Server.BaseUrl, "delete HTMLMediaElement.prototype.setSinkId;");

        foreach (var (page, offered) in new[] { (scenario.Visitor, true), (withoutSinkId, false) })
        {
            await CallScenario.RequestChatAsync(page, offered ? "Bob" : "Carol");
            await page.GetByRole(AriaRole.Button, new() { Name = "Devices" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Camera", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Microphone", Exact = true })).ToBeVisibleAsync();
            if (offered)
            {
                var speakers = page.GetByRole(AriaRole.Combobox, new() { Name = "Speaker", Exact = true });
                await Expect(speakers).ToBeVisibleAsync();

                // A device plugged in: the browser fires devicechange, and the lists are read again (a page cannot plug
                // in a fake device, so one is taken out of the list and the event given as the browser would).
                var listed = await speakers.Locator("option").CountAsync();
                await speakers.EvaluateAsync("s => { s.options[s.options.length - 1].remove(); navigator.mediaDevices.dispatchEvent(new Event('devicechange')); }");
                await Expect(speakers.Locator("option")).ToHaveCountAsync(listed);
            }
            else
            {
                await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Speaker", Exact = true })).ToBeHiddenAsync();
            }
        }
    }

    // The visitor, already waiting, is called and answers.
    private static async Task ConnectedAsync(IPage visitor, CallScenario scenario)
    {
        Assert.Same(visitor, scenario.Visitor);
        await scenario.CallAndAnswerAsync("Bob");
        await CallScenario.MediaFlowsAsync(scenario.Host);
        await CallScenario.MediaFlowsAsync(scenario.Visitor);
    }

    // Opens the page's device picker if it is closed and picks the device by its name.
    private static async Task PickAsync(IPage page, string list, string device)
    {
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Devices" });
        if (await toggle.GetAttributeAsync("aria-expanded") != "true")
        {
            await toggle.ClickAsync();
        }

        var select = page.GetByRole(AriaRole.Combobox, new() { Name = list, Exact = true });
        await Expect(select.Locator("option", new() { HasText = device })).ToHaveCountAsync(1);
        await select.SelectOptionAsync(new SelectOptionValue { Label = device });
    }

    // What an unplugged device does to its track: it ends. A page cannot unplug a fake device, so the track is
    // stopped and given the 'ended' event the browser would fire (stop() alone fires none).
    private static async Task UnplugAsync(IPage page, string kind) => await page.GetByLabel("Your camera").EvaluateAsync(
        "(v, kind) => { const t = v.srcObject.getTracks().find(t => t.kind === kind); t.stop(); t.dispatchEvent(new Event('ended')); }", kind);

    private static Task<string> DeviceIdAsync(IPage page, string kind, string label) => page.EvaluateAsync<string>(
        "async ([kind, label]) => (await navigator.mediaDevices.enumerateDevices()).find(d => d.kind === kind && d.label === label)?.deviceId ?? ''",
        new[] { kind, label });

    private static async Task<SenderReport> SenderAsync(IPage page, string kind)
    {
        var all = await page.EvaluateAsync<JsonElement>("async () => (await import('./js/webrtc-call.js')).openPeerSenders()");
        return all[0].Deserialize<SenderReport[]>(WebJson)!.Single(s => s.Kind == kind);
    }

    // Waits until the sender of this kind sends a track of this device, read from that track and from the sender's
    // own media source, and its counters rise.
    private static async Task<SenderReport> SendsAsync(IPage page, string kind, string deviceId)
    {
        Assert.NotEqual("", deviceId);
        SenderReport? report = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            report = await SenderAsync(page, kind);
            return report.DeviceId == deviceId && report.SourceTrackId == report.TrackId;
        }, TimeSpan.FromSeconds(10)), $"the {kind} sender does not send {deviceId[..8]}…: {report}");
        var sent = report!;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var now = await SenderAsync(page, kind);
            return kind == "video" ? now.FramesSent > sent.FramesSent : now.BytesSent > sent.BytesSent;
        }, TimeSpan.FromSeconds(10)), $"the {kind} sender sends nothing of {sent.Label}");
        return sent;
    }

    // Descriptions the pages sent through their circuits (OnLocalDescription calls), counted in the recorded frames.
    private static int DescriptionsSent(CallScenario scenario) => scenario.CircuitFrames.Count(frame => Decoded(frame).Contains("OnLocalDescription", StringComparison.Ordinal));

    // A recorded frame as text: Blazor's binary frames are recorded in base64.
    private static string Decoded(string frame) => frame + Encoding.UTF8.GetString(TryBase64(frame));

    private static byte[] TryBase64(string frame)
    {
        var buffer = new byte[frame.Length];
        return Convert.TryFromBase64String(frame, buffer, out var written) ? buffer[..written] : [];
    }

    private sealed record SenderReport(string Kind, string? TrackId, string? DeviceId, string? Label, bool? Enabled, string? SourceTrackId, double FramesSent, double BytesSent);
}
