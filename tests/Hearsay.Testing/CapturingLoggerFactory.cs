using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hearsay.Testing;

/// <summary>
/// A logger factory that records every event, so tests can assert on what an engine logged; also a provider, for a
/// host's logging (the server's).
/// </summary>
public sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _events = new();

    /// <summary>Events logged so far, in order.</summary>
    public IReadOnlyList<CapturedLog> Events => [.. _events];

    /// <summary>How many events with <paramref name="eventId"/> were logged.</summary>
    public int Count(int eventId) => _events.Count(e => e.EventId == eventId);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), exception));
    }
}

/// <summary>One recorded log event.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);
