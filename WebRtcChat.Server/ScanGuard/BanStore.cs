using System.Collections.Immutable;
using System.Net;
using Microsoft.Data.Sqlite;

using WebRtcChat.Server.Configuration;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.ScanGuard;

/// <summary>One ban: until when, and why.</summary>
/// <param name="Address">The banned address, IPv4-mapped IPv6 addresses given as IPv4.</param>
/// <param name="Until">The end of the ban.</param>
/// <param name="Reason">Why, e.g. <c>scanner-path</c>.</param>
/// <param name="BannedAt">When the ban was made.</param>
public sealed record BanEntry(IPAddress Address, DateTimeOffset Until, string Reason, DateTimeOffset BannedAt);

/// <summary>
/// Bans, kept in SQLite (<c>webrtcchat.db</c> in the data directory, WAL, synchronous FULL) so that a restart does
/// not unban anyone, and in memory as an immutable dictionary so that <see cref="IsBanned"/>, which runs on every
/// accepted connection, reads without a lock. Times are stored as Unix milliseconds (UTC). Expired bans are
/// deleted at start and whenever a new ban is made.
/// </summary>
public sealed class BanStore : IDisposable
{
    /// <summary>The file name of the database in the data directory.</summary>
    public const string FileName = "webrtcchat.db";

    /// <summary>The schema's migrations, oldest first (see <see cref="SchemaVersion"/>); add new ones at the end.</summary>
    internal static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS bans(
            address TEXT PRIMARY KEY,
            until_utc INTEGER NOT NULL,
            reason TEXT NOT NULL,
            banned_at_utc INTEGER NOT NULL);
        """,
    ];

    /// <summary>How often the store looks for changes another process made (a ban lifted from the command line).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly ITimer _refresh;
    private long _dataVersion;
    private bool _disposed;
    private volatile ImmutableDictionary<IPAddress, BanEntry> _bans;

    /// <summary>Opens (creating if need be) the database and loads every ban still in force.</summary>
    public BanStore(string databaseFile, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _connection = SchemaVersion.OpenStore(databaseFile, Migrations, logger);
        PurgeFromDatabase(time.GetUtcNow());
        _bans = Load();
        _dataVersion = DataVersion();
        _refresh = time.CreateTimer(_ => RefreshIfChanged(), null, RefreshInterval, RefreshInterval);
    }

    /// <summary>Every ban in memory (expired ones may linger until the next ban purges them).</summary>
    public IReadOnlyDictionary<IPAddress, BanEntry> Bans => _bans;

    /// <summary>Bans <paramref name="address"/> until <paramref name="until"/>, replacing any earlier ban of it.</summary>
    public void Ban(IPAddress address, DateTimeOffset until, string reason)
    {
        ArgumentNullException.ThrowIfNull(address);
        var now = _time.GetUtcNow();
        var ban = new BanEntry(NetworkList.Normalize(address), until, reason, now);
        lock (_gate)
        {
            // The row is written (and synced) before the ban is in force, so a ban that was acted on survives a crash.
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO bans(address, until_utc, reason, banned_at_utc) VALUES ($address, $until, $reason, $bannedAt)
                ON CONFLICT(address) DO UPDATE SET until_utc = excluded.until_utc, reason = excluded.reason,
                    banned_at_utc = excluded.banned_at_utc;
                """;
            command.Parameters.AddWithValue("$address", ban.Address.ToString());
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$bannedAt", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            PurgeFromDatabase(now);
            _bans = _bans.RemoveRange(_bans.Values.Where(b => b.Until <= now).Select(b => b.Address)).SetItem(ban.Address, ban);
        }
    }

    /// <summary>The bans in force in the file, read without writing to it (for <c>bans list</c>, next to a running server).</summary>
    public static IReadOnlyList<BanEntry> ReadInForce(string databaseFile, DateTimeOffset now)
    {
        using var connection = SchemaVersion.OpenReadOnly(databaseFile);
        return [.. Read(connection).Values.Where(b => b.Until > now)];
    }

    /// <summary>Lifts the ban of <paramref name="address"/>; false when it was not banned.</summary>
    public bool Lift(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = NetworkList.Normalize(address);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM bans WHERE address = $address;";
            command.Parameters.AddWithValue("$address", key.ToString());
            var lifted = command.ExecuteNonQuery() > 0;
            _bans = _bans.Remove(key);
            _dataVersion = DataVersion();
            return lifted;
        }
    }

    /// <summary>
    /// Reloads the bans when another connection changed the file since the last look (SQLite's
    /// <c>PRAGMA data_version</c>); runs every <see cref="RefreshInterval"/>.
    /// </summary>
    public void RefreshIfChanged()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                var version = DataVersion();
                if (version != _dataVersion)
                {
                    _dataVersion = version;
                    _bans = Load();
                }
            }
            catch (SqliteException)
            {
                // a busy or briefly locked file: the next look in two seconds will do
            }
        }
    }

    /// <summary>Whether <paramref name="address"/> is banned at <paramref name="now"/>. Lock-free.</summary>
    public bool IsBanned(IPAddress address, DateTimeOffset now) =>
        _bans.TryGetValue(NetworkList.Normalize(address), out var ban) && ban.Until > now;

    /// <summary>Closes the database.</summary>
    public void Dispose()
    {
        _refresh.Dispose();
        lock (_gate)
        {
            _disposed = true;
            _connection.Dispose();
        }
    }

    private long DataVersion()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA data_version;";
        return (long)command.ExecuteScalar()!;
    }

    private ImmutableDictionary<IPAddress, BanEntry> Load() => Read(_connection);

    private static ImmutableDictionary<IPAddress, BanEntry> Read(SqliteConnection connection)
    {
        var bans = ImmutableDictionary.CreateBuilder<IPAddress, BanEntry>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, until_utc, reason, banned_at_utc FROM bans;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // A row someone edited by hand into something unreadable is skipped rather than stopping the server.
            if (IPAddress.TryParse(reader.GetString(0), out var address))
            {
                address = NetworkList.Normalize(address);
                bans[address] = new BanEntry(address, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
            }
        }

        return bans.ToImmutable();
    }

    private void PurgeFromDatabase(DateTimeOffset now)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM bans WHERE until_utc <= $now;";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
