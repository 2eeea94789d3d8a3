using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Security;

/// <summary>
/// <c>UsePathBase</c> for a path base that can change while the server runs: a request under
/// <c>Server.PathBase</c> has it moved into <c>Request.PathBase</c>; any other request gets the bland 404.
/// Unlike <c>UsePathBase</c>, the comparison is case-sensitive and takes the same time wherever a guess goes wrong,
/// because the sub-directory is a secret.
/// A HEAD request gets the bland 404 wherever it goes: nothing here needs one, and the framework's files would answer
/// it, telling a right sub-directory from a wrong one to a client that HEAD never lets strike.
/// </summary>
public sealed class HiddenDirectoryMiddleware(RequestDelegate next, WebRtcChatSettings settings, RetiredPathBases retired)
{
    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var pathBase = settings.Current.Server.PathBase;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Items[RequestOutcome.Key] = RequestOutcome.UnknownPath;
            return BlandNotFound.WriteAsync(context);
        }

        if (pathBase.Length == 0)
        {
            return next(context);
        }

        if (!StartsWithSecret(context.Request.Path, pathBase, out var matched, out var remaining))
        {
            context.Items[RequestOutcome.Key] = retired.Contains(context.Request.Path) ? RequestOutcome.RetiredPathBase : RequestOutcome.OutsidePathBase;
            return BlandNotFound.WriteAsync(context);
        }

        context.Request.PathBase = context.Request.PathBase.Add(matched);
        context.Request.Path = remaining.HasValue ? remaining : "/";
        return next(context);
    }

    /// <summary>
    /// <c>StartsWithSegments</c>, ordinal, with the characters compared in constant time: the first
    /// <c>pathBase.Length</c> characters of the path (padded when shorter) against the whole path base.
    /// </summary>
    internal static bool StartsWithSecret(PathString path, string pathBase, out PathString matched, out PathString remaining)
    {
        var value = path.Value ?? "";
        Span<char> head = pathBase.Length <= 256 ? stackalloc char[pathBase.Length] : new char[pathBase.Length];
        head.Clear();
        value.AsSpan(0, Math.Min(value.Length, head.Length)).CopyTo(head);
        var equal = CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(head), MemoryMarshal.AsBytes(pathBase.AsSpan()));
        if (!equal || value.Length < pathBase.Length || (value.Length > pathBase.Length && value[pathBase.Length] != '/'))
        {
            (matched, remaining) = (default, default);
            return false;
        }

        matched = new PathString(value[..pathBase.Length]);
        remaining = value.Length > pathBase.Length ? new PathString(value[pathBase.Length..]) : PathString.Empty;
        return true;
    }
}
