using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Hearsay.Contracts.Realtime;

namespace Hearsay.Client;

/// <summary>
/// A live dictation session (<see cref="HearsayClient.DictateAsync"/>): push PCM16 and read the server's events with
/// <c>await foreach</c>. Events are the typed records of <see cref="Contracts.Realtime"/> (pattern-match on them);
/// a type this client does not know comes as <see cref="RealtimeOtherEvent"/>.
/// </summary>
/// <remarks>Pushes may come from one task while another reads; only one reader at a time.</remarks>
public sealed class HearsayDictation : IAsyncEnumerable<IRealtimeServerEvent>, IAsyncDisposable
{
    // One append event carries at most this much PCM (OpenAI's limit is 15 MiB of JSON per event).
    private const int AppendBytes = 1 << 20;

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);

    internal HearsayDictation(ClientWebSocket socket, RealtimeTranscriptionSession session)
    {
        _socket = socket;
        Session = session;
    }

    /// <summary>The session as the server confirmed it (<c>session.updated</c>).</summary>
    public RealtimeTranscriptionSession Session { get; }

    /// <summary>Appends PCM16 samples (mono, at the session's rate) to the session's input audio buffer.</summary>
    /// <param name="samples">The samples.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once sent.</returns>
    public Task PushAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken = default)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples.Span[i]);
        }

        return PushAsync(bytes, cancellationToken);
    }

    /// <summary>Appends PCM16 little-endian bytes (mono, at the session's rate; whole samples).</summary>
    /// <param name="pcm16">The bytes: an even count.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once sent.</returns>
    public async Task PushAsync(ReadOnlyMemory<byte> pcm16, CancellationToken cancellationToken = default)
    {
        if (pcm16.Length % 2 != 0)
        {
            throw new ArgumentException($"PCM16 has 2 bytes a sample; {pcm16.Length} bytes is not a whole number of samples.", nameof(pcm16));
        }

        for (var offset = 0; offset < pcm16.Length; offset += AppendBytes)
        {
            var part = pcm16.Slice(offset, Math.Min(AppendBytes, pcm16.Length - offset));
            var audio = Convert.ToBase64String(part.Span);
            await SendAsync(writer =>
            {
                writer.WriteString("type", "input_audio_buffer.append");
                writer.WriteString("audio", audio);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the utterance: the buffer so far becomes an item and is transcribed (needed without server VAD).</summary>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once sent.</returns>
    public Task CommitAsync(CancellationToken cancellationToken = default) =>
        SendAsync(writer => writer.WriteString("type", "input_audio_buffer.commit"), cancellationToken);

    /// <summary>Drops the audio not yet committed.</summary>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once sent.</returns>
    public Task ClearAsync(CancellationToken cancellationToken = default) =>
        SendAsync(writer => writer.WriteString("type", "input_audio_buffer.clear"), cancellationToken);

    /// <summary>
    /// Closes the session: the server drops its audio and any decode at once. A reader's enumeration ends once the
    /// server's close arrives.
    /// </summary>
    /// <param name="cancellationToken">Cancels the close.</param>
    /// <returns>A task that completes once the close is sent.</returns>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Reads the server's events until the session closes.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The events, in order.</returns>
    public async IAsyncEnumerator<IRealtimeServerEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        while (await ReceiveAsync(_socket, cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <summary>Closes the session (if still open) and frees the socket.</summary>
    /// <returns>A task that completes once done.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // Already gone.
        }

        _socket.Dispose();
        _sending.Dispose();
    }

    /// <summary>Opens a session on a connected socket: waits for <c>session.created</c>, sends the options, waits for <c>session.updated</c>.</summary>
    internal static async Task<HearsayDictation> StartAsync(ClientWebSocket socket, DictationOptions options, CancellationToken cancellationToken)
    {
        var created = await ReceiveAsync(socket, cancellationToken).ConfigureAwait(false);
        if (created is not RealtimeSessionEvent { Type: "session.created" })
        {
            throw new HearsayApiException(HttpStatusCode.InternalServerError, $"Hearsay opened the dictation with '{created?.Type}', not session.created.");
        }

        await SendOnAsync(socket, writer => WriteSessionUpdate(writer, options), cancellationToken).ConfigureAwait(false);
        switch (await ReceiveAsync(socket, cancellationToken).ConfigureAwait(false))
        {
            case RealtimeSessionEvent { Type: "session.updated" } updated:
                return new HearsayDictation(socket, updated.Session);
            case RealtimeErrorEvent error:
                throw new HearsayApiException(
                    HttpStatusCode.BadRequest, $"Hearsay refused the dictation options: {error.Error.Message}", error.Error.Type, error.Error.Code, error.Error.Param);
            case var other:
                throw new HearsayApiException(HttpStatusCode.InternalServerError, $"Hearsay answered the session update with '{other?.Type ?? "a close"}'.");
        }
    }

    private static void WriteSessionUpdate(Utf8JsonWriter writer, DictationOptions options)
    {
        var context = RealtimeJsonContext.Wire;
        writer.WriteString("type", "session.update");
        writer.WriteStartObject("session");
        writer.WriteString("type", "transcription");
        writer.WriteStartObject("audio");
        writer.WriteStartObject("input");
        writer.WritePropertyName("format");
        JsonSerializer.Serialize(writer, new RealtimeAudioFormat("audio/pcm", options.SampleRate), context.RealtimeAudioFormat);
        writer.WritePropertyName("transcription");
        JsonSerializer.Serialize(writer, new RealtimeTranscriptionSettings(null, options.Language, options.Prompt), context.RealtimeTranscriptionSettings);
        writer.WritePropertyName("turn_detection");
        if (options.TurnDetection is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, options.TurnDetection, context.RealtimeTurnDetection);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private async Task SendAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendOnAsync(_socket, write, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private static async Task SendOnAsync(ClientWebSocket socket, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next event, or null once the server closes.</summary>
    private static async Task<IRealtimeServerEvent?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>();
        ValueWebSocketReceiveResult result;
        do
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
            {
                return null;
            }

            result = await socket.ReceiveAsync(message.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Advance(result.Count);
        }
        while (!result.EndOfMessage);

        return Parse(message.WrittenSpan);
    }

    private static IRealtimeServerEvent Parse(ReadOnlySpan<byte> json)
    {
        var context = RealtimeJsonContext.Wire;
        using var document = JsonDocument.Parse(json.ToArray());
        var type = document.RootElement.GetProperty("type").GetString();
        var root = document.RootElement;
        return type switch
        {
            "session.created" or "session.updated" => root.Deserialize(context.RealtimeSessionEvent)!,
            "input_audio_buffer.speech_started" => root.Deserialize(context.RealtimeSpeechStartedEvent)!,
            "input_audio_buffer.speech_stopped" => root.Deserialize(context.RealtimeSpeechStoppedEvent)!,
            "input_audio_buffer.committed" => root.Deserialize(context.RealtimeCommittedEvent)!,
            "input_audio_buffer.cleared" => root.Deserialize(context.RealtimeClearedEvent)!,
            "conversation.item.added" or "conversation.item.done" => root.Deserialize(context.RealtimeItemEvent)!,
            "conversation.item.input_audio_transcription.delta" => root.Deserialize(context.RealtimeTranscriptionDeltaEvent)!,
            "conversation.item.input_audio_transcription.completed" => root.Deserialize(context.RealtimeTranscriptionCompletedEvent)!,
            "conversation.item.input_audio_transcription.failed" => root.Deserialize(context.RealtimeTranscriptionFailedEvent)!,
            "hearsay.input_audio_transcription.interim" => root.Deserialize(context.RealtimeInterimEvent)!,
            "error" => root.Deserialize(context.RealtimeErrorEvent)!,
            _ => new RealtimeOtherEvent(type ?? string.Empty, root.TryGetProperty("event_id", out var id) ? id.GetString() ?? string.Empty : string.Empty, root.Clone()),
        };
    }
}

/// <summary>An event type this client does not know, as JSON.</summary>
/// <param name="Type">The event type.</param>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="Json">The whole event.</param>
public sealed record RealtimeOtherEvent(string Type, string EventId, JsonElement Json) : IRealtimeServerEvent;
