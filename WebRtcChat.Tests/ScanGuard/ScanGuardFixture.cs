using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.ScanGuard;
using WebRtcChat.Tests.Infrastructure;
using ScanGuardService = WebRtcChat.Server.ScanGuard.ScanGuard;

namespace WebRtcChat.Tests.ScanGuard;

/// <summary>A guard on a ban store in a temporary directory, with a manual clock.</summary>
public sealed class ScanGuardFixture : IDisposable
{
    public ScanGuardFixture(ScanGuardOptions? options = null, ILogger<ScanGuardService>? logger = null)
    {
        Directory.CreateDirectory(DirectoryPath);
        Settings = new WebRtcChatSettings(new WebRtcChatOptions { ScanGuard = options ?? new ScanGuardOptions() });
        Store = new BanStore(DatabaseFile, Time);
        Guard = new ScanGuardService(Settings, Store, Time, logger ?? NullLogger<ScanGuardService>.Instance);
    }

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "webrtcchat-tests", Guid.NewGuid().ToString("N"));

    public string DatabaseFile => Path.Combine(DirectoryPath, BanStore.FileName);

    public ManualTime Time { get; } = new();

    public WebRtcChatSettings Settings { get; }

    public BanStore Store { get; }

    public ScanGuardService Guard { get; }

    public void Configure(Func<ScanGuardOptions, ScanGuardOptions> change) =>
        Settings.Apply(Settings.Current with { ScanGuard = change(Settings.Current.ScanGuard) });

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
    }
}
