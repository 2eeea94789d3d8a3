namespace WebRtcChat.Tests.Infrastructure;

/// <summary>A test of what only root may do on Linux (set a file's owner, say); skipped elsewhere, saying why.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip = "needs root on Linux: run ./test.sh as root, as CI does";
        }
    }
}
