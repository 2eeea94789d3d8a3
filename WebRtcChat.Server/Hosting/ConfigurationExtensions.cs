using WebRtcChat.Components.Configuration;
using WebRtcChat.Server.Configuration;

namespace WebRtcChat.Server.Hosting;

/// <summary>Registers the configuration file, its validation at start and its hot reload.</summary>
public static class ConfigurationExtensions
{
    /// <summary>
    /// Reads the file <see cref="ConfigFileLoader.For"/> picks from <c>--config PATH</c>, <c>WEBRTCCHAT_CONFIG</c> or the
    /// default. Throws <see cref="InvalidConfigurationException"/>
    /// listing every problem when the file cannot be used.
    /// </summary>
    public static WebRtcChatOptions AddWebRtcChatConfiguration(this IHostApplicationBuilder builder)
    {
        var loader = ConfigFileLoader.For(builder.Configuration["config"]);
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
