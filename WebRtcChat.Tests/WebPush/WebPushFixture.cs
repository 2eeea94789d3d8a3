using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.WebPush;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.WebPush;

/// <summary>A data directory of its own with the VAPID key and the device store, and the settings of two hosts.</summary>
public sealed class WebPushFixture : IDisposable
{
    public static readonly AdministratorOptions Alice = new() { Name = "alice", ConsolePath = "/desk-7Qf2-alice", SuperAdministrator = true };
    public static readonly AdministratorOptions Dave = new() { Name = "Dave", ConsolePath = "/desk-dave-0001" };

    public WebPushFixture(string vapidSubject = "mailto:ops@example.org")
    {
        Directory.CreateDirectory(DataDirectory);
        Keys = VapidKeys.LoadOrCreate(DataDirectory);
        Store = OpenStore();
        Settings = new WebRtcChatSettings(new WebRtcChatOptions
        {
            Server = new ServerOptions { DataDirectory = DataDirectory },
            Administrators = [Alice, Dave],
            Alerts = new AlertsOptions { VapidSubject = vapidSubject },
        });
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "webrtcchat-tests", Guid.NewGuid().ToString("N"), "data");

    public ManualTime Time { get; } = new();

    public VapidKeys Keys { get; private set; }

    public PushSubscriptionStore Store { get; private set; }

    public WebRtcChatSettings Settings { get; }

    /// <summary>Closes the store and opens it again on the same file, as a restart does (with the key read again).</summary>
    public void Restart()
    {
        Store.Dispose();
        Keys = VapidKeys.LoadOrCreate(DataDirectory);
        Store = OpenStore();
    }

    public WebPushChannel Channel(LoopbackPushService service) =>
        new(Store, Keys, Settings, new LoopbackPushService.ClientFactory(service), NullLogger<WebPushChannel>.Instance);

    private PushSubscriptionStore OpenStore() => new(DataDirectory, Keys, Time, NullLogger<PushSubscriptionStore>.Instance);

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true);
    }
}
