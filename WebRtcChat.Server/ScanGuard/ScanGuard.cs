using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WebRtcChat.Components.Configuration;

using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.ScanGuard;

/// <summary>
/// Bans addresses that probe the server. Each failed attempt is a strike; <c>ScanGuard.Strikes</c> strikes within the
/// sliding <c>ScanGuard.Window</c> ban the address for <c>ScanGuard.BanDuration</c>, and a scanner path bans it at once.
/// Bans are kept by <see cref="BanStore"/>, so they survive a restart. Options are read from
/// <see cref="WebRtcChatSettings.Current"/> on every call, so an edit of the file applies at once; turning the guard
/// off, or listing an address in <c>ScanGuard.NeverBan</c>, also lifts bans already made.
/// </summary>
/// <remarks>
/// Memory for counting strikes is bounded: at most <see cref="MaxTrackedAddresses"/> addresses are tracked, each with
/// at most <c>ScanGuard.Strikes</c> times. When the table is full, the address whose last strike is oldest is
/// forgotten, so a scan from very many addresses costs strikes of the oldest, never unbounded memory. Entries whose
/// last strike has left the window are dropped as new strikes come in.
/// <para>
/// Strikes and bans are logged at Warning in a fixed format that <c>contrib/fail2ban</c> reads:
/// <c>ScanGuard strike ip=192.0.2.1 reason=unknown-path count=1/3</c> and
/// <c>ScanGuard ban ip=192.0.2.1 reason=scanner-path until=2026-11-24T21:42:19Z</c>.
/// </para>
/// </remarks>
public sealed class ScanGuard
{
    /// <summary>The most addresses whose strikes are counted at once.</summary>
    public const int MaxTrackedAddresses = 10_000;

    private readonly WebRtcChatSettings _settings;
    private readonly BanStore _bans;
    private readonly TimeProvider _time;
    private readonly ILogger<ScanGuard> _logger;
    private readonly Lock _gate = new();

    // Ordered by last strike, oldest first: the front is what eviction and expiry remove.
    private readonly LinkedList<Strikes> _order = new();
    private readonly Dictionary<IPAddress, LinkedListNode<Strikes>> _strikes = [];
    private NetworkList? _neverBan;
    private NetworkList? _trustedProxies;

    /// <summary>Creates the guard over an opened ban store.</summary>
    public ScanGuard(WebRtcChatSettings settings, BanStore bans, TimeProvider time, ILogger<ScanGuard> logger)
    {
        _settings = settings;
        _bans = bans;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many addresses have strikes counted now; never more than <see cref="MaxTrackedAddresses"/>.</summary>
    public int TrackedAddressCount
    {
        get
        {
            lock (_gate)
            {
                return _strikes.Count;
            }
        }
    }

    /// <summary>Counts one strike against <paramref name="address"/>, banning it when it reaches <c>ScanGuard.Strikes</c> within the window.</summary>
    public void Strike(IPAddress address, string reason)
    {
        if (!Counts(ref address, out var key, out var options, out var now))
        {
            return;
        }

        int count;
        lock (_gate)
        {
            var windowStart = now - options.Window;
            while (_order.First is { } oldest && oldest.Value.Last <= windowStart)
            {
                Forget(oldest);
            }

            if (!_strikes.TryGetValue(key, out var node))
            {
                if (_strikes.Count >= MaxTrackedAddresses)
                {
                    Forget(_order.First!);
                }

                node = _order.AddLast(new Strikes(key));
                _strikes[key] = node;
            }
            else
            {
                _order.Remove(node);
                _order.AddLast(node);
            }

            count = node.Value.Add(now, windowStart, options.Strikes);
            if (count >= options.Strikes)
            {
                Forget(node);
            }
        }

        _logger.LogWarning("ScanGuard strike ip={Ip} reason={Reason} count={Count}/{Max}", address.ToString(), Token(reason),
            count, options.Strikes);
        if (count >= options.Strikes)
        {
            Ban(key, address, reason, now, options);
        }
    }

    /// <summary>Bans <paramref name="address"/> at once, e.g. for asking for a scanner path.</summary>
    public void BanNow(IPAddress address, string reason)
    {
        if (!Counts(ref address, out var key, out var options, out var now))
        {
            return;
        }

        lock (_gate)
        {
            if (_strikes.TryGetValue(key, out var node))
            {
                Forget(node);
            }
        }

        Ban(key, address, reason, now, options);
    }

    /// <summary>Whether <paramref name="address"/> is banned now and the guard is on. Lock-free; runs on every accepted connection.</summary>
    public bool IsBanned(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var options = _settings.Current.ScanGuard;
        if (!options.Enabled || _bans.Bans.Count == 0)
        {
            return false;
        }

        address = NetworkList.Normalize(address);
        return _bans.IsBanned(WebRtcChat.Components.Security.ClientKeys.Of(address), _time.GetUtcNow()) && !IsNeverBanned(address, options);
    }

    private void Ban(IPAddress key, IPAddress address, string reason, DateTimeOffset now, ScanGuardOptions options)
    {
        var until = now + options.BanDuration;
        _bans.Ban(key, until, Token(reason));
        _logger.LogWarning("ScanGuard ban ip={Ip} reason={Reason} until={Until}", address.ToString(), Token(reason),
            until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private void Forget(LinkedListNode<Strikes> node)
    {
        _order.Remove(node);
        _strikes.Remove(node.Value.Address);
    }

    // The client is logged as it is (fail2ban bans that address); the strike and the ban apply to its key.
    private bool Counts(ref IPAddress address, out IPAddress key, out ScanGuardOptions options, out DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = NetworkList.Normalize(address);
        key = WebRtcChat.Components.Security.ClientKeys.Of(address);
        options = _settings.Current.ScanGuard;
        now = _time.GetUtcNow();
        return options.Enabled && !IsNeverBanned(address, options) && !_bans.IsBanned(key, now);
    }

    // NeverBan, and the trusted proxies too: banning a proxy would shut out everyone behind it.
    private bool IsNeverBanned(IPAddress address, ScanGuardOptions options) =>
        NetworkList.For(options.NeverBan, ref _neverBan).Contains(address)
        || NetworkList.For(_settings.Current.Server.TrustedProxies, ref _trustedProxies).Contains(address);

    /// <summary>A reason as one token of printable characters, so that the log line stays parseable.</summary>
    private static string Token(string reason) =>
        string.IsNullOrEmpty(reason) ? "unspecified"
            : new string([.. reason.Take(60).Select(c => char.IsWhiteSpace(c) || char.IsControl(c) ? '_' : c)]);

    /// <summary>The times of the recent strikes of one address, newest last, at most <c>Strikes</c> of them.</summary>
    private sealed class Strikes(IPAddress address)
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public IPAddress Address { get; } = address;

        public DateTimeOffset Last { get; private set; }

        public int Add(DateTimeOffset now, DateTimeOffset windowStart, int max)
        {
            while (_times.Count > 0 && (_times.Peek() <= windowStart || _times.Count >= max))
            {
                _times.Dequeue();
            }

            _times.Enqueue(now);
            Last = now;
            return _times.Count;
        }
    }
}
