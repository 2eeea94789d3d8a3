using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>How the test's SMTP server secures its connections.</summary>
public enum SmtpReceiverSecurity
{
    None,
    StartTls,
    Tls,
}

/// <summary>
/// A minimal SMTP server on 127.0.0.1 (RFC 5321: EHLO, STARTTLS, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET, QUIT),
/// enough for MailKit to deliver to. It keeps each message whole, with its envelope and the login used; with a
/// user set it refuses any other login with 535, and it offers AUTH only over TLS (unless it has no TLS at all).
/// </summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _mails = new();
    private readonly SmtpReceiverSecurity _security;
    private readonly (string User, string Password)? _login;
    private readonly Task _accepting;

    public SmtpReceiver(SmtpReceiverSecurity security, (string User, string Password)? login = null)
    {
        (_security, _login) = (security, login);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Mails => [.. _mails];

    public Task<bool> ReceivedAsync(int count, TimeSpan timeout) => Eventually.HoldsAsync(() => _mails.Count >= count, timeout);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            var tls = false;
            if (_security == SmtpReceiverSecurity.Tls)
            {
                stream = await StartTlsAsync(stream);
                tls = true;
            }

            var session = new Session(stream);
            await session.WriteAsync("220 localhost test SMTP");
            string? user = null;
            var (from, to, authenticated) = ((string?)null, new List<string>(), _login is null);
            while (await session.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        var offers = new List<string> { "250-localhost", "250-8BITMIME", "250-SMTPUTF8" };
                        if (_security == SmtpReceiverSecurity.StartTls && !tls)
                        {
                            offers.Add("250-STARTTLS");
                        }

                        if (_login is not null && (tls || _security == SmtpReceiverSecurity.None))
                        {
                            offers.Add("250-AUTH PLAIN LOGIN");
                        }

                        offers.Add("250 SIZE 1000000");
                        await session.WriteAsync(string.Join("\r\n", offers));
                        break;
                    case "STARTTLS" when _security == SmtpReceiverSecurity.StartTls && !tls:
                        await session.WriteAsync("220 go ahead");
                        session = new Session(await StartTlsAsync(stream));
                        tls = true;
                        break;
                    case "AUTH":
                        (user, authenticated) = await AuthenticateAsync(session, argument);
                        await session.WriteAsync(authenticated ? "235 2.7.0 accepted" : "535 5.7.8 authentication failed");
                        break;
                    case "MAIL":
                        if (!authenticated)
                        {
                            await session.WriteAsync("530 5.7.0 authentication required");
                            break;
                        }

                        (from, to) = (Address(argument), []);
                        await session.WriteAsync("250 ok");
                        break;
                    case "RCPT":
                        to.Add(Address(argument));
                        await session.WriteAsync("250 ok");
                        break;
                    case "DATA":
                        await session.WriteAsync("354 end with <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await session.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        _mails.Enqueue(new ReceivedMail(from ?? "", [.. to], data.ToString(), tls, user));
                        await session.WriteAsync("250 ok: queued");
                        break;
                    case "RSET" or "NOOP":
                        await session.WriteAsync("250 ok");
                        break;
                    case "QUIT":
                        await session.WriteAsync("221 bye");
                        return;
                    default:
                        await session.WriteAsync("502 5.5.2 not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // the client went, or refused our certificate: nothing to keep
        }
    }

    private async Task<(string? User, bool Accepted)> AuthenticateAsync(Session session, string argument)
    {
        var parts = argument.Split(' ');
        string user, password;
        if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var encoded = parts.Length > 1 ? parts[1] : await Ask(session, "");
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Split('\0');
            (user, password) = (fields[1], fields[2]);
        }
        else
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(parts.Length > 1 ? parts[1] : await Ask(session, "VXNlcm5hbWU6")));
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await Ask(session, "UGFzc3dvcmQ6")));
        }

        return (user, _login is { } login && login.User == user && login.Password == password);
    }

    private static async Task<string> Ask(Session session, string challenge)
    {
        await session.WriteAsync("334 " + challenge);
        return await session.ReadLineAsync() ?? "";
    }

    private static string Address(string argument)
    {
        var start = argument.IndexOf('<', StringComparison.Ordinal);
        var end = argument.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? argument[(start + 1)..end] : argument;
    }

    private static async Task<Stream> StartTlsAsync(Stream plain)
    {
        var ssl = new SslStream(plain, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = TestCertificates.Localhost });
        return ssl;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    // One connection's lines, on the plain stream or, after STARTTLS, on the TLS one.
    private sealed class Session(Stream stream)
    {
        private readonly StreamReader _reader = new(stream, Encoding.UTF8, false, 4096, leaveOpen: true);

        public Task<string?> ReadLineAsync() => _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

        public async Task WriteAsync(string reply)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"));
            await stream.FlushAsync();
        }
    }
}

/// <summary>One message as the SMTP server took it: the envelope, the whole text, whether over TLS, and who logged in.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Data, bool OverTls, string? User);
