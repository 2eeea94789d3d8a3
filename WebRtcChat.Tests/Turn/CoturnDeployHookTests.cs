using System.Diagnostics;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Turn;

/// <summary><c>contrib/certbot/coturn-deploy-hook</c>, run as certbot runs it, with systemctl standing in.</summary>
public sealed class CoturnDeployHookTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("webrtcchat-hook-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [RootFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void ARenewedCertificateIsCopiedWhereCoturnCanReadItAndCoturnReloadsItWithoutARestart()
    {
        var lineage = Directory.CreateDirectory(Path.Combine(_root, "live", "turn.example.org")).FullName;
        File.WriteAllText(Path.Combine(lineage, "fullchain.pem"), "CERTIFICATE");
        File.WriteAllText(Path.Combine(lineage, "privkey.pem"), "KEY");
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        var calls = Path.Combine(_root, "systemctl-calls");
        File.WriteAllText(Path.Combine(bin, "systemctl"), $"#!/bin/sh\necho \"$@\" >> {calls}\n");
        File.SetUnixFileMode(Path.Combine(bin, "systemctl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var target = Path.Combine(_root, "coturn-certs");
        var group = Output("id", "-gn").Trim();

        var start = new ProcessStartInfo("sh", [Path.Combine(RepositoryPaths.Root, "contrib", "certbot", "coturn-deploy-hook")]) { RedirectStandardError = true };
        start.Environment["RENEWED_LINEAGE"] = lineage;
        start.Environment["RENEWED_DOMAINS"] = "turn.example.org www.turn.example.org";
        start.Environment["COTURN_DOMAIN"] = "turn.example.org";
        start.Environment["COTURN_CERTS"] = target;
        start.Environment["COTURN_USER"] = group; // the group coturn's user is in; here, ours
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var hook = Process.Start(start)!;
        var errors = hook.StandardError.ReadToEnd();
        hook.WaitForExit();

        Assert.True(hook.ExitCode == 0, errors);
        Assert.Equal("KEY", File.ReadAllText(Path.Combine(target, "privkey.pem")));
        Assert.Equal("CERTIFICATE", File.ReadAllText(Path.Combine(target, "fullchain.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(target, "privkey.pem")));
        Assert.Equal("kill --signal=USR2 coturn\n", File.ReadAllText(calls));
    }

    [RootFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AnotherCertificatesRenewalLeavesCoturnsAlone()
    {
        var target = Path.Combine(_root, "coturn-certs");
        var start = new ProcessStartInfo("sh", [Path.Combine(RepositoryPaths.Root, "contrib", "certbot", "coturn-deploy-hook")]) { RedirectStandardError = true };
        start.Environment["RENEWED_LINEAGE"] = Path.Combine(_root, "live", "chat.example.org");
        start.Environment["RENEWED_DOMAINS"] = "chat.example.org";
        start.Environment["COTURN_DOMAIN"] = "turn.example.org";
        start.Environment["COTURN_CERTS"] = target;
        using var hook = Process.Start(start)!;
        hook.WaitForExit();

        Assert.Equal(0, hook.ExitCode);
        Assert.False(Directory.Exists(target));
    }

    private static string Output(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
