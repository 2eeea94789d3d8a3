using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Server.Audit;

/// <summary>
/// The record of failed attempts, in SQLite (<c>audit.db</c> in the data directory). It is durable: WAL mode with
/// <c>synchronous=FULL</c>, one committed transaction per record, so a record that was added survives a crash or a
/// kill -9. Connections from banned addresses are only counted in memory and written as one record per address
/// every few seconds, so a flood costs no disk writes per connection. Records older than
/// <c>Audit.RetentionDays</c> are removed at start and every hour, and past <see cref="MaxRecords"/> each new record
/// pushes out the oldest in the same transaction, so the file stays bounded even under a long flood.
/// </summary>
public sealed class AuditLog : IFailedAttemptLog, IDisposable
{
    /// <summary>How often counted banned connections are written.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>The most records kept, whatever the retention: the oldest go first.</summary>
    public const int MaxRecords = 100_000;

    /// <summary>Repeats of a kind that is never a strike, from one address, within this time, only count up one record.</summary>
    public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMinutes(1);

    /// <summary>The most banned clients counted one by one between two writes.</summary>
    public const int MaxCountedClients = 10_000;

    /// <summary>The address recorded for banned connections counted past <see cref="MaxCountedClients"/>.</summary>
    public const string ManyClients = "(many addresses)";

    private const int MaxDetailLength = 200;
    private const int MaxCoalescing = 10_000;

    // Kinds that are never strikes, so no ban ever stops them: a loop of them must not mean a disk write each.
    private static readonly HashSet<string> Coalesced =
    [
        AttemptKinds.Geoblocked, AttemptKinds.UnknownAdministrator, AttemptKinds.NotPermittedName, AttemptKinds.LobbyFull,
    ];

    private readonly ConcurrentDictionary<(string Address, string Kind), Repeats> _repeats = new();
    private readonly WebRtcChatSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;
    private readonly string _connectionString;
    private readonly Lock _writeGate = new();
    private readonly SqliteConnection _writer;
    private readonly ConcurrentDictionary<string, int> _bannedConnections = new(StringComparer.Ordinal);
    private readonly ITimer _flushTimer;
    private readonly ITimer _retentionTimer;
    private readonly int _maxRecords;
    private Action[] _subscribers = [];
    private bool _disposed;

    /// <summary>The file name of the database in the data directory.</summary>
    public const string FileName = "audit.db";

    /// <summary>The schema's migrations, oldest first (see <see cref="SchemaVersion"/>); add new ones at the end.</summary>
    internal static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at_utc INTEGER NOT NULL,
            address TEXT NOT NULL,
            country TEXT,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1);
        CREATE INDEX IF NOT EXISTS attempts_at ON attempts(at_utc);
        CREATE INDEX IF NOT EXISTS attempts_kind ON attempts(kind, id);
        CREATE INDEX IF NOT EXISTS attempts_address ON attempts(address, id);
        """,
    ];

    public AuditLog(WebRtcChatSettings settings, TimeProvider time, ILogger<AuditLog> logger)
        : this(settings, time, logger, MaxRecords)
    {
    }

    /// <summary>For tests: a smaller cap than <see cref="MaxRecords"/>.</summary>
    internal AuditLog(WebRtcChatSettings settings, TimeProvider time, ILogger<AuditLog> logger, int maxRecords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        _maxRecords = maxRecords;
        _settings = settings;
        _time = time;
        _logger = logger;
        var directory = DataDirectory.Ensure(settings.Current.Server.DataDirectory);
        DatabasePath = Path.Combine(directory, FileName);
        _writer = SchemaVersion.OpenStore(DatabasePath, Migrations, logger);
        _connectionString = _writer.ConnectionString; // the readers' connections, to the same file with the same settings
        ApplyRetention();
        _flushTimer = time.CreateTimer(_ => FlushBannedConnections(), null, FlushInterval, FlushInterval);
        _retentionTimer = time.CreateTimer(_ => ApplyRetention(), null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Adds one record, committed to disk before this returns; or, for a repeat within <see cref="CoalesceWindow"/> of
    /// a kind that is never a strike (or of an attempt that is not one, <paramref name="coalesce"/>), from the same
    /// client (an IPv4 address, an IPv6 /64), counts it against the first record (written with the next flush).
    /// </summary>
    public void Add(string kind, string address, string? country, string detail, int count = 1, bool coalesce = false)
    {
        var now = _time.GetUtcNow();
        var coalesced = coalesce || Coalesced.Contains(kind);
        var client = ClientKeys.Of(address);
        if (coalesced && _repeats.TryGetValue((client, kind), out var repeats) && repeats.Count(now))
        {
            return;
        }

        long id;
        lock (_writeGate)
        {
            if (_disposed)
            {
                return;
            }

            using var transaction = _writer.BeginTransaction();
            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO attempts (at_utc, address, country, kind, detail, count) VALUES ($at, $address, $country, $kind, $detail, $count) RETURNING id";
            command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$address", Truncate(address, 64));
            command.Parameters.AddWithValue("$country", (object?)country ?? DBNull.Value);
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$detail", Truncate(Sanitize(detail), MaxDetailLength));
            command.Parameters.AddWithValue("$count", count);
            id = (long)command.ExecuteScalar()!;

            // Ids only grow, so the newest MaxRecords are those above id - MaxRecords: one indexed range, mostly empty.
            using var cap = _writer.CreateCommand();
            cap.Transaction = transaction;
            cap.CommandText = "DELETE FROM attempts WHERE id <= $id - $max";
            cap.Parameters.AddWithValue("$id", id);
            cap.Parameters.AddWithValue("$max", _maxRecords);
            cap.ExecuteNonQuery();
            transaction.Commit();
        }

        if (coalesced && _repeats.Count < MaxCoalescing)
        {
            if (_repeats.TryGetValue((client, kind), out var expired))
            {
                WriteRepeats(expired, now); // the last window's repeats, before a new window starts
            }

            _repeats[(client, kind)] = new Repeats(id, now);
        }

        Notify();
    }

    /// <summary>
    /// Counts one connection from a banned client (an IPv4 address, an IPv6 /64: the unit bans apply to); written with
    /// the others every few seconds. Past <see cref="MaxCountedClients"/> clients in one interval, the rest are counted
    /// together under <see cref="ManyClients"/>.
    /// </summary>
    public void CountBannedConnection(string address)
    {
        var client = ClientKeys.Of(address);
        if (_bannedConnections.Count >= MaxCountedClients && !_bannedConnections.ContainsKey(client))
        {
            client = ManyClients;
        }

        _bannedConnections.AddOrUpdate(client, 1, (_, n) => n + 1);
    }

    /// <summary>
    /// Writes what was only counted: banned connections (one record per address) and repeats of coalesced kinds.
    /// Runs every few seconds; public for tests.
    /// </summary>
    public void FlushBannedConnections()
    {
        foreach (var address in _bannedConnections.Keys)
        {
            if (_bannedConnections.TryRemove(address, out var count) && count > 0)
            {
                Add(AttemptKinds.BannedConnection, address, null, $"{count} connection(s) closed on accept", count);
            }
        }

        var now = _time.GetUtcNow();
        var updated = false;
        foreach (var (key, repeats) in _repeats)
        {
            updated |= WriteRepeats(repeats, now, out var expired);
            if (expired)
            {
                // Only this entry: a new window that Add started meanwhile stays.
                _repeats.TryRemove(KeyValuePair.Create(key, repeats));
            }
        }

        if (updated)
        {
            Notify();
        }
    }

    private bool WriteRepeats(Repeats repeats, DateTimeOffset now) => WriteRepeats(repeats, now, out _);

    // Adds the repeats counted since the last flush to their record.
    private bool WriteRepeats(Repeats repeats, DateTimeOffset now, out bool expired)
    {
        var (extra, last, isExpired) = repeats.Take(now);
        expired = isExpired;
        if (extra == 0)
        {
            return false;
        }

        lock (_writeGate)
        {
            if (_disposed)
            {
                return false;
            }

            using var command = _writer.CreateCommand();
            command.CommandText = "UPDATE attempts SET count = count + $extra, at_utc = $at WHERE id = $id";
            command.Parameters.AddWithValue("$extra", extra);
            command.Parameters.AddWithValue("$at", last.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", repeats.Id);
            command.ExecuteNonQuery();
        }

        return true;
    }

    /// <summary>Removes records older than <c>Audit.RetentionDays</c>. Runs at start and hourly; public for tests.</summary>
    public int ApplyRetention()
    {
        var cutoff = _time.GetUtcNow().AddDays(-_settings.Current.Audit.RetentionDays).ToUnixTimeMilliseconds();
        int removed;
        lock (_writeGate)
        {
            if (_disposed)
            {
                return 0;
            }

            using var command = _writer.CreateCommand();
            command.CommandText = "DELETE FROM attempts WHERE at_utc < $cutoff OR id <= (SELECT MAX(id) FROM attempts) - $max";
            command.Parameters.AddWithValue("$max", _maxRecords);
            command.Parameters.AddWithValue("$cutoff", cutoff);
            removed = command.ExecuteNonQuery();
        }

        if (removed > 0)
        {
            _logger.LogInformation("Audit: removed {Count} failed attempt(s) older than {Days} days", removed, _settings.Current.Audit.RetentionDays);
            Notify();
        }

        return removed;
    }

    /// <inheritdoc />
    public FailedAttemptPage Query(string? kind, string? address, int page, int pageSize)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        page = Math.Max(page, 0);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        var where = "WHERE ($kind IS NULL OR kind = $kind) AND ($address IS NULL OR address = $address)";
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM attempts {where}";
        AddFilter(count, kind, address);
        var total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT id, at_utc, address, country, kind, detail, count FROM attempts {where} ORDER BY id DESC LIMIT $limit OFFSET $offset";
        AddFilter(select, kind, address);
        select.Parameters.AddWithValue("$limit", pageSize);
        select.Parameters.AddWithValue("$offset", (long)page * pageSize);
        return new FailedAttemptPage(ReadAll(select), total);
    }

    /// <summary>
    /// The newest records since <paramref name="since"/> (of one kind, if given), read from the file alone, without
    /// opening the audit for writing: for the <c>attempts</c> command, next to a running server.
    /// </summary>
    public static IReadOnlyList<FailedAttempt> ReadRecent(string databasePath, DateTimeOffset since, string? kind, int limit)
    {
        if (!File.Exists(databasePath))
        {
            return [];
        }

        using var connection = SchemaVersion.OpenReadOnly(databasePath);
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, at_utc, address, country, kind, detail, count FROM attempts WHERE at_utc >= $since AND ($kind IS NULL OR kind = $kind) ORDER BY id DESC LIMIT $limit";
        select.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        select.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
        select.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, MaxRecords));
        return ReadAll(select);
    }

    private static List<FailedAttempt> ReadAll(SqliteCommand select)
    {
        var items = new List<FailedAttempt>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            items.Add(new FailedAttempt(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6)));
        }

        return items;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Action onChange)
    {
        lock (_writeGate)
        {
            _subscribers = [.. _subscribers, onChange];
        }

        return new Unsubscriber(this, onChange);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _flushTimer.Dispose();
        _retentionTimer.Dispose();
        FlushBannedConnections();
        lock (_writeGate)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    /// <summary>Keeps a detail to one line of printable text.</summary>
    public static string Sanitize(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] + "…" : text;

    private static void AddFilter(SqliteCommand command, string? kind, string? address)
    {
        command.Parameters.AddWithValue("$kind", string.IsNullOrWhiteSpace(kind) ? DBNull.Value : kind);
        command.Parameters.AddWithValue("$address", string.IsNullOrWhiteSpace(address) ? DBNull.Value : address.Trim());
    }

    private void Notify()
    {
        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber();
            }
#pragma warning disable CA1031 // A console that is gone must not stop the record.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogDebug(e, "An audit subscriber failed");
            }
        }
    }

    /// <summary>Repeats counted against one record, since it was written.</summary>
    private sealed class Repeats(long id, DateTimeOffset since)
    {
        private readonly Lock _gate = new();
        private int _extra;
        private readonly DateTimeOffset _since = since;
        private DateTimeOffset _last = since;

        public long Id => id;

        // Counts a repeat if the window is still open.
        public bool Count(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (now - _since >= CoalesceWindow)
                {
                    return false;
                }

                _extra++;
                _last = now;
                return true;
            }
        }

        public (int Extra, DateTimeOffset Last, bool Expired) Take(DateTimeOffset now)
        {
            lock (_gate)
            {
                var extra = _extra;
                _extra = 0;
                return (extra, _last, now - _since >= CoalesceWindow);
            }
        }
    }

    private sealed class Unsubscriber(AuditLog owner, Action onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._writeGate)
            {
                owner._subscribers = [.. owner._subscribers.Where(s => s != onChange)];
            }
        }
    }
}
