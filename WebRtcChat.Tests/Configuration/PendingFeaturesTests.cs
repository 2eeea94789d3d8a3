using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Tests.Configuration;

public sealed class PendingFeaturesTests
{
    [Fact]
    public void SettingsThatHaveNoEffectYetAreEachNamedSoNothingIsSilentlyIgnored()
    {
        var pending = PendingFeatures.Describe(new WebRtcChatOptions
        {
            Server = new() { TrustedProxies = ["127.0.0.1"] },
            Geoblocking = new() { DatabaseFile = "/x.mmdb", AllowedCountries = ["DE"] },
            Audit = new() { RetentionDays = 7 },
        });

        Assert.Contains(pending, p => p.StartsWith("Server.TrustedProxies", StringComparison.Ordinal));
        Assert.Contains(pending, p => p.StartsWith("Geoblocking", StringComparison.Ordinal));
        Assert.Contains(pending, p => p.StartsWith("ScanGuard.Enabled", StringComparison.Ordinal));
        Assert.Contains(pending, p => p.StartsWith("Audit.RetentionDays", StringComparison.Ordinal));
    }

    [Fact]
    public void WithTheScanGuardOffAndNothingElseSetThereIsNothingToWarnAbout()
    {
        Assert.Empty(PendingFeatures.Describe(new WebRtcChatOptions { ScanGuard = new() { Enabled = false } }));
    }
}
