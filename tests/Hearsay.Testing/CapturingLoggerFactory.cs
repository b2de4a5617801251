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
            events.Enqueue(new CapturedLog(
                category,
                logLevel,
                eventId.Id,
                formatter(state, exception),
                exception,
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}

/// <summary>One recorded log event.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The event's level.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with the event, if any.</param>
/// <param name="Values">The message's values by placeholder name, as logged (source-generated logs keep them).</param>
public sealed record CapturedLog(
    string Category, LogLevel Level, int EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> Values)
{
    /// <summary>The value logged for <paramref name="name"/>; fails when the event has none.</summary>
    public T Value<T>(string name) => (T)Values.Single(pair => pair.Key == name).Value!;
}
