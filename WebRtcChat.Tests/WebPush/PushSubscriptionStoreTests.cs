using WebRtcChat.Components.Alerts;
using WebRtcChat.Server.WebPush;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.WebPush;

public sealed class PushSubscriptionStoreTests : IDisposable
{
    private readonly WebPushFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static TestPushSubscription Device(string id) => new(LoopbackPushService.Endpoint(id));

    [Fact]
    public void DevicesSurviveARestartWithTheirKeysAndWhenTheyWereAdded()
    {
        using var phone = Device("phone");
        using var laptop = Device("laptop");
        _f.Store.Add("alice", phone.Payload);
        _f.Time.Advance(TimeSpan.FromMinutes(5));
        _f.Store.Add("alice", laptop.Payload);
        var before = _f.Store.Subscriptions("alice");

        _f.Restart();

        Assert.Equal(before, _f.Store.Subscriptions("alice"));
        Assert.Equal([phone.Endpoint, laptop.Endpoint], _f.Store.DevicesOf("alice").Select(d => d.Endpoint));
        Assert.Equal(_f.Time.GetUtcNow().AddMinutes(-5), _f.Store.DevicesOf("alice")[0].AddedAt);
        Assert.True(_f.Store.HasDevices("alice"));
    }

    [Fact]
    public void EachHostHasOnlyTheirOwnDevicesAndCannotRemoveAnothersDevice()
    {
        using var phone = Device("phone");
        using var daves = Device("daves");
        _f.Store.Add("alice", phone.Payload);
        _f.Store.Add("Dave", daves.Payload);
        var davesId = _f.Store.DevicesOf("dave").Single().Id;

        Assert.False(_f.Store.Remove("alice", davesId));

        Assert.Equal([phone.Endpoint], _f.Store.DevicesOf("Alice").Select(d => d.Endpoint));
        Assert.Equal([daves.Endpoint], _f.Store.DevicesOf(" dave ").Select(d => d.Endpoint));
        Assert.False(_f.Store.HasDevices("carol"));
    }

    [Fact]
    public void ARemovedDeviceIsGoneFromMemoryAndFromTheFile()
    {
        using var phone = Device("phone");
        using var laptop = Device("laptop");
        _f.Store.Add("alice", phone.Payload);
        _f.Store.Add("alice", laptop.Payload);

        Assert.True(_f.Store.Remove("alice", _f.Store.DevicesOf("alice")[0].Id));
        Assert.False(_f.Store.Remove("alice", -1));
        _f.Restart();

        Assert.Equal([laptop.Endpoint], _f.Store.DevicesOf("alice").Select(d => d.Endpoint));
        Assert.True(_f.Store.Remove("alice", _f.Store.DevicesOf("alice")[0].Id));
        Assert.False(_f.Store.HasDevices("alice"));
    }

    [Fact]
    public void AHostHasAtMostTenDevicesButTheSameBrowserCanAlwaysRenewItsKeys()
    {
        var devices = Enumerable.Range(0, PushSubscriptionRules.MaxDevicesPerHost).Select(i => Device("d" + i)).ToList();
        foreach (var device in devices)
        {
            Assert.Equal(PushDeviceAdded.Added, _f.Store.Add("alice", device.Payload));
        }

        using var eleventh = Device("eleventh");
        Assert.Equal(PushDeviceAdded.TooMany, _f.Store.Add("alice", eleventh.Payload));
        using var renewed = new TestPushSubscription(devices[3].Endpoint); // new keys, same endpoint
        Assert.Equal(PushDeviceAdded.Added, _f.Store.Add("alice", renewed.Payload));
        Assert.Equal(PushDeviceAdded.Added, _f.Store.Add("dave", eleventh.Payload)); // the cap is per host

        Assert.Equal(PushSubscriptionRules.MaxDevicesPerHost, _f.Store.DevicesOf("alice").Count);
        Assert.Equal(renewed.Payload.Keys!.Auth, _f.Store.Subscriptions("alice")[3].Subscription.Auth);
        devices.ForEach(d => d.Dispose());
    }

    [Fact]
    public void AnInvalidSubscriptionIsNeverStored()
    {
        Assert.Equal(PushDeviceAdded.Invalid, _f.Store.Add("alice", new PushSubscriptionPayload("https://127.0.0.1/x", new("a", "b"))));
        Assert.False(_f.Store.HasDevices("alice"));
        Assert.Equal(0, SqliteFiles.Scalar(_f.Store.DatabasePath, "SELECT count(*) FROM push_devices;"));
    }

    [Fact]
    public void ConsolesOfTheHostAreToldWhenTheirDevicesChange()
    {
        var told = new List<string>();
        using var subscription = _f.Store.Subscribe(told.Add);
        using var phone = Device("phone");

        _f.Store.Add("Alice", phone.Payload);
        _f.Store.RemoveEndpoint("alice", phone.Endpoint);
        subscription.Dispose();
        _f.Store.Add("alice", phone.Payload);

        var alice = WebRtcChat.Components.Lobby.VisitorNames.MatchKey("alice");
        Assert.Equal([alice, alice], told); // the key names are matched by, so "Alice" and "alice" are one host
    }

    [Fact]
    public void ANewVapidKeyDropsEverySubscriptionMadeWithTheOldOne()
    {
        using var phone = Device("phone");
        _f.Store.Add("alice", phone.Payload);
        File.Delete(Path.Combine(_f.DataDirectory, VapidKeys.FileName));

        _f.Restart();

        Assert.False(_f.Store.HasDevices("alice"));
        Assert.Equal(0, SqliteFiles.Scalar(_f.Store.DatabasePath, "SELECT count(*) FROM push_devices;"));
    }

    [Fact]
    public void TheStoreKeepsASchemaVersionAndWritesInWalMode()
    {
        Assert.Equal(PushSubscriptionStore.Migrations.Count, SqliteFiles.Scalar(_f.Store.DatabasePath, "PRAGMA user_version;"));
        Assert.Equal(Path.Combine(_f.DataDirectory, PushSubscriptionStore.FileName), _f.Store.DatabasePath);
        using var phone = Device("phone");
        _f.Store.Add("alice", phone.Payload);
        Assert.True(File.Exists(_f.Store.DatabasePath + "-wal"));
    }
}

public sealed class VapidKeysTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "webrtcchat-tests", Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheKeyIsMadeOnceReadableOnlyByTheServiceUserAndReusedAfterARestart()
    {
        var first = VapidKeys.LoadOrCreate(_directory);
        var again = VapidKeys.LoadOrCreate(_directory);

        Assert.Equal(first.PublicKey, again.PublicKey);
        Assert.Equal(first.PrivateKey, again.PrivateKey);
        Assert.Equal(65, System.Buffers.Text.Base64Url.DecodeFromChars(first.PublicKey).Length);
        var file = Path.Combine(_directory, VapidKeys.FileName);
        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void AnUnreadableKeyFileStopsTheStartNamingTheFileInsteadOfQuietlyMakingANewKey()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, VapidKeys.FileName);
        File.WriteAllText(file, "garbage");

        var error = Assert.Throws<WebRtcChat.Server.Configuration.InvalidConfigurationException>(() => VapidKeys.LoadOrCreate(_directory));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Equal("garbage", File.ReadAllText(file));
    }
}
