using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Signaling;
using WebRtcChat.Server.Turn;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Turn;

/// <summary>coturn on loopback for the probe tests, started once.</summary>
public sealed class LoopbackTurn : IAsyncLifetime
{
    public TurnServer Turn { get; private set; } = null!;

    public async Task InitializeAsync() => Turn = await TurnServer.StartAsync();

    public async Task DisposeAsync() => await Turn.DisposeAsync();
}

/// <summary>The TURN check against a real coturn: what it finds for a working URL and for each way one can be wrong.</summary>
public sealed class TurnProbeTests(LoopbackTurn coturn) : IClassFixture<LoopbackTurn>
{
    private static readonly IceOptions Ice = new() { TurnServers = ["turn:127.0.0.1:3478"], TurnSharedSecret = TurnServer.SharedSecret };

    private static Task<TurnCheckResult> CheckAsync(string url, string secret = TurnServer.SharedSecret)
    {
        var (username, password) = TurnCredentials.Mint(Ice with { TurnSharedSecret = secret }, DateTimeOffset.UtcNow);
        return TurnProbe.CheckAsync(TurnUrl.Parse(url)!, username, password, CancellationToken.None);
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task AUrlWhoseRelayTakesTheMintedCredentialsWorksAndShowsTheRealmAndRelayedAddress(string transport)
    {
        var result = await CheckAsync($"turn:127.0.0.1:{coturn.Turn.Port}?transport={transport}");

        Assert.Equal(TurnCheckOutcome.Ok, result.Outcome);
        Assert.Equal("webrtcchat.test", result.Realm);
        Assert.Equal(IPAddress.Loopback, result.RelayedAddress?.Address);
    }

    [Fact]
    public async Task AWrongSharedSecretIsNamedAsRefusedCredentials()
    {
        var result = await CheckAsync(coturn.Turn.Url, secret: "not-the-coturn-secret-at-all");

        Assert.Equal(TurnCheckOutcome.CredentialsRefused, result.Outcome);
        Assert.Contains("Ice.TurnSharedSecret is not coturn's static-auth-secret", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task APortNothingListensOnIsNamedAsSuch(string transport)
    {
        var port = TestConfig.FreePort();

        var result = await CheckAsync($"turn:127.0.0.1:{port}?transport={transport}");

        Assert.Equal(TurnCheckOutcome.ConnectionRefused, result.Outcome);
        Assert.Contains($"127.0.0.1:{port}", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortThatSwallowsEveryPacketIsUnreachableAfterTheTimeout()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never answers

        var result = await CheckAsync($"turn:127.0.0.1:{((IPEndPoint)silent.Client.LocalEndPoint!).Port}");

        Assert.Equal(TurnCheckOutcome.Unreachable, result.Outcome);
        Assert.Contains("no answer", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATurnsUrlWhoseCertificateNobodyTrustsIsATlsFailureAsInABrowser()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(client.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(certificate);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                // the client gives up on the certificate
            }
        });

        var result = await CheckAsync($"turns:127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}?transport=tcp");
        await serving;

        Assert.Equal(TurnCheckOutcome.TlsFailed, result.Outcome);
    }

    [Theory]
    [InlineData("turn:turn.example.org", TurnTransport.Udp, "turn.example.org", 3478)]
    [InlineData("turn:turn.example.org:3479?transport=udp", TurnTransport.Udp, "turn.example.org", 3479)]
    [InlineData("turn:198.51.100.7:3478?transport=tcp", TurnTransport.Tcp, "198.51.100.7", 3478)]
    [InlineData("turns:turn.example.org:443?transport=tcp", TurnTransport.Tls, "turn.example.org", 443)]
    [InlineData("turns:turn.example.org", TurnTransport.Tls, "turn.example.org", 5349)]
    [InlineData("turn:[2001:db8::1]:3478", TurnTransport.Udp, "2001:db8::1", 3478)]
    [InlineData("turn:[2001:db8::1]?transport=tcp", TurnTransport.Tcp, "2001:db8::1", 3478)]
    [InlineData("turn:Turn.Example.org:3479?transport=tcp", TurnTransport.Tcp, "Turn.Example.org", 3479)]
    [InlineData("turn:192.0.2.7:1", TurnTransport.Udp, "192.0.2.7", 1)]
    public void ATurnUrlIsReadAsABrowserReadsIt(string text, TurnTransport transport, string host, int port) =>
        Assert.Equal(new TurnUrl(text, transport, host, port), TurnUrl.Parse(text));

    [Theory]
    [InlineData("stun:turn.example.org:3478")]
    [InlineData("turn:turn.example.org:99999")]
    [InlineData("turn:turn.example.org:3478?transport=sctp")]
    [InlineData("turn:")]
    [InlineData("turn:turn.example.org:")]
    [InlineData("turn:turn.example.org:0")]
    [InlineData("turn:turn.example.org:123456")]
    [InlineData("turn:turn.example.org:3478:1")]
    [InlineData("turn:turn.example.org:٣٤٧٨")] // Arabic-Indic digits are digits, not a port
    [InlineData("turn:?transport=udp")]
    [InlineData("turn:turn.example.org/path")]
    [InlineData("TURN:turn.example.org")] // libwebrtc reads the scheme, and the parameter, in lower case only
    [InlineData("turn:turn.example.org?Transport=tcp")]
    [InlineData("turn:turn.example.org?transport=TCP")]
    [InlineData("turn:alice@turn.example.org")] // the long-deprecated user@host
    [InlineData("turn:[2001:db8::1")]
    [InlineData("turn:[2001:db8::zz]:3478")]
    [InlineData("turn:[2001:db8::1]3478")]
    [InlineData("turns:turn.example.org?transport=udp&x=1")]
    public void WhatIsNoTurnUrlIsNotChecked(string text) => Assert.Null(TurnUrl.Parse(text));
}
