using WebRtcChat.Components.Configuration;

namespace WebRtcChat.Server.Configuration;

/// <summary>
/// Applies edits of the configuration file while the server runs. It polls the file (once a second) rather than
/// trusting file-system events, because editors save by renaming and certbot-style deployments use symlinks.
/// A bad edit is logged once, naming the key, and the last good configuration stays in force. An edit that failed
/// for a reason outside the file (a certificate it cannot read yet, a new data directory it cannot write) is tried
/// again each second, so fixing that reason applies it; a file that went missing keeps the last good configuration
/// too. A new data directory is only checked here: it is used from the next start.
/// </summary>
public sealed class ConfigFileWatcher(
    ConfigFileLoader loader,
    WebRtcChatSettings settings,
    ILogger<ConfigFileWatcher> logger,
    TimeProvider time) : BackgroundService
{
    /// <summary>How often the file is checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private byte[] _applied = loader.Load().ContentHash;
    private byte[]? _reported;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogWarnings(settings.Current);
        using var timer = new PeriodicTimer(PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            CheckOnce();
        }
    }

    /// <summary>Reads the file and applies it when it changed and is valid.</summary>
    public void CheckOnce()
    {
        ConfigLoadResult result;
        try
        {
            result = loader.Load(missingIsDefaults: false);
        }
#pragma warning disable CA1031 // Whatever goes wrong reading an edit, the server keeps running on the last good configuration.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Configuration file {File} could not be read; keeping the last good configuration", loader.FilePath);
            return;
        }

        if (result.ContentHash.AsSpan().SequenceEqual(_applied))
        {
            _reported = null;
            return;
        }

        if (result.Options is null)
        {
            Report(result.ContentHash, string.Join("; ", result.Errors));
            return;
        }

        // Like the port, the data directory in use stays until a restart: the logs, bans and audit are open there, and
        // a generated certificate or console path read from a new (perhaps empty) one would change without a word.
        var previous = settings.Current.Server;
        var edited = result.Options;
        var dataDirectoryMoved = edited.Server.DataDirectory != previous.DataDirectory;
        if (dataDirectoryMoved)
        {
            try
            {
                // The restart must find it usable: it is made now (empty) and written to once, or the edit waits.
                var probe = Path.Combine(DataDirectory.Ensure(edited.Server.DataDirectory), ".write-test");
                File.WriteAllText(probe, "");
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Report(result.ContentHash, $"Server.DataDirectory: cannot be written: {e.Message}");
                return;
            }

            edited = edited with { Server = edited.Server with { DataDirectory = previous.DataDirectory } };
        }

        WebRtcChatOptions next;
        try
        {
            next = DataDirectory.WithGeneratedAdministrator(edited);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(result.ContentHash, $"Server.DataDirectory: {e.Message}");
            return;
        }

        if (next.Server.CertificateFile.Length > 0
            && (next.Server.CertificateFile != previous.CertificateFile || next.Server.KeyFile != previous.KeyFile))
        {
            try
            {
                using var trial = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(next.Server.CertificateFile, next.Server.KeyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                Report(result.ContentHash, $"Server.CertificateFile/Server.KeyFile: not a usable PEM certificate and key: {e.Message}");
                return;
            }
        }

        settings.Apply(next);
        _applied = result.ContentHash;
        _reported = null;
        logger.LogInformation("Configuration reloaded from {File}: {Administrators} administrator(s)", loader.FilePath, next.Administrators.Count);
        LogWarnings(next);
        if (dataDirectoryMoved)
        {
            logger.LogWarning("Server.DataDirectory changed; restart the service to move there. Until then the logs, bans, audit, generated certificate and generated console path stay in {Directory}. Everything else is already in force.",
                previous.DataDirectory);
        }

        if (previous.Port != next.Server.Port || previous.ListenAddress != next.Server.ListenAddress)
        {
            logger.LogWarning("Server.Port or Server.ListenAddress changed (now {Address} port {Port}); restart the service to listen there. Everything else is already in force.",
                next.Server.ListenAddress, next.Server.Port);
        }
    }

    private void LogWarnings(WebRtcChatOptions options)
    {
        foreach (var warning in OptionsValidator.Warnings(options))
        {
            logger.LogWarning("Configuration: {Warning}", warning);
        }
    }

    // One error per version of the file, however often it is tried again.
    private void Report(byte[] contentHash, string errors)
    {
        if (_reported is not null && contentHash.AsSpan().SequenceEqual(_reported))
        {
            return;
        }

        _reported = contentHash;
        logger.LogError("Configuration file {File} was edited but not applied; keeping the last good configuration. {Errors}",
            loader.FilePath, errors);
    }
}
