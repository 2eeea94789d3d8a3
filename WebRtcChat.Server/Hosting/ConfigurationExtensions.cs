using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Server.Hosting;

/// <summary>Registers the configuration file, its validation at start and its hot reload.</summary>
public static class ConfigurationExtensions
{
    /// <summary>The configuration file used when neither <c>--config</c> nor <c>WEBRTCCHAT_CONFIG</c> names one.</summary>
    public const string DefaultConfigFile = "appconfig/webrtcchat.json";

    /// <summary>
    /// Reads the file named by <c>--config PATH</c>, else <c>WEBRTCCHAT_CONFIG</c>, else <see cref="DefaultConfigFile"/>
    /// (which may be absent: the embedded defaults then apply). Throws <see cref="InvalidConfigurationException"/>
    /// listing every problem when the file cannot be used.
    /// </summary>
    public static WebRtcChatOptions AddWebRtcChatConfiguration(this IHostApplicationBuilder builder)
    {
        var named = builder.Configuration["config"] ?? Environment.GetEnvironmentVariable("WEBRTCCHAT_CONFIG");
        var loader = new ConfigFileLoader(string.IsNullOrWhiteSpace(named) ? DefaultConfigFile : named, mustExist: !string.IsNullOrWhiteSpace(named));
        var result = loader.Load();
        if (result.Options is null)
        {
            throw new InvalidConfigurationException(loader.FilePath, result.Errors);
        }

        WebRtcChatOptions options;
        try
        {
            // Made now, private, before anything (the log files first) would make it with the default mode.
            DataDirectory.Ensure(result.Options.Server.DataDirectory);
            options = DataDirectory.WithGeneratedAdministrator(result.Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidConfigurationException(loader.FilePath, [$"Server.DataDirectory: cannot be written: {e.Message}"]);
        }

        builder.Services.AddSingleton(loader);
        builder.Services.AddSingleton(new WebRtcChatSettings(options));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConfigFileWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfigFileWatcher>());
        return options;
    }
}
