using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Realtime;
using Hearsay.Core;
using Hearsay.Core.Stt;
using Hearsay.Server.Errors;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// One Realtime transcription session: reads client events in order, keeps the input buffer, runs turn detection, and
/// hands committed utterances (and, while speech goes on, the utterance so far) to its <see cref="TranscriptionWorker"/>.
/// A bad event is answered with an <c>error</c> event and the session goes on.
/// </summary>
internal sealed partial class RealtimeSession : IDisposable
{
    /// <summary>OpenAI's limit on one client event.</summary>
    public const int MaxEventBytes = 15 * 1024 * 1024;

    /// <summary>The longest utterance (or manually committed buffer) held: 2 minutes of 16 kHz audio, 7.7 MB of samples.</summary>
    public static readonly TimeSpan MaxUtterance = TimeSpan.FromMinutes(2);

    /// <summary>Interim decodes run after each second of new speech.</summary>
    private const int InterimEverySamples = Pcm16Input.EngineRate;

    /// <summary>Interim decodes stop past one Whisper window: longer utterances wait for their final.</summary>
    private const int MaxInterimSamples = 30 * Pcm16Input.EngineRate;

    /// <summary>OpenAI refuses to commit less than 100 ms.</summary>
    private const int MinCommitSamples = Pcm16Input.EngineRate / 10;

    /// <summary>How long a stopping server waits for the client to answer its close.</summary>
    private static readonly TimeSpan CloseAnswerWait = TimeSpan.FromSeconds(2);

    private static readonly int MaxUtteranceSamples = (int)(MaxUtterance.TotalSeconds * Pcm16Input.EngineRate);

    private readonly WebSocket _socket;
    private readonly RealtimeDialect _dialect;
    private readonly RealtimeContext _context;
    private readonly RealtimeOutbox _outbox = new();
    private readonly List<float> _buffer = [];
    private readonly List<float> _incoming = [];
    private RealtimeSettings _settings = RealtimeSettings.Default;
    private Pcm16Input _input = new(RealtimeSettings.Default.InputRate);
    private TurnDetector? _detector;
    private long _detectorOrigin;
    private long _bufferStart;
    private long _itemCount;
    private string? _previousItemId;
    private Speech? _speech;

    public RealtimeSession(WebSocket socket, RealtimeDialect dialect, RealtimeContext context)
    {
        _socket = socket;
        _dialect = dialect;
        _context = context;
    }

    private long Position => _bufferStart + _buffer.Count;

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
        LogOpened(_context.Logger, _dialect);
        var closedByClient = false;
        try
        {
            using var stopping = serverStopping.Register(_outbox.Complete);
            ConfigureDetector();
            PostSession(created: true);
            closedByClient = await ReceiveAllAsync(worker, stop.Token);
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

            LogClosed(_context.Logger, _itemCount);
        }
    }

    /// <summary>Frees the VAD state (the model itself is shared).</summary>
    public void Dispose()
    {
        _detector?.Dispose();
        _detector = null;
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
    private async Task<bool> ReceiveAllAsync(TranscriptionWorker worker, CancellationToken cancellationToken)
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
                Handle(message.WrittenSpan, worker);
            }

            tooLarge = false;
            message = message.Capacity > 1024 * 1024 ? new ArrayBufferWriter<byte>() : message;
            message.ResetWrittenCount();
        }
    }

    private void Handle(ReadOnlySpan<byte> json, TranscriptionWorker worker)
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
            Dispatch(type, clientEvent, worker);
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

    private void Dispatch(string type, RealtimeClientEvent clientEvent, TranscriptionWorker worker)
    {
        switch (type)
        {
            case "input_audio_buffer.append":
                Append(clientEvent.Audio ?? throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, "append needs 'audio'.", "audio"), worker);
                break;
            case "input_audio_buffer.commit":
                Commit(worker);
                break;
            case "input_audio_buffer.clear":
                Clear();
                break;
            case "session.update" when _dialect == RealtimeDialect.Ga:
            case "transcription_session.update" when _dialect == RealtimeDialect.Beta:
                Update(clientEvent.Session);
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

    private void Update(JsonElement session)
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

        var previous = _settings;
        _settings = next;
        if (next.InputRate != previous.InputRate)
        {
            _input = new Pcm16Input(next.InputRate);
        }

        if (next.TurnDetection != previous.TurnDetection)
        {
            ConfigureDetector();
        }

        PostSession(created: false);
    }

    private void ConfigureDetector()
    {
        _detector?.Dispose();
        _detector = null;
        _speech = null;
        if (_settings.TurnDetection is { } turns)
        {
            _detector = new TurnDetector(_context.Vad.CreateScorer(), turns);
            _detectorOrigin = Position;
        }
    }

    private void Append(string audio, TranscriptionWorker worker)
    {
        _incoming.Clear();
        _input.Append(audio, _incoming);
        if (_detector is null)
        {
            if (_buffer.Count + _incoming.Count > MaxUtteranceSamples)
            {
                throw new RealtimeProtocolException(
                    RealtimeErrorCodes.BufferFull,
                    $"The input audio buffer holds at most {MaxUtterance.TotalMinutes:0} minutes; this audio was dropped. Commit before appending more.",
                    "audio");
            }

            _buffer.AddRange(_incoming);
            return;
        }

        _buffer.AddRange(_incoming);
        // The new samples are read from _incoming: a commit inside the push shifts _buffer.
        _detector.Push(CollectionsMarshal.AsSpan(_incoming), (change, at) => Turn(change, _detectorOrigin + at, worker));
        AfterDetection(worker);
    }

    private void Turn(TurnChange change, long at, TranscriptionWorker worker)
    {
        if (change == TurnChange.Started)
        {
            var padding = (long)_settings.TurnDetection!.PrefixPaddingMs * Pcm16Input.EngineRate / 1000;
            var start = Math.Max(at - padding, _bufferStart);
            _speech = new Speech(NewItemId(), start);
            _outbox.Post(new RealtimeSpeechStartedEvent(_outbox.NextEventId(), Milliseconds(start), _speech.ItemId), RealtimeJsonContext.Wire.RealtimeSpeechStartedEvent);
            return;
        }

        if (_speech is not { } speech)
        {
            return;
        }

        switch (change)
        {
            case TurnChange.Paused:
                // Probably the end: decoded now, the transcript is ready when the silence is confirmed.
                worker.Early(new Utterance(speech.ItemId, _previousItemId, Slice(speech.Start, at), Options(), speech.Stable));
                break;
            case TurnChange.Resumed:
                worker.CancelEarly();
                break;
            case TurnChange.Stopped:
                _outbox.Post(new RealtimeSpeechStoppedEvent(_outbox.NextEventId(), Milliseconds(at), speech.ItemId), RealtimeJsonContext.Wire.RealtimeSpeechStoppedEvent);
                CommitRange(speech.ItemId, speech.Start, at, speech.Stable, worker, afterPause: true);
                _speech = null;
                break;
        }
    }

    /// <summary>After the detector ran: the utterance is cut at the cap, offered for an interim decode, or (in silence) the buffer keeps only the prefix padding.</summary>
    private void AfterDetection(TranscriptionWorker worker)
    {
        if (_speech is not { } speech)
        {
            var padding = (int)((long)_settings.TurnDetection!.PrefixPaddingMs * Pcm16Input.EngineRate / 1000);
            Drop(Math.Max(0, _buffer.Count - padding));
            return;
        }

        var length = Position - speech.Start;
        if (length >= MaxUtteranceSamples)
        {
            _outbox.Error(
                RealtimeErrorCodes.BufferFull,
                $"An utterance is at most {MaxUtterance.TotalMinutes:0} minutes; it was cut here and transcribed, and the speech that follows starts a new item.",
                null,
                null);
            _outbox.Post(new RealtimeSpeechStoppedEvent(_outbox.NextEventId(), Milliseconds(Position), speech.ItemId), RealtimeJsonContext.Wire.RealtimeSpeechStoppedEvent);
            CommitRange(speech.ItemId, speech.Start, Position, speech.Stable, worker, afterPause: false);
            _speech = null;
            _detector!.EndTurn();
            return;
        }

        if (length - speech.OfferedAt >= InterimEverySamples && length <= MaxInterimSamples)
        {
            speech.OfferedAt = length;
            worker.Interim(new Utterance(speech.ItemId, _previousItemId, Slice(speech.Start, Position), Options(), speech.Stable));
        }
    }

    private void Commit(TranscriptionWorker worker)
    {
        _input.Flush(_buffer);
        var speech = _speech;
        var start = speech?.Start ?? _bufferStart;
        if (Position - start < MinCommitSamples)
        {
            throw new RealtimeProtocolException(
                RealtimeErrorCodes.CommitEmpty,
                $"Buffer too small: a commit needs at least 100 ms of audio, and the buffer holds {(Position - start) * 1000 / Pcm16Input.EngineRate} ms.",
                null);
        }

        CommitRange(speech?.ItemId ?? NewItemId(), start, Position, speech?.Stable ?? new StableTranscript(), worker, afterPause: false);
        _speech = null;
        _detector?.EndTurn();
    }

    private void Clear()
    {
        _bufferStart = Position;
        _buffer.Clear();
        _input.Reset();
        _speech = null;
        _detector?.EndTurn();
        _outbox.Post(new RealtimeClearedEvent(_outbox.NextEventId()), RealtimeJsonContext.Wire.RealtimeClearedEvent);
    }

    /// <summary>
    /// Commits the buffer's samples from <paramref name="start"/> to <paramref name="end"/> as an item. When the turn
    /// ended after a pause (<paramref name="afterPause"/>), the early decode of the speech before the pause stands for it:
    /// what follows is the silence the VAD confirmed.
    /// </summary>
    private void CommitRange(string itemId, long start, long end, StableTranscript stable, TranscriptionWorker worker, bool afterPause)
    {
        var samples = Slice(start, end);
        Drop((int)(end - _bufferStart));
        _outbox.Post(new RealtimeCommittedEvent(_outbox.NextEventId(), itemId, _previousItemId), RealtimeJsonContext.Wire.RealtimeCommittedEvent);
        var item = new RealtimeItem(itemId, "completed", [new RealtimeItemContent(null)]);
        var itemEvent = _dialect == RealtimeDialect.Ga ? "conversation.item.added" : "conversation.item.created";
        _outbox.Post(new RealtimeItemEvent(itemEvent, _outbox.NextEventId(), item, _previousItemId), RealtimeJsonContext.Wire.RealtimeItemEvent);
        worker.Final(new Utterance(itemId, _previousItemId, samples, Options(), stable), afterPause);
        _previousItemId = itemId;
        _itemCount++;
    }

    private float[] Slice(long start, long end) => _buffer.GetRange((int)(start - _bufferStart), (int)(end - start)).ToArray();

    private void Drop(int count)
    {
        _buffer.RemoveRange(0, count);
        _bufferStart += count;
    }

    /// <summary>The same options an upload with this language and prompt gets, so an item's transcript is the file endpoint's.</summary>
    private TranscribeOptions Options() => new() { Language = _settings.Language, Prompt = _settings.Prompt, Seed = _context.SamplingSeed };

    private static string NewItemId() => $"item_{Guid.NewGuid():N}"[..25];

    private static long Milliseconds(long samples) => samples * 1000 / Pcm16Input.EngineRate;

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

    /// <summary>The utterance going on under server VAD.</summary>
    private sealed class Speech(string itemId, long start)
    {
        public string ItemId { get; } = itemId;

        /// <summary>Its first sample in the session's audio, prefix padding included.</summary>
        public long Start { get; } = start;

        public StableTranscript Stable { get; } = new();

        /// <summary>Its length when last offered for an interim decode.</summary>
        public long OfferedAt { get; set; }
    }
}
