using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Realtime;
using Hearsay.Core;
using Hearsay.Server.Errors;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// One Realtime transcription session on its socket: reads client events in order and dispatches them, the audio ones
/// to its <see cref="InputAudioBuffer"/> (which hands utterances to the <see cref="TranscriptionWorker"/>), and sends
/// the events posted to its <see cref="RealtimeOutbox"/>. A bad event is answered with an <c>error</c> event and the
/// session goes on.
/// </summary>
internal sealed partial class RealtimeSession
{
    /// <summary>OpenAI's limit on one client event.</summary>
    public const int MaxEventBytes = 15 * 1024 * 1024;

    /// <summary>How long a stopping server waits for the client to answer its close.</summary>
    private static readonly TimeSpan CloseAnswerWait = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly RealtimeDialect _dialect;
    private readonly RealtimeContext _context;
    private readonly RealtimeOutbox _outbox = new();
    private RealtimeSettings _settings = RealtimeSettings.Default;

    public RealtimeSession(WebSocket socket, RealtimeDialect dialect, RealtimeContext context)
    {
        _socket = socket;
        _dialect = dialect;
        _context = context;
    }

    /// <summary>
    /// Runs the session until the client closes or goes away (<paramref name="clientGone"/>), or the server stops
    /// (<paramref name="serverStopping"/>): then the events queued are sent and the socket closed with 1001, going away,
    /// instead of holding the server's stop until Kestrel gives up on the connection. Everything it holds is freed when
    /// it returns.
    /// </summary>
    public async Task RunAsync(CancellationToken clientGone, CancellationToken serverStopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        var sender = SendAllAsync(stop, serverStopping);
        var worker = new TranscriptionWorker(_context.Stt, _context.Priority, _outbox, _dialect, _context.Logger);
        using var buffer = new InputAudioBuffer(_outbox, worker, _dialect, _context.Vad, _context.SamplingSeed);
        LogOpened(_context.Logger, _dialect);
        var closedByClient = false;
        try
        {
            using var stopping = serverStopping.Register(_outbox.Complete);
            buffer.Start();
            PostSession(created: true);
            closedByClient = await ReceiveAllAsync(buffer, stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away: nothing to answer.
        }
        finally
        {
            // Closing or gone, the client wants nothing more: the running decode is cancelled, queued utterances dropped.
            await worker.DisposeAsync();
            _outbox.Complete();
            try
            {
                await sender;
                if (closedByClient && _socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stop.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }

            LogClosed(_context.Logger, buffer.ItemCount);
        }
    }

    /// <summary>
    /// Sends events until the outbox is completed. When that was the server stopping, closes with 1001 and gives the
    /// client <see cref="CloseAnswerWait"/> to answer before the receive is cancelled.
    /// </summary>
    private async Task SendAllAsync(CancellationTokenSource stop, CancellationToken serverStopping)
    {
        await _outbox.SendAllAsync(_socket, stop.Token);
        if (serverStopping.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            stop.CancelAfter(CloseAnswerWait);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "Hearsay is stopping.", stop.Token);
        }
    }

    /// <summary>Reads events until the client closes (true) or the socket ends.</summary>
    private async Task<bool> ReceiveAllAsync(InputAudioBuffer buffer, CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>();
        var tooLarge = false;
        while (true)
        {
            var result = await _socket.ReceiveAsync(message.GetMemory(64 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return true;
            }

            message.Advance(result.Count);
            if (message.WrittenCount > MaxEventBytes)
            {
                // The rest of this message is read and dropped; the next one is read as usual.
                tooLarge = true;
                message.ResetWrittenCount();
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            if (tooLarge)
            {
                _outbox.Error(RealtimeErrorCodes.EventTooLarge, $"An event is at most {MaxEventBytes / (1024 * 1024)} MiB; this one was dropped. Send audio in smaller appends.", null, null);
            }
            else
            {
                Handle(message.WrittenSpan, buffer);
            }

            tooLarge = false;
            message = message.Capacity > 1024 * 1024 ? new ArrayBufferWriter<byte>() : message;
            message.ResetWrittenCount();
        }
    }

    private void Handle(ReadOnlySpan<byte> json, InputAudioBuffer buffer)
    {
        RealtimeClientEvent? clientEvent;
        try
        {
            clientEvent = JsonSerializer.Deserialize(json, RealtimeJsonContext.Wire.RealtimeClientEvent);
        }
        catch (JsonException e)
        {
            _outbox.Error(RealtimeErrorCodes.InvalidJson, $"The event is not valid JSON of a Realtime event: {e.Message}", null, null);
            return;
        }

        if (clientEvent?.Type is not { } type)
        {
            _outbox.Error(RealtimeErrorCodes.InvalidJson, "An event is a JSON object with a string 'type'.", "type", clientEvent?.EventId);
            return;
        }

        try
        {
            Dispatch(type, clientEvent, buffer);
        }
        catch (RealtimeProtocolException e)
        {
            _outbox.Error(e.Code, e.Message, e.Param, clientEvent.EventId);
        }
        catch (HearsayException e)
        {
            // The VAD model failed on this audio: the server's fault, said as OpenAI says it, and the session goes on.
            LogEventFailed(_context.Logger, type, e);
            _outbox.Error(ErrorCodes.InternalError, e.Message, null, clientEvent.EventId, "server_error");
        }
    }

    private void Dispatch(string type, RealtimeClientEvent clientEvent, InputAudioBuffer buffer)
    {
        switch (type)
        {
            case "input_audio_buffer.append":
                buffer.Append(clientEvent.Audio ?? throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, "append needs 'audio'.", "audio"));
                break;
            case "input_audio_buffer.commit":
                buffer.Commit();
                break;
            case "input_audio_buffer.clear":
                buffer.Clear();
                break;
            case "session.update" when _dialect == RealtimeDialect.Ga:
            case "transcription_session.update" when _dialect == RealtimeDialect.Beta:
                Update(clientEvent.Session, buffer);
                break;
            case "session.update" or "transcription_session.update":
                throw new RealtimeProtocolException(
                    RealtimeErrorCodes.UnknownEvent,
                    _dialect == RealtimeDialect.Beta
                        ? "This is a beta session (OpenAI-Beta: realtime=v1): configure it with transcription_session.update."
                        : "This is a GA session: configure it with session.update (connect with OpenAI-Beta: realtime=v1 for transcription_session.update).",
                    "type");
            default:
                throw new RealtimeProtocolException(
                    RealtimeErrorCodes.UnknownEvent,
                    $"'{type}' is not an event of a transcription session: send {UpdateEvent}, input_audio_buffer.append, .commit or .clear.",
                    "type");
        }
    }

    private string UpdateEvent => _dialect == RealtimeDialect.Ga ? "session.update" : "transcription_session.update";

    private void Update(JsonElement session, InputAudioBuffer buffer)
    {
        var next = SessionUpdateReader.Apply(_settings, session, _dialect);
        try
        {
            ModelAliases.Check(next.Model, _context.Stt.Capability.Model, ModelAliases.Stt, "--stt");
        }
        catch (ApiException e)
        {
            throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, e.Message, SessionUpdateReader.TranscriptionParam(_dialect) + ".model");
        }

        _settings = next;
        buffer.Update(next);
        PostSession(created: false);
    }

    private void PostSession(bool created)
    {
        var transcription = new RealtimeTranscriptionSettings(_settings.Model, _settings.Language, _settings.Prompt);
        var turns = _settings.TurnDetection is { } t ? new RealtimeTurnDetection("server_vad", t.Threshold, t.PrefixPaddingMs, t.SilenceDurationMs) : null;
        if (_dialect == RealtimeDialect.Ga)
        {
            var session = new RealtimeTranscriptionSession(new RealtimeTranscriptionSessionAudio(
                new RealtimeTranscriptionSessionInput(new RealtimeAudioFormat("audio/pcm", _settings.InputRate), transcription, turns)));
            _outbox.Post(new RealtimeSessionEvent(created ? "session.created" : "session.updated", _outbox.NextEventId(), session), RealtimeJsonContext.Wire.RealtimeSessionEvent);
        }
        else
        {
            var session = new RealtimeBetaTranscriptionSession("pcm16", transcription, turns);
            _outbox.Post(
                new RealtimeBetaSessionEvent(created ? "transcription_session.created" : "transcription_session.updated", _outbox.NextEventId(), session),
                RealtimeJsonContext.Wire.RealtimeBetaSessionEvent);
        }
    }

    [LoggerMessage(EventId = 2450, Level = LogLevel.Information, Message = "Realtime transcription session opened ({Dialect})")]
    private static partial void LogOpened(ILogger logger, RealtimeDialect dialect);

    [LoggerMessage(EventId = 2453, Level = LogLevel.Warning, Message = "A realtime {EventType} event failed on the server's side")]
    private static partial void LogEventFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(EventId = 2454, Level = LogLevel.Information, Message = "Realtime transcription session closed after {Items} items")]
    private static partial void LogClosed(ILogger logger, long items);
}
