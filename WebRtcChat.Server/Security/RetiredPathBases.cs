using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Server.Security;

/// <summary>
/// The path bases replaced in the last day. Pages opened under an old one keep asking there (their circuit, their
/// scripts) until they are reloaded at the new address; those requests still get the bland 404, but they come from
/// people who were given the old address, not from probers, so they are not strikes. When the site root itself was
/// the old base, only what a page opened at the root asks for counts as under it (the page, the framework's paths,
/// the JS modules and the console paths), or every miss anywhere would be forgiven for a day.
/// </summary>
public sealed class RetiredPathBases : IDisposable
{
    /// <summary>How long a replaced path base is remembered.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromDays(1);

    private const int MaxRemembered = 8;
    private readonly TimeProvider _time;
    private readonly WebRtcChatSettings _settings;
    private readonly IDisposable _subscription;
    private readonly Lock _gate = new();
    private string _current;
    private (string PathBase, DateTimeOffset Until)[] _retired = [];

    public RetiredPathBases(WebRtcChatSettings settings, TimeProvider time)
    {
        _time = time;
        _settings = settings;
        _current = settings.Current.Server.PathBase;
        _subscription = settings.Subscribe(options =>
        {
            lock (_gate)
            {
                var next = options.Server.PathBase;
                if (next != _current)
                {
                    _retired = [.. _retired.Where(r => r.PathBase != next).Append((_current, _time.GetUtcNow() + Remembered)).TakeLast(MaxRemembered)];
                }

                _current = next;
            }
        });
    }

    /// <summary>The path bases replaced in the last day (for redacting them from logs).</summary>
    public IEnumerable<string> All
    {
        get
        {
            var now = _time.GetUtcNow();
            return _retired.Where(r => r.Until > now && r.PathBase.Length > 0).Select(r => r.PathBase);
        }
    }

    /// <summary>True when <paramref name="path"/> is under a path base replaced in the last day.</summary>
    public bool Contains(PathString path)
    {
        var now = _time.GetUtcNow();
        return _retired.Any(r => r.Until > now
            && (r.PathBase.Length > 0 ? path.StartsWithSegments(r.PathBase, StringComparison.Ordinal) : IsAskedForByARootPage(path)));
    }

    private bool IsAskedForByARootPage(PathString path) =>
        path == "/" || OwnPaths.Contain(path) || ConsolePaths.Match(_settings.Current.Administrators, path.Value ?? "") is not null;

    /// <inheritdoc />
    public void Dispose() => _subscription.Dispose();
}
