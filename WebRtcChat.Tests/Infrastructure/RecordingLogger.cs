using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>Keeps every log entry in memory so a test can check what was said, and how often.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IReadOnlyList<string> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));
}
