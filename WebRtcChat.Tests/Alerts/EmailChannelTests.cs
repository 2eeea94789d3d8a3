using MimeKit;
using WebRtcChat.Components.Alerts;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Alerts;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Alerts;

/// <summary>E-mail through MailKit to an SMTP server on loopback, over STARTTLS, implicit TLS or none.</summary>
public sealed class EmailChannelTests
{
    private const string Password = "smtp-pa55word";

    // The test's certificate is trusted by pinning it: the server itself checks against the system's roots.
    private static EmailChannel Channel() => new(TimeProvider.System) { CertificateCheck = (_, certificate, _, _) => TestCertificates.IsLocalhost(certificate) };

    private static AdministratorOptions Alice(EmailOptions email) => new() { Name = "alice", ConsolePath = "/desk-7Qf2-alice", Alerts = new() { Email = email } };

    private static EmailOptions Email(SmtpReceiver smtp, SmtpSecurity security, string password = Password) => new()
    {
        Host = "localhost", Port = smtp.Port, Security = security, User = "alice", Password = password,
        From = "webrtcchat@example.org", To = ["alice@example.org", "alice.phone@example.net"],
    };

    private static readonly Alert Waiting = new(AlertReason.Waiting, "Zoë is waiting for alice", "Waiting since 14:32.", null,
        new DateTimeOffset(2026, 12, 1, 13, 32, 0, TimeSpan.Zero), "webrtcchat-9a3f");

    private static MimeMessage Parse(ReceivedMail mail) => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.Data)));

    [Theory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.Tls)]
    public async Task TheMessageArrivesOverTlsAfterTheLoginWithTheAlertAsSubjectAndBody(SmtpSecurity security)
    {
        await using var smtp = new SmtpReceiver(security == SmtpSecurity.Tls ? SmtpReceiverSecurity.Tls : SmtpReceiverSecurity.StartTls, ("alice", Password));

        var outcome = await Channel().SendAsync(Alice(Email(smtp, security)), Waiting, CancellationToken.None);

        Assert.Equal(new AlertOutcome("e-mail", true), outcome);
        var mail = Assert.Single(smtp.Mails);
        Assert.True(mail.OverTls);
        Assert.Equal("alice", mail.User);
        Assert.Equal("webrtcchat@example.org", mail.From);
        Assert.Equal(["alice@example.org", "alice.phone@example.net"], mail.To);
        var message = Parse(mail);
        Assert.Equal("Zoë is waiting for alice", message.Subject);
        Assert.Contains("Waiting since 14:32.", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("/desk-7Qf2-alice", mail.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, mail.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPasswordIsAPermanentFailureThatSaysNoPassword()
    {
        await using var smtp = new SmtpReceiver(SmtpReceiverSecurity.StartTls, ("alice", Password));

        var outcome = await Channel().SendAsync(Alice(Email(smtp, SmtpSecurity.StartTls, password: "wrong-password")), Waiting, CancellationToken.None);

        Assert.Equal(new AlertOutcome("e-mail", false, $"localhost:{smtp.Port} refused the user name or password", Permanent: true), outcome);
        Assert.Empty(smtp.Mails);
    }

    [Fact]
    public async Task AServerWithoutStartTlsIsRefusedRatherThanSentThePasswordInTheClear()
    {
        await using var smtp = new SmtpReceiver(SmtpReceiverSecurity.None, ("alice", Password));

        var outcome = await Channel().SendAsync(Alice(Email(smtp, SmtpSecurity.StartTls)), Waiting, CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.True(outcome.Permanent);
        Assert.Empty(smtp.Mails);
    }

    [Fact]
    public async Task ACertificateNobodyTrustsIsRefused()
    {
        await using var smtp = new SmtpReceiver(SmtpReceiverSecurity.StartTls, ("alice", Password));

        var outcome = await new EmailChannel(TimeProvider.System).SendAsync(Alice(Email(smtp, SmtpSecurity.StartTls)), Waiting, CancellationToken.None);

        Assert.Equal($"localhost:{smtp.Port}: its TLS certificate was not accepted (or it does not speak TLS there)", outcome.Problem);
        Assert.Empty(smtp.Mails);
    }

    [Fact]
    public async Task ARelayOnThisMachineTakesTheMessageWithoutTlsOrLogin()
    {
        await using var smtp = new SmtpReceiver(SmtpReceiverSecurity.None);
        var email = Email(smtp, SmtpSecurity.None) with { User = "", Password = "" };

        var outcome = await Channel().SendAsync(Alice(email), Waiting with { ConsoleLink = "https://chat.example.org/desk-7Qf2-alice" }, CancellationToken.None);

        Assert.True(outcome.Sent, outcome.Problem);
        var message = Parse(Assert.Single(smtp.Mails));
        Assert.Contains("Open the console: https://chat.example.org/desk-7Qf2-alice", message.TextBody, StringComparison.Ordinal);
    }
}
