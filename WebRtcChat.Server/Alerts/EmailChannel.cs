using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Alerts;

/// <summary>
/// E-mail over SMTP with MailKit: STARTTLS (refused if the server does not offer it), TLS from the first byte, or no
/// TLS to a relay on this machine. Each step has MailKit's own timeout; a failure that may pass (a connection, a 4xx)
/// is tried twice more, a second and then three apart. The password goes only to the server, after TLS.
/// </summary>
internal sealed class EmailChannel(TimeProvider time) : IAlertChannel
{
    /// <summary>MailKit's timeout for each read and write of the conversation.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    /// <summary>
    /// Checks the server's certificate instead of the system's trust store; null (always, outside the tests) keeps
    /// MailKit's own check against the system's roots.
    /// </summary>
    internal RemoteCertificateValidationCallback? CertificateCheck { get; init; }

    public string Name => "e-mail";

    public bool IsConfigured(AdministratorOptions host) => host.Alerts.Email is { Host.Length: > 0, To.Count: > 0 };

    public async Task<AlertOutcome> SendAsync(AdministratorOptions host, Alert alert, CancellationToken cancellationToken)
    {
        if (host.Alerts.Email is not { Host.Length: > 0 } email)
        {
            return new AlertOutcome(Name, false, "not set up");
        }

        using var message = Compose(email, alert, time.GetUtcNow());
        var outcome = await TryOnceAsync(email, message, cancellationToken);
        foreach (var delay in RetryDelays)
        {
            if (outcome.Sent || outcome.Permanent)
            {
                break;
            }

            await Task.Delay(delay, time, cancellationToken);
            outcome = await TryOnceAsync(email, message, cancellationToken);
        }

        return outcome;
    }

    internal static MimeMessage Compose(EmailOptions email, Alert alert, DateTimeOffset now)
    {
        var message = new MimeMessage { Subject = alert.Title, Date = now };
        message.From.Add(MailboxAddress.Parse(email.From));
        foreach (var to in email.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        var text = alert.Body + (alert.ConsoleLink is { } link ? $"\n\nOpen the console: {link}\n" : "\n")
            + "\n-- \nSent by WebRtcChat. Nothing here needs an answer.\n";
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private async Task<AlertOutcome> TryOnceAsync(EmailOptions email, MimeMessage message, CancellationToken cancellationToken)
    {
        var server = $"{email.Host}:{email.Port}";
        using var client = new SmtpClient { Timeout = (int)StepTimeout.TotalMilliseconds };
        if (CertificateCheck is { } check)
        {
            client.ServerCertificateValidationCallback = check;
        }

        try
        {
            var security = email.Security switch
            {
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(email.Host, email.Port, security, cancellationToken);
            if (email.User.Length > 0)
            {
                await client.AuthenticateAsync(email.User, email.Password, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new AlertOutcome(Name, true);
        }
        catch (AuthenticationException)
        {
            return new AlertOutcome(Name, false, $"{server} refused the user name or password", Permanent: true);
        }
        catch (SslHandshakeException)
        {
            return new AlertOutcome(Name, false, $"{server}: its TLS certificate was not accepted (or it does not speak TLS there)", Permanent: true);
        }
        catch (NotSupportedException)
        {
            // MailKit's words when the server offers no STARTTLS, or no AUTH while a user is set.
            return new AlertOutcome(Name, false, $"{server} offers no STARTTLS or no login: check Security and User", Permanent: true);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            return new AlertOutcome(Name, false, $"{server} refused {What(e.ErrorCode)} ({code})", Permanent: code >= 500);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException)
        {
            return new AlertOutcome(Name, false, $"could not talk to {server} ({e.GetType().Name})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AlertOutcome(Name, false, $"no answer from {server} within {StepTimeout.TotalSeconds:0} s");
        }
    }

    private static string What(SmtpErrorCode error) => error switch
    {
        SmtpErrorCode.SenderNotAccepted => "the sender (From)",
        SmtpErrorCode.RecipientNotAccepted => "a recipient (To)",
        SmtpErrorCode.MessageNotAccepted => "the message",
        _ => "the request",
    };
}
