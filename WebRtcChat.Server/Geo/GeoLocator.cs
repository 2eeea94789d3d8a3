using System.Net;
using System.Security.Cryptography;
using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Responses;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Server.Geo;

/// <summary>
/// Looks addresses up in the <c>.mmdb</c> file named by <c>Geoblocking.DatabaseFile</c> (GeoLite2-Country,
/// GeoLite2-City or DB-IP Country Lite). The file is polled and read again when its contents change, or when the
/// setting names another file, so a monthly <c>geoipupdate</c> needs no restart. A replacement is opened and tried
/// before it is swapped in; one that is missing or corrupt leaves the last good database in use.
/// </summary>
public sealed class GeoLocator : IDisposable
{
    /// <summary>How often the database file is checked for changes.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    // A lookup takes microseconds; a replaced reader is disposed this long after the swap so none still uses it.
    private static readonly TimeSpan RetireDelay = TimeSpan.FromSeconds(30);

    // Any public address: the trial lookup must get through the tree and decode a record without throwing.
    private static readonly IPAddress TrialAddress = IPAddress.Parse("8.8.8.8");

    private readonly WebRtcChatSettings _settings;
    private readonly ILogger<GeoLocator> _logger;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly IDisposable _subscription;
    private readonly Lock _gate = new();

    // Lookups read this once and use that snapshot throughout; Refresh replaces it whole.
    private volatile Database? _current;
    private string _file = "";
    private FileStamp? _stamp;
    private (string File, FileStamp? Stamp)? _failure;
    private bool _disposed;

    public GeoLocator(WebRtcChatSettings settings, ILogger<GeoLocator> logger, TimeProvider time)
    {
        _settings = settings;
        _logger = logger;
        _time = time;
        _current = LoadInitial(settings.Current.Geoblocking.DatabaseFile);
        _timer = time.CreateTimer(_ => Refresh(), null, PollInterval, PollInterval);
        _subscription = settings.Subscribe(_ => Refresh());
    }

    /// <summary>False when <c>Geoblocking.DatabaseFile</c> is empty: every address is then unknown.</summary>
    public bool IsEnabled => _current is not null;

    /// <summary>The <c>database_type</c> of the database in use (e.g. <c>GeoLite2-City</c>), or null when disabled.</summary>
    public string? DatabaseType => _current?.Reader.Metadata.DatabaseType;

    /// <summary>
    /// The country (and city, with a City database) of <paramref name="address"/>, or null when the database does not
    /// know it (loopback, private ranges, gaps) or geoblocking has no database.
    /// </summary>
    public GeoResult? Locate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var database = _current;
        if (database is null)
        {
            return null;
        }

        // Kestrel's dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; the database files them under IPv4.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        try
        {
            return database.Lookup(address);
        }
        catch (InvalidDatabaseException e)
        {
            // One damaged record must not fail the request; the address is treated as unknown.
            _logger.LogWarning("Geoblocking.DatabaseFile {File}: the record for an address could not be read: {Message}", database.File, e.Message);
            return null;
        }
    }

    /// <summary>Loads the database again if the configured file name or the file's contents changed. Called by the timer and on reloads; public for tests.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var file = _settings.Current.Geoblocking.DatabaseFile;
            if (file.Length == 0)
            {
                if (_current is not null)
                {
                    Swap(null, "", null);
                    _failure = null;
                    _logger.LogInformation("Geoblocking.DatabaseFile is empty: no GeoIP database is in use");
                }

                return;
            }

            var stamp = FileStamp.Of(file);
            // Unchanged name, size and time: skip reading. A City database is ~60 MB, too much to hash every 2 s on a Pi.
            if ((file == _file && stamp == _stamp) || _failure == (file, stamp))
            {
                return;
            }

            try
            {
                var bytes = File.ReadAllBytes(file);
                var hash = SHA256.HashData(bytes);
                if (file == _file && _current is { } current && hash.AsSpan().SequenceEqual(current.Hash))
                {
                    _stamp = stamp; // touched, not changed
                    return;
                }

                var database = Database.Open(file, bytes, hash);
                Swap(database, file, stamp);
                _failure = null;
                _logger.LogInformation("GeoIP database {Type} loaded from {File}, built {Built:yyyy-MM-dd}",
                    database.Reader.Metadata.DatabaseType, file, database.Reader.Metadata.BuildDate);
            }
            catch (Exception e) when (IsUnusableFile(e))
            {
                // Remember name and stamp so one bad file is reported once, not every poll; a further change is tried again.
                _failure = (file, stamp);
                _logger.LogError("Geoblocking.DatabaseFile {File} could not be loaded, still using {Previous}: {Message}",
                    file, _current?.File ?? "no database", e.Message);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _subscription.Dispose();
            _timer.Dispose();
            _current?.Reader.Dispose();
            _current = null;
        }
    }

    private Database? LoadInitial(string file)
    {
        _file = file;
        if (file.Length == 0)
        {
            return null;
        }

        try
        {
            _stamp = FileStamp.Of(file);
            var bytes = File.ReadAllBytes(file);
            return Database.Open(file, bytes, SHA256.HashData(bytes));
        }
        catch (Exception e) when (IsUnusableFile(e))
        {
            throw new InvalidConfigurationException("the configuration file", [$"Geoblocking.DatabaseFile: the GeoIP database {file} could not be loaded: {e.Message}"]);
        }
    }

    private void Swap(Database? database, string file, FileStamp? stamp)
    {
        var old = _current;
        _current = database;
        _file = file;
        _stamp = stamp;
        if (old is not null)
        {
            _ = RetireAsync(old.Reader);
        }
    }

    // A Locate may have read the old snapshot just before the swap. Rather than count references on the hot path,
    // the old reader is disposed only after a delay far longer than any lookup. (It reads from memory, not a mapped
    // file, so the file itself can be replaced or deleted at once.)
    private async Task RetireAsync(DatabaseReader old)
    {
        try
        {
            await Task.Delay(RetireDelay, _time);
        }
        finally
        {
            old.Dispose();
        }
    }

    private static bool IsUnusableFile(Exception e) =>
        e is IOException or UnauthorizedAccessException or InvalidDatabaseException or InvalidOperationException
            or ArgumentException or NotSupportedException or IndexOutOfRangeException or OverflowException or FormatException;

    /// <summary>The cheap identity of the file on disk: after symlinks are followed, its target, size and write time.</summary>
    private sealed record FileStamp(string Target, long Length, DateTime LastWriteUtc)
    {
        public static FileStamp? Of(string file)
        {
            try
            {
                var info = new FileInfo(file);
                // geoipupdate renames a new file into place; a symlinked file may be re-pointed instead.
                var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
                return target.Exists ? new FileStamp(target.FullName, target.Length, target.LastWriteTimeUtc) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>One opened database: immutable, shared by every lookup until it is replaced.</summary>
    private sealed class Database
    {
        private readonly Kind _kind;

        private Database(string file, byte[] hash, DatabaseReader reader, Kind kind)
        {
            File = file;
            Hash = hash;
            Reader = reader;
            _kind = kind;
        }

        private enum Kind
        {
            Country,
            City,
            Enterprise,
        }

        public string File { get; }

        public byte[] Hash { get; }

        public DatabaseReader Reader { get; }

        /// <summary>Opens the bytes of a database and tries a lookup, so a damaged file is refused before it is used.</summary>
        public static Database Open(string file, byte[] bytes, byte[] hash)
        {
            var reader = new DatabaseReader(new MemoryStream(bytes, writable: false));
            try
            {
                // GeoIP2's readers refuse a lookup method that does not match the type, so the type picks the method.
                var type = reader.Metadata.DatabaseType;
                var kind = type.Contains("Enterprise", StringComparison.OrdinalIgnoreCase) ? Kind.Enterprise
                    : type.Contains("City", StringComparison.OrdinalIgnoreCase) ? Kind.City
                    : type.Contains("Country", StringComparison.OrdinalIgnoreCase) ? Kind.Country
                    : throw new InvalidDatabaseException($"database type {type} has no countries (expected a Country or City database)");
                var database = new Database(file, hash, reader, kind);
                database.Lookup(TrialAddress);
                return database;
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }

        public GeoResult? Lookup(IPAddress address)
        {
            switch (_kind)
            {
                case Kind.City when Reader.TryCity(address, out var city):
                    return Result(city, city.City.Name);
                case Kind.Enterprise when Reader.TryEnterprise(address, out var enterprise):
                    return Result(enterprise, enterprise.City.Name);
                case Kind.Country when Reader.TryCountry(address, out var country):
                    return Result(country, null);
                default:
                    return null;
            }
        }

        private static GeoResult? Result(AbstractCountryResponse? response, string? city) =>
            response?.Country.IsoCode is { Length: > 0 } code
                ? new GeoResult(code.ToUpperInvariant(), response.Country.Name, string.IsNullOrEmpty(city) ? null : city)
                : null;
    }
}
