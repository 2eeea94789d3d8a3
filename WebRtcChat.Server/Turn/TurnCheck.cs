using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Signaling;

namespace WebRtcChat.Server.Turn;

/// <summary>
/// The connection doctor's server side: at start, and whenever <c>Ice</c> changes, every TURN URL is checked with
/// credentials minted as for a call, and one line per URL says whether it works or what is wrong (unreachable port,
/// refused credentials, an untrusted TLS certificate), so a bad setting is found before a visitor's call fails.
/// </summary>
public sealed partial class TurnCheck(WebRtcChatSettings settings, TimeProvider time, ILogger<TurnCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var checkedIce = settings.Current.Ice;
        var changed = new SemaphoreSlim(0);
        using var subscription = settings.Subscribe(options =>
        {
            if (!SameRelays(options.Ice, checkedIce))
            {
                changed.Release();
            }
        });
        try
        {
            while (true)
            {
                checkedIce = settings.Current.Ice;
                await CheckAllAsync(checkedIce, stoppingToken);
                await changed.WaitAsync(stoppingToken);
                while (changed.CurrentCount > 0)
                {
                    await changed.WaitAsync(stoppingToken); // several edits in a row: one check of the last
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    // IceOptions' lists compare by reference: every reload would look like a change, and allocate again.
    private static bool SameRelays(IceOptions a, IceOptions b) =>
        a.TurnServers.SequenceEqual(b.TurnServers, StringComparer.Ordinal) && a.TurnSharedSecret == b.TurnSharedSecret;

    /// <summary>Checks each URL (in parallel: each may take the whole timeout) and logs one line for each.</summary>
    public async Task<IReadOnlyList<TurnCheckResult>> CheckAllAsync(IceOptions ice, CancellationToken cancel)
    {
        var results = await Task.WhenAll(ice.TurnServers.Select(async text =>
        {
            if (TurnUrl.Parse(text) is not { } url)
            {
                return new TurnCheckResult(TurnCheckOutcome.NotTurn, "not a TURN URL this check can read");
            }

            var (username, password) = TurnCredentials.Mint(ice, time.GetUtcNow());
            try
            {
                return await TurnProbe.CheckAsync(url, username, password, cancel);
            }
#pragma warning disable CA1031 // A check that goes wrong in a way not foreseen is one log line, never a stopped server.
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
#pragma warning restore CA1031
            {
                return new TurnCheckResult(TurnCheckOutcome.NotTurn, $"the check itself failed: {e.GetType().Name}: {e.Message}");
            }
        }));
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Outcome == TurnCheckOutcome.Ok)
            {
                LogWorks(ice.TurnServers[i], results[i].Realm, results[i].RelayedAddress?.ToString());
            }
            else
            {
                LogFails(ice.TurnServers[i], results[i].Detail);
            }
        }

        return results;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TURN check {Url}: works (realm {Realm}, relayed address {Relayed})")]
    private partial void LogWorks(string url, string? realm, string? relayed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TURN check {Url}: {Problem}")]
    private partial void LogFails(string url, string problem);
}
