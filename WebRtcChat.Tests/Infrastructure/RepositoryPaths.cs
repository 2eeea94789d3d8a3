namespace WebRtcChat.Tests.Infrastructure;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebRtcChat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WebRtcChat.sln not found above " + AppContext.BaseDirectory);
    }
}
