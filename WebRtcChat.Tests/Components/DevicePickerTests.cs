using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using WebRtcChat.Components.Calls;

namespace WebRtcChat.Tests.Components;

public sealed class DevicePickerTests : BunitContext
{
    public DevicePickerTests()
    {
        Services.AddLocalization();
        SetUp(JSInterop);
    }

    /// <summary>What a page needs for every <see cref="DevicePicker"/> it renders, under bUnit's strict interop.</summary>
    public static BunitJSModuleInterop SetUp(BunitJSInterop js)
    {
        var picker = js.SetupModule("./js/media-devices.js").SetupModule("attachPicker", _ => true);
        picker.SetupVoid("detach").SetVoidResult();
        return picker;
    }

    [Fact]
    public void ThePickerIsAClosedPanelOfThreeLabelledListsThatThePageFillsAndNoDeviceReachesTheServer()
    {
        var picker = Render<DevicePicker>();

        picker.WaitForAssertion(() => Assert.False(picker.Find("button[data-devices-toggle]").HasAttribute("disabled"))); // once the page has the picker
        var toggle = picker.Find("button[data-devices-toggle]");
        Assert.Equal("Devices", toggle.TextContent);
        Assert.Equal("false", toggle.GetAttribute("aria-expanded"));
        Assert.True(picker.Find("[data-devices-panel]").HasAttribute("hidden"));
        foreach (var (kind, label) in new[] { ("videoinput", "Camera"), ("audioinput", "Microphone"), ("audiooutput", "Speaker") })
        {
            var select = picker.Find($"select[data-device={kind}]");
            Assert.Equal(label, select.ParentElement!.TextContent.Trim()); // the select's label, for a screen reader
            Assert.Empty(select.Children); // the devices are the page's: listed there, never rendered here
        }

        Assert.Equal("Camera {0}", picker.Find("[data-devices-status]").ParentElement!.GetAttribute("data-unnamed-videoinput"));
        var attached = Assert.Single(JSInterop.Invocations["attachPicker"]);
        Assert.IsType<ElementReference>(attached.Arguments[0]);
    }

    [Fact]
    public async Task ThePagesPickerIsLetGoWhenThePickerGoes()
    {
        var picker = Render<DevicePicker>();
        picker.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["attachPicker"]));

        await picker.Instance.DisposeAsync();

        Assert.Single(JSInterop.Invocations["detach"]);
    }
}
