using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Security;

/// <summary>The paths the app serves by itself (<see cref="OptionsValidator.ReservedPrefixes"/>), matched as the pipeline does.</summary>
public static class OwnPaths
{
    /// <summary>True when <paramref name="path"/> (relative to the path base) is under one of the app's own prefixes.</summary>
    public static bool Contain(PathString path)
    {
        foreach (var prefix in OptionsValidator.ReservedPrefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
