namespace WebRtcChat.Server.Configuration;

/// <summary>The configuration file cannot be used at start-up. The message lists every problem, one per line.</summary>
public sealed class InvalidConfigurationException(string file, IReadOnlyList<string> errors)
    : Exception($"The configuration in {file} is not valid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    /// <summary>Each problem, naming its key.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
