using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Circuits;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Lobby;
using WebRtcChat.Components.Security;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// The shared lobby with its relay, and as many circuits as a test needs: each visitor tab or console is a scoped
/// <see cref="LobbyService"/> of its own, as in the server.
/// </summary>
public sealed class LobbyParties : IDisposable
{
    public const string VisitorAddress = "192.0.2.1";

    private readonly List<LobbyService> _circuits = [];

    public LobbyParties(WebRtcChatSettings settings, TimeProvider time, IFailedAttemptSink? attempts = null,
        ILogger<global::WebRtcChat.Components.Lobby.Lobby>? logger = null)
    {
        (Settings, Time, Attempts) = (settings, time, attempts ?? NoFailedAttemptSink.Instance);
        Lobby = new global::WebRtcChat.Components.Lobby.Lobby(settings, time, logger ?? NullLogger<global::WebRtcChat.Components.Lobby.Lobby>.Instance, Attempts);
        Relay = new SignalRelay(Lobby, NullLogger<SignalRelay>.Instance);
    }

    public global::WebRtcChat.Components.Lobby.Lobby Lobby { get; }

    public SignalRelay Relay { get; }

    public WebRtcChatSettings Settings { get; }

    public TimeProvider Time { get; }

    public IFailedAttemptSink Attempts { get; }

    /// <summary>A new circuit (a tab), not yet anybody.</summary>
    public LobbyService Circuit()
    {
        var circuit = new LobbyService(Lobby, Relay, Settings, Time, Attempts);
        _circuits.Add(circuit);
        return circuit;
    }

    /// <summary>A visitor's tab that asked for a chat.</summary>
    public (LobbyService Tab, VisitorTicket Ticket) Join(string name, string? host = "alice", string address = VisitorAddress, string? countryCode = null)
    {
        var tab = Circuit();
        return (tab, tab.Join(new VisitorRequest(name, host, address, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0") { CountryCode = countryCode }));
    }

    /// <summary>A tab that took back a place with its token, as after a reload or a duplicated tab.</summary>
    public (LobbyService Tab, VisitorTicket? Ticket) Resume(string? token)
    {
        var tab = Circuit();
        return (tab, tab.Resume(token, VisitorAddress));
    }

    /// <summary>A host's open console.</summary>
    public LobbyService Console(string host, string consolePath)
    {
        var console = Circuit();
        Assert.NotNull(console.OpenConsole(host, consolePath, "192.0.2.9"));
        return console;
    }

    /// <summary>What the circuit's inbox holds now, taken out of it.</summary>
    public static List<LobbyEvent> Drain(LobbyService circuit)
    {
        var events = new List<LobbyEvent>();
        while (circuit.Inbox.TryRead(out var item))
        {
            events.Add(item);
        }

        return events;
    }

    /// <summary>The party messages in the circuit's inbox now.</summary>
    public static List<PartyMessage> Messages(LobbyService circuit) => [.. Drain(circuit).OfType<PartyMessage>()];

    public void Dispose()
    {
        foreach (var circuit in _circuits)
        {
            circuit.Dispose();
        }

        Lobby.Dispose();
    }
}
