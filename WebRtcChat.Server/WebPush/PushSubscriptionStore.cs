using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Server.WebPush;

/// <summary>A stored device with what the channel needs to reach it.</summary>
/// <param name="Device">What the console lists.</param>
/// <param name="Subscription">Where and how to send.</param>
public sealed record StoredPushDevice(PushDevice Device, PushSubscriptionData Subscription);

/// <summary>
/// The hosts' Web Push devices, in SQLite (<see cref="FileName"/> in the data directory, WAL, synchronous FULL, as the
/// ban store), and in memory as an immutable dictionary per host, so that <see cref="HasDevices"/> (the channel's
/// synchronous <c>IsConfigured</c>) and the console's list read without a lock or a query. Hosts are keyed by
/// <see cref="VisitorNames.MatchKey"/> of their name, as names are compared everywhere else. Each row remembers
/// the VAPID public key it was made with; rows made with another key (the key file removed) are dropped at open,
/// since no push service would take a message for them.
/// </summary>
public sealed class PushSubscriptionStore : IPushDevices, IDisposable
{
    /// <summary>The file name of the database in the data directory.</summary>
    public const string FileName = "push.db";

    /// <summary>The schema's migrations, oldest first (see <see cref="SchemaVersion"/>); add new ones at the end.</summary>
    internal static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS push_devices(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            host TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            p256dh TEXT NOT NULL,
            auth TEXT NOT NULL,
            server_key TEXT NOT NULL,
            added_at_utc INTEGER NOT NULL,
            UNIQUE(host, endpoint));
        """,
    ];

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private volatile ImmutableDictionary<string, ImmutableList<StoredPushDevice>> _devices;
    private Action<string>[] _subscribers = [];
    private bool _disposed;

    /// <summary>Opens (creating if need be) the database, drops rows of another VAPID key, and loads the rest.</summary>
    public PushSubscriptionStore(string databaseFile, string applicationServerKey, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ApplicationServerKey = applicationServerKey;
        _time = time;
        DatabasePath = databaseFile;
        _connection = SchemaVersion.OpenStore(databaseFile, Migrations, logger);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM push_devices WHERE server_key <> $key;";
            command.Parameters.AddWithValue("$key", applicationServerKey);
            var dropped = command.ExecuteNonQuery();
            if (dropped > 0)
            {
                logger?.LogWarning("Web Push: {Count} device(s) subscribed under an earlier VAPID key were dropped; they must turn alerts on again", dropped);
            }
        }

        _devices = Load();
    }

    /// <summary>Opens the store in the data directory for the given keys.</summary>
    public PushSubscriptionStore(string dataDirectory, VapidKeys keys, TimeProvider time, ILogger<PushSubscriptionStore> logger)
        : this(Path.Combine(DataDirectory.Ensure(dataDirectory), FileName), keys.PublicKey, time, logger)
    {
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public string ApplicationServerKey { get; }

    /// <summary>Whether the host named <paramref name="host"/> has at least one device. Lock-free.</summary>
    public bool HasDevices(string host) => _devices.ContainsKey(VisitorNames.MatchKey(host));

    /// <summary>The host's devices with their subscriptions, oldest first. Lock-free.</summary>
    public IReadOnlyList<StoredPushDevice> Subscriptions(string host) =>
        _devices.TryGetValue(VisitorNames.MatchKey(host), out var devices) ? devices : [];

    /// <inheritdoc />
    public IReadOnlyList<PushDevice> DevicesOf(string host) => [.. Subscriptions(host).Select(d => d.Device)];

    /// <inheritdoc />
    public PushDeviceAdded Add(string host, PushSubscriptionPayload subscription)
    {
        if (PushSubscriptionRules.Check(subscription, out _) is not { } valid)
        {
            return PushDeviceAdded.Invalid;
        }

        var key = VisitorNames.MatchKey(host);
        lock (_gate)
        {
            var current = _devices.GetValueOrDefault(key, []);
            var existing = current.FirstOrDefault(d => d.Subscription.Endpoint == valid.Endpoint);
            if (existing is null && current.Count >= PushSubscriptionRules.MaxDevicesPerHost)
            {
                return PushDeviceAdded.TooMany;
            }

            var now = existing?.Device.AddedAt ?? _time.GetUtcNow();
            using var command = _connection.CreateCommand();
            // The same browser subscribing again (new keys after a reinstall, say) renews its row rather than adding one.
            command.CommandText = """
                INSERT INTO push_devices(host, endpoint, p256dh, auth, server_key, added_at_utc)
                VALUES ($host, $endpoint, $p256dh, $auth, $key, $added)
                ON CONFLICT(host, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, server_key = excluded.server_key
                RETURNING id;
                """;
            command.Parameters.AddWithValue("$host", key);
            command.Parameters.AddWithValue("$endpoint", valid.Endpoint);
            command.Parameters.AddWithValue("$p256dh", valid.P256dh);
            command.Parameters.AddWithValue("$auth", valid.Auth);
            command.Parameters.AddWithValue("$key", ApplicationServerKey);
            command.Parameters.AddWithValue("$added", now.ToUnixTimeMilliseconds());
            var id = (long)command.ExecuteScalar()!;
            var device = new StoredPushDevice(new PushDevice(id, valid.Endpoint, PushSubscriptionRules.LabelFor(valid.Endpoint), now), valid);
            var list = existing is null ? current.Add(device) : current.Replace(existing, device);
            _devices = _devices.SetItem(key, list);
        }

        Tell(key);
        return PushDeviceAdded.Added;
    }

    /// <inheritdoc />
    public bool Remove(string host, long id) => RemoveWhere(host, d => d.Device.Id == id);

    /// <summary>Removes the host's device with this endpoint (the push service said it is gone).</summary>
    public bool RemoveEndpoint(string host, string endpoint) => RemoveWhere(host, d => d.Subscription.Endpoint == endpoint);

    /// <inheritdoc />
    public IDisposable Subscribe(Action<string> changed)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, changed];
        }

        return new Subscription(this, changed);
    }

    /// <summary>Closes the database.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _connection.Dispose();
        }
    }

    private bool RemoveWhere(string host, Func<StoredPushDevice, bool> match)
    {
        var key = VisitorNames.MatchKey(host);
        lock (_gate)
        {
            if (_disposed || !_devices.TryGetValue(key, out var current) || current.FirstOrDefault(match) is not { } gone)
            {
                return false;
            }

            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM push_devices WHERE id = $id AND host = $host;";
            command.Parameters.AddWithValue("$id", gone.Device.Id);
            command.Parameters.AddWithValue("$host", key);
            command.ExecuteNonQuery();
            var list = current.Remove(gone);
            _devices = list.IsEmpty ? _devices.Remove(key) : _devices.SetItem(key, list);
        }

        Tell(key);
        return true;
    }

    private void Tell(string host)
    {
        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber(host);
            }
#pragma warning disable CA1031 // One console's failure must not stop the others.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private ImmutableDictionary<string, ImmutableList<StoredPushDevice>> Load()
    {
        var devices = new Dictionary<string, ImmutableList<StoredPushDevice>.Builder>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, host, endpoint, p256dh, auth, added_at_utc FROM push_devices ORDER BY id;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // A row edited by hand into something that breaks the rules is skipped, never posted to.
            var payload = new PushSubscriptionPayload(reader.GetString(2), new PushSubscriptionKeys(reader.GetString(3), reader.GetString(4)));
            if (PushSubscriptionRules.Check(payload, out _) is not { } valid)
            {
                continue;
            }

            var host = reader.GetString(1);
            var device = new PushDevice(reader.GetInt64(0), valid.Endpoint, PushSubscriptionRules.LabelFor(valid.Endpoint),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
            if (!devices.TryGetValue(host, out var list))
            {
                devices[host] = list = ImmutableList.CreateBuilder<StoredPushDevice>();
            }

            list.Add(new StoredPushDevice(device, valid));
        }

        return devices.ToImmutableDictionary(d => d.Key, d => d.Value.ToImmutable(), StringComparer.Ordinal);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Subscription(PushSubscriptionStore store, Action<string> changed) : IDisposable
    {
        public void Dispose()
        {
            lock (store._gate)
            {
                store._subscribers = [.. store._subscribers.Where(s => s != changed)];
            }
        }
    }
}
