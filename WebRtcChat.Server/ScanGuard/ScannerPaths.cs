namespace WebRtcChat.Server.ScanGuard;

/// <summary>
/// Paths that only a scanner asks for (<c>/.env</c>, <c>/wp-login.php</c>, …), read from the embedded
/// <c>scanner-paths.txt</c>. An entry matches, case-insensitively, at any segment boundary of the path, so a
/// scanner that guessed the sub-directory (<c>/k3x9/.env</c>) is caught as well as one at the root.
/// </summary>
public static class ScannerPaths
{
    private const string ResourceName = "WebRtcChat.Server.ScanGuard.scanner-paths.txt";

    private static readonly Lazy<IReadOnlyList<string>> LoadedEntries = new(() => Parse(ReadResource()));

    /// <summary>The entries of the list, as written there (comments and blank lines dropped).</summary>
    public static IReadOnlyList<string> Entries => LoadedEntries.Value;

    /// <summary>
    /// Whether <paramref name="path"/> (the raw request path, path base included) asks for a scanner path. An entry
    /// matches whole segments (<c>/pma</c> catches <c>/pma/index.php</c> but not <c>/pmax</c>); one ending in
    /// <c>*</c> is a plain prefix; one ending in <c>/</c> catches only what is under the directory.
    /// </summary>
    public static bool IsScannerPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var entries = Entries;
        for (var start = path.IndexOf('/', StringComparison.Ordinal); start >= 0; start = path.IndexOf('/', start + 1))
        {
            var rest = path.AsSpan(start);
            foreach (var entry in entries)
            {
                if (Matches(rest, entry))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The entries of a list file: one a line, <c>#</c> starts a comment, blank lines ignored.</summary>
    internal static IReadOnlyList<string> Parse(string text) =>
    [
        .. text.Split('\n')
            .Select(line => (line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? line[..hash] : line).Trim())
            .Where(line => line.StartsWith('/') && line.Length > 1),
    ];

    private static bool Matches(ReadOnlySpan<char> rest, string entry)
    {
        if (entry.EndsWith('*'))
        {
            return rest.StartsWith(entry.AsSpan(0, entry.Length - 1), StringComparison.OrdinalIgnoreCase);
        }

        if (!rest.StartsWith(entry, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Whole segments only, so that a host's console path such as "/pmax-desk" is never taken for "/pma".
        return entry.EndsWith('/') || rest.Length == entry.Length || rest[entry.Length] == '/';
    }

    private static string ReadResource()
    {
        using var stream = typeof(ScannerPaths).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
