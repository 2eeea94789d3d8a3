using System.Net;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// One published server on a hidden sub-directory for the hostile-input tests; each request comes from a loopback
/// address of its own, so that strikes and bans of one row never reach another.
/// </summary>
public sealed class HostileInputServer : IAsyncLifetime
{
    public const string Collection = "hostile input";

    public const string PathBase = "/Zq8-hideout";

    private int _nextAddress;

    public TestConfig Config { get; } = TestConfig.Create(PathBase);

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>A loopback address no request has come from yet.</summary>
    public IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return IPAddress.Parse($"127.8.{n / 250}.{(n % 250) + 1}");
    }

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(Config);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Config.Dispose();
    }

    /// <summary>Whether an honest visitor still gets the visitor page.</summary>
    public async Task<bool> StillServesAsync()
    {
        using var client = Server.CreateClient();
        return (await client.GetAsync("")).StatusCode == HttpStatusCode.OK;
    }

    /// <summary>The details of the audit's records of one kind from one address.</summary>
    public IReadOnlyList<string> AuditDetails(string kind, IPAddress address) =>
        [.. AuditRecords.Read(Config, kind).Where(r => r.Address == address.ToString()).Select(r => r.Detail)];
}

[CollectionDefinition(HostileInputServer.Collection)]
public sealed class HostileInputGroup : ICollectionFixture<HostileInputServer>;
