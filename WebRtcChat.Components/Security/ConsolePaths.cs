using System.Security.Cryptography;
using System.Text;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Components.Security;

/// <summary>Finds the administrator whose secret console path a request names, without leaking timing.</summary>
public static class ConsolePaths
{
    /// <summary>
    /// Returns the administrator whose <c>ConsolePath</c> equals <paramref name="path"/> (relative to the path base,
    /// with its leading "/"), or null. Every administrator is compared, always, and each comparison is of
    /// fixed-length hashes, so neither the position of a match nor the length of a path shows in the time taken.
    /// </summary>
    public static AdministratorOptions? Match(IReadOnlyList<AdministratorOptions> administrators, string path)
    {
        Span<byte> requested = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> candidate = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(path), requested);
        AdministratorOptions? found = null;
        foreach (var admin in administrators)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(admin.ConsolePath), candidate);
            if (CryptographicOperations.FixedTimeEquals(requested, candidate))
            {
                found = admin;
            }
        }

        return found;
    }

    /// <summary>A key for a console path that can be kept and compared without keeping the path itself.</summary>
    public static string Key(string path) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(path)));
}
