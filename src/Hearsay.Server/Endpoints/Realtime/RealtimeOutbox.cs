using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Hearsay.Contracts.Realtime;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// The one writer of a session's socket: the receive loop and the transcription worker both post events here, and a
/// single task sends them in order (a WebSocket allows one send at a time).
/// </summary>
internal sealed class RealtimeOutbox
{
    /// <summary>
    /// Events waiting to be sent before the client counts as not reading: a client that sends bad events as fast as it
    /// can and never reads the errors would otherwise grow the queue without end. Far above what a reading client
    /// leaves waiting (a few per append).
    /// </summary>
    private const int MaxWaiting = 10_000;

    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private WebSocket? _socket;
    private long _eventCount;
    private int _waiting;

    /// <summary>A new server event id.</summary>
    public string NextEventId() => $"event_{Interlocked.Increment(ref _eventCount)}";

    public void Post<T>(T value, JsonTypeInfo<T> type)
    {
        if (Interlocked.Increment(ref _waiting) > MaxWaiting)
        {
            // Aborting ends the session's receive loop, which frees everything.
            _socket?.Abort();
            return;
        }

        _queue.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(value, type));
    }

    public void Error(string code, string message, string? param, string? clientEventId, string type = "invalid_request_error") =>
        Post(new RealtimeErrorEvent(NextEventId(), new RealtimeError(type, code, message, param, clientEventId)), RealtimeJsonContext.Wire.RealtimeErrorEvent);

    /// <summary>No more events: the sender finishes what is queued and stops.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Sends until <see cref="Complete"/> or the socket or token ends.</summary>
    public async Task SendAllAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        _socket = socket;
        await foreach (var message in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            Interlocked.Decrement(ref _waiting);
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }
}
