using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Lobby;

/// <summary>Which party of a call.</summary>
public enum CallSide
{
    Host,
    Visitor,
}

/// <summary>Why an answered call never connected, or lost its connection for good.</summary>
public enum FailureCause
{
    /// <summary>A side's browser never started its peer connection.</summary>
    PeerNotStarted,

    /// <summary>A side never answered the browser's question about the camera and microphone.</summary>
    MediaUndecided,

    /// <summary>No direct path was found, and no TURN relay is configured.</summary>
    NoRelayConfigured,

    /// <summary>A side reached no relay, has no server-reflexive address either, and only UDP relays are configured.</summary>
    UdpBlockedNoTcpRelay,

    /// <summary>A side (or, with no side, neither) reached the relay on any configured port.</summary>
    RelayUnreachable,

    /// <summary>The relay refused the minted credentials: the shared secret is not coturn's.</summary>
    RelayRefusedCredentials,

    /// <summary>Both sides reached the relay, yet no path worked.</summary>
    NoPath,

    /// <summary>No path was found, and a side's browser never said what it gathered.</summary>
    Unexplained,

    /// <summary>The call was connected, dropped, and the browsers' bounded ICE restarts did not bring it back.</summary>
    ConnectionLost,
}

/// <summary>Why a call failed, and on whose side, when it is one side's.</summary>
public sealed record CallFailure(FailureCause Cause, CallSide? Side);

/// <summary>What one side's browser gathered for a call: its kinds of candidates, and whether the relay refused it.</summary>
public sealed record GatheringReport(bool Host, bool ServerReflexive, bool RelayUdp, bool RelayTcp, bool RelayTls, bool CredentialsRefused)
{
    public bool AnyRelay => RelayUdp || RelayTcp || RelayTls;
}

/// <summary>Whether media goes straight between the browsers or through the TURN relay.</summary>
public enum CallRoute
{
    Direct,
    Relayed,
}

/// <summary>How this side's packets travel: to the other browser, or to the relay when relayed.</summary>
public enum CallTransport
{
    Udp,
    Tcp,
    Tls,
}

/// <summary>The path a connected call runs over, as the host's browser reports its selected candidate pair.</summary>
public sealed record CallPath(CallRoute Route, CallTransport Transport)
{
    public override string ToString() => $"{(Route == CallRoute.Direct ? "direct" : "relayed")}, {Transport.ToString().ToUpperInvariant()}";
}

/// <summary>
/// How one answered call is getting connected: what each side's browser has done so far, the deadlines it must
/// meet (so that a call that cannot connect fails once, within 20 s of Answer, instead of hanging on "Connecting…"),
/// and why it failed, worked out from what the browsers gathered and what <c>Ice</c> configures. Not thread-safe:
/// the lobby uses it under its lock.
/// </summary>
internal sealed class CallProgress(DateTimeOffset answeredAt)
{
    /// <summary>From Answer to both peers created.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    /// <summary>From Answer to both sides' camera and microphone settled (granted, refused or missing).</summary>
    public static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(60);

    /// <summary>From both sides' media settled (when negotiation starts) to a connection.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly SideProgress _host = new();
    private readonly SideProgress _visitor = new();

    public DateTimeOffset AnsweredAt => answeredAt;

    public DateTimeOffset? ConnectedAt { get; private set; }

    public void PeerStarted(CallSide side) => Of(side).Started = true;

    public void MediaSettled(CallSide side, DateTimeOffset now)
    {
        var progress = Of(side);
        progress.Started = true;
        progress.MediaAt ??= now;
    }

    public void Gathered(CallSide side, GatheringReport report) => Of(side).Report = report;

    /// <summary>The first connection of the call; false when it was connected before.</summary>
    public bool Connected(DateTimeOffset now)
    {
        if (ConnectedAt is not null)
        {
            return false;
        }

        ConnectedAt = now;
        return true;
    }

    /// <summary>The failure, once a deadline has passed without a connection; null while there is time.</summary>
    public CallFailure? Overdue(DateTimeOffset now, IceOptions ice)
    {
        if (ConnectedAt is not null)
        {
            return null;
        }

        if (NotStarted() is { } idle)
        {
            return now - answeredAt >= StartTimeout ? new CallFailure(FailureCause.PeerNotStarted, idle) : null;
        }

        if (_host.MediaAt is not { } hostMedia || _visitor.MediaAt is not { } visitorMedia)
        {
            return now - answeredAt >= MediaTimeout
                ? new CallFailure(FailureCause.MediaUndecided, _host.MediaAt is null ? CallSide.Host : CallSide.Visitor)
                : null;
        }

        var negotiating = hostMedia > visitorMedia ? hostMedia : visitorMedia;
        return now - negotiating >= ConnectTimeout ? Explain(ice) : null;
    }

    /// <summary>Why the call failed now, from what each side gathered and what is configured.</summary>
    public CallFailure Explain(IceOptions ice)
    {
        if (ConnectedAt is not null)
        {
            return new CallFailure(FailureCause.ConnectionLost, null);
        }

        if (NotStarted() is { } idle)
        {
            return new CallFailure(FailureCause.PeerNotStarted, idle);
        }

        // The host's own browser first: a refusal only the visitor's browser reports is that browser's word.
        (CallSide Side, GatheringReport? Report)[] reports = [(CallSide.Host, _host.Report), (CallSide.Visitor, _visitor.Report)];
        if (reports.FirstOrDefault(r => r.Report is { CredentialsRefused: true }) is { Report: not null } refused)
        {
            return new CallFailure(FailureCause.RelayRefusedCredentials, refused.Side);
        }

        if (ice.TurnServers.Count == 0)
        {
            return new CallFailure(FailureCause.NoRelayConfigured, null);
        }

        var cut = reports.Where(r => r.Report is { AnyRelay: false }).ToList();
        if (cut.Count == 2)
        {
            return new CallFailure(FailureCause.RelayUnreachable, null); // the relay itself, more likely than two networks
        }

        if (cut.Count == 1)
        {
            var (side, report) = cut[0];
            var overTcp = ice.TurnServers.Any(OptionsValidator.IsTcpOrTlsTurnUrl);
            return new CallFailure(!overTcp && !report!.ServerReflexive ? FailureCause.UdpBlockedNoTcpRelay : FailureCause.RelayUnreachable, side);
        }

        var silent = reports.Where(r => r.Report is null).Select(r => (CallSide?)r.Side).FirstOrDefault();
        return silent is { } quiet ? new CallFailure(FailureCause.Unexplained, quiet) : new CallFailure(FailureCause.NoPath, null);
    }

    private CallSide? NotStarted() => !_host.Started ? CallSide.Host : !_visitor.Started ? CallSide.Visitor : null;

    private SideProgress Of(CallSide side) => side == CallSide.Host ? _host : _visitor;

    private sealed class SideProgress
    {
        public bool Started { get; set; }

        public DateTimeOffset? MediaAt { get; set; }

        public GatheringReport? Report { get; set; }
    }
}
