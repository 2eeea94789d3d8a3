using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Turn;

/// <summary>What one TURN URL's check found.</summary>
public enum TurnCheckOutcome
{
    /// <summary>Reachable, and the minted credentials were accepted: an allocation was made (and released).</summary>
    Ok,

    /// <summary>The host name does not resolve.</summary>
    NameNotResolved,

    /// <summary>No answer in time: a firewall drops the packets, or nothing listens there.</summary>
    Unreachable,

    /// <summary>The host answered that nothing listens on that port.</summary>
    ConnectionRefused,

    /// <summary>The TLS handshake failed, usually over a certificate a browser would refuse too.</summary>
    TlsFailed,

    /// <summary>The server refused the credentials (401): the shared secret is not the TURN server's.</summary>
    CredentialsRefused,

    /// <summary>The server refused the allocation for another reason (its error code says which).</summary>
    Refused,

    /// <summary>Something answered, but not as a TURN server.</summary>
    NotTurn,
}

/// <summary>The check of one TURN URL: the outcome, in words for the log, and what an accepted allocation showed.</summary>
public sealed record TurnCheckResult(TurnCheckOutcome Outcome, string Detail, string? Realm = null, IPEndPoint? RelayedAddress = null);

/// <summary>
/// Checks a TURN URL as a browser would use it: over its transport, an Allocate request (RFC 8656) is answered with
/// a realm and nonce, and again with the minted long-term credentials, which must be accepted. The allocation is
/// released at once. There is no STUN/TURN client library to lean on, so this is the small exchange itself.
/// </summary>
public static class TurnProbe
{
    /// <summary>How long a URL is given to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private const int StaleNonce = 438;
    private static readonly byte[] Udp = [17, 0, 0, 0]; // REQUESTED-TRANSPORT: the relay talks UDP to the peers

    public static async Task<TurnCheckResult> CheckAsync(TurnUrl url, string username, string password, CancellationToken cancel)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.Host, cancel);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return new TurnCheckResult(TurnCheckOutcome.NameNotResolved, $"the name {url.Host} does not resolve");
        }

        if (addresses.Length == 0)
        {
            return new TurnCheckResult(TurnCheckOutcome.NameNotResolved, $"the name {url.Host} has no address");
        }

        // Each address in turn (IPv4 first, as most networks route it), until one works; the last answer otherwise.
        TurnCheckResult result = null!;
        foreach (var address in addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).Take(4))
        {
            result = await CheckAsync(url, new IPEndPoint(address, url.Port), username, password, cancel);
            if (result.Outcome is not (TurnCheckOutcome.Unreachable or TurnCheckOutcome.ConnectionRefused))
            {
                break;
            }
        }

        return result;
    }

    private static async Task<TurnCheckResult> CheckAsync(TurnUrl url, IPEndPoint endpoint, string username, string password, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(Timeout);
        try
        {
            await using var channel = await StunChannel.OpenAsync(url, endpoint, deadline.Token);
            return await AllocateAsync(channel, username, password, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new TurnCheckResult(TurnCheckOutcome.Unreachable, $"no answer from {endpoint} within {Timeout.TotalSeconds:0} s over {url.Transport.ToString().ToUpperInvariant()} (a firewall, or coturn not listening there)");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return new TurnCheckResult(TurnCheckOutcome.ConnectionRefused, $"nothing listens on {endpoint} over {url.Transport.ToString().ToUpperInvariant()}");
        }
        catch (SocketException e)
        {
            return new TurnCheckResult(TurnCheckOutcome.Unreachable, $"{endpoint} cannot be reached: {e.SocketErrorCode}");
        }
        catch (AuthenticationException e)
        {
            return new TurnCheckResult(TurnCheckOutcome.TlsFailed, $"the TLS handshake with {endpoint} failed ({e.Message}); browsers refuse such a certificate too");
        }
        catch (IOException e)
        {
            return new TurnCheckResult(TurnCheckOutcome.Unreachable, $"{endpoint} closed the connection: {e.Message}");
        }
    }

    private static async Task<TurnCheckResult> AllocateAsync(StunChannel channel, string username, string password, CancellationToken cancel)
    {
        var challenge = await channel.ExchangeAsync(new StunMessage(StunMessage.AllocateRequest, StunMessage.NewTransactionId())
            .Add(StunMessage.RequestedTransport, Udp), key: null, cancel);
        if (challenge is null)
        {
            return new TurnCheckResult(TurnCheckOutcome.NotTurn, "the answer was not a STUN message");
        }

        if (challenge.Error != 401 || challenge.Text(StunMessage.Realm) is not { } realm || challenge.Find(StunMessage.Nonce) is not { } nonce)
        {
            return Refusal(challenge, "asked for no credentials (is use-auth-secret set in coturn?)");
        }

        var key = StunMessage.LongTermKey(username, realm, password);
        for (var attempt = 0; ; attempt++)
        {
            var answer = await channel.ExchangeAsync(Authenticated(StunMessage.AllocateRequest, username, realm, nonce).Add(StunMessage.RequestedTransport, Udp), key, cancel);
            if (answer is { Error: StaleNonce } && answer.Find(StunMessage.Nonce) is { } fresh && attempt == 0)
            {
                nonce = fresh;
                continue;
            }

            if (answer is { Type: StunMessage.AllocateSuccess })
            {
                await ReleaseAsync(channel, Authenticated(StunMessage.RefreshRequest, username, realm, nonce).Add(StunMessage.Lifetime, new byte[4]), key, cancel);
                return new TurnCheckResult(TurnCheckOutcome.Ok, "reachable, credentials accepted", realm, answer.RelayedAddress);
            }

            return answer is { Error: 401 }
                ? new TurnCheckResult(TurnCheckOutcome.CredentialsRefused, $"credentials refused (401) in realm {realm}: Ice.TurnSharedSecret is not coturn's static-auth-secret", realm)
                : Refusal(answer, "gave no answer to the credentials");
        }
    }

    // Released at once, so that a check costs the relay nothing; whether it answers does not change the outcome.
    private static async Task ReleaseAsync(StunChannel channel, StunMessage refresh, byte[] key, CancellationToken cancel)
    {
        try
        {
            await channel.ExchangeAsync(refresh, key, cancel);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // the allocation expires on its own
        }
    }

    private static StunMessage Authenticated(ushort type, string username, string realm, byte[] nonce) =>
        new StunMessage(type, StunMessage.NewTransactionId()).Add(StunMessage.Username, username).Add(StunMessage.Realm, realm).Add(StunMessage.Nonce, nonce);

    private static TurnCheckResult Refusal(StunMessage? answer, string otherwise) => answer?.Error is { } code
        ? new TurnCheckResult(TurnCheckOutcome.Refused, $"the allocation was refused: {code} {answer.ErrorReason}".TrimEnd())
        : new TurnCheckResult(TurnCheckOutcome.NotTurn, otherwise);

    /// <summary>One connection to a TURN server, over which requests are answered one at a time.</summary>
    private abstract class StunChannel : IAsyncDisposable
    {
        public static async Task<StunChannel> OpenAsync(TurnUrl url, IPEndPoint endpoint, CancellationToken cancel)
        {
            if (url.Transport == TurnTransport.Udp)
            {
                var udp = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                await udp.ConnectAsync(endpoint, cancel); // connected: a refusal comes back as ICMP, as ConnectionRefused
                return new DatagramChannel(udp);
            }

            var tcp = new TcpClient(endpoint.AddressFamily);
            try
            {
                await tcp.ConnectAsync(endpoint, cancel);
                if (url.Transport == TurnTransport.Tcp)
                {
                    return new StreamChannel(tcp, tcp.GetStream());
                }

                var tls = new SslStream(tcp.GetStream());
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = url.Host }, cancel);
                return new StreamChannel(tcp, tls);
            }
            catch
            {
                tcp.Dispose();
                throw;
            }
        }

        /// <summary>Sends the request and returns the answer with its transaction id, or null when it is no STUN answer.</summary>
        public abstract Task<StunMessage?> ExchangeAsync(StunMessage request, byte[]? key, CancellationToken cancel);

        public abstract ValueTask DisposeAsync();
    }

    private sealed class DatagramChannel(Socket socket) : StunChannel
    {
        // Retransmitted as RFC 5389 says, doubling from 500 ms, until the deadline.
        public override async Task<StunMessage?> ExchangeAsync(StunMessage request, byte[]? key, CancellationToken cancel)
        {
            var bytes = request.Encode(key);
            var buffer = new byte[2048];
            for (var wait = TimeSpan.FromMilliseconds(500); ; wait *= 2)
            {
                await socket.SendAsync(bytes, SocketFlags.None, cancel);
                using var round = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                round.CancelAfter(wait);
                try
                {
                    while (true)
                    {
                        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, round.Token);
                        if (StunMessage.Decode(buffer.AsSpan(0, read)) is { } answer && answer.TransactionId.AsSpan().SequenceEqual(request.TransactionId))
                        {
                            return answer;
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    // no answer in this round: send again
                }
            }
        }

        public override ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class StreamChannel(TcpClient tcp, Stream stream) : StunChannel
    {
        public override async Task<StunMessage?> ExchangeAsync(StunMessage request, byte[]? key, CancellationToken cancel)
        {
            await stream.WriteAsync(request.Encode(key), cancel);
            var header = new byte[20];
            await stream.ReadExactlyAsync(header, cancel);
            if (!StunMessage.IsHeader(header))
            {
                return null; // not STUN (an HTTP server on that port, say): reading on would wait for nothing
            }

            var message = new byte[StunMessage.LengthFromHeader(header)];
            header.CopyTo(message, 0);
            await stream.ReadExactlyAsync(message.AsMemory(20), cancel);
            return StunMessage.Decode(message);
        }

        public override async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync();
            tcp.Dispose();
        }
    }
}
