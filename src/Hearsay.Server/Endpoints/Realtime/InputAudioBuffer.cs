using System.Runtime.InteropServices;
using Hearsay.Contracts.Realtime;
using Hearsay.Core.Stt;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// A session's input audio buffer and its turns: takes the audio of <c>input_audio_buffer.append</c>, runs server VAD on
/// it, commits an utterance at its stop or its cap (or when the client commits), and clears. Committed utterances, and
/// while speech goes on the utterance so far, go to the <see cref="TranscriptionWorker"/>; the events go to the
/// <see cref="RealtimeOutbox"/>, so the socket stays the session's alone.
/// </summary>
internal sealed class InputAudioBuffer(
    RealtimeOutbox outbox, TranscriptionWorker worker, RealtimeDialect dialect, SharedVadModel vad, int? samplingSeed) : IDisposable
{
    /// <summary>Interim decodes run after each second of new speech.</summary>
    private const int InterimEverySamples = Pcm16Input.EngineRate;

    /// <summary>Interim decodes stop past one Whisper window: longer utterances wait for their final.</summary>
    private const int MaxInterimSamples = 30 * Pcm16Input.EngineRate;

    /// <summary>OpenAI refuses to commit less than 100 ms.</summary>
    private const int MinCommitSamples = Pcm16Input.EngineRate / 10;

    /// <summary>The longest utterance (or manually committed buffer) held: 2 minutes of 16 kHz audio, 7.7 MB of samples.</summary>
    private static readonly TimeSpan MaxUtterance = TimeSpan.FromMinutes(2);

    private static readonly int MaxUtteranceSamples = (int)(MaxUtterance.TotalSeconds * Pcm16Input.EngineRate);

    private readonly List<float> _buffer = [];
    private readonly List<float> _incoming = [];
    private RealtimeSettings _settings = RealtimeSettings.Default;
    private Pcm16Input _input = new(RealtimeSettings.Default.InputRate);
    private TurnDetector? _detector;
    private long _detectorOrigin;
    private long _bufferStart;
    private string? _previousItemId;
    private Speech? _speech;

    /// <summary>How many items were committed.</summary>
    public long ItemCount { get; private set; }

    private long Position => _bufferStart + _buffer.Count;

    /// <summary>Starts server VAD as the default settings have it (not in the constructor: the first scorer loads the VAD model).</summary>
    public void Start() => ConfigureDetector();

    /// <summary>Takes the session's new settings: a new input rate gets a new resampler, new turn detection a new detector.</summary>
    public void Update(RealtimeSettings settings)
    {
        var previous = _settings;
        _settings = settings;
        if (settings.InputRate != previous.InputRate)
        {
            _input = new Pcm16Input(settings.InputRate);
        }

        if (settings.TurnDetection != previous.TurnDetection)
        {
            ConfigureDetector();
        }
    }

    public void Append(string audio)
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
        _detector.Push(CollectionsMarshal.AsSpan(_incoming), (change, at) => Turn(change, _detectorOrigin + at));
        AfterDetection();
    }

    public void Commit()
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

        CommitRange(speech?.ItemId ?? NewItemId(), start, Position, speech?.Stable ?? new StableTranscript(), afterPause: false);
        _speech = null;
        _detector?.EndTurn();
    }

    public void Clear()
    {
        _bufferStart = Position;
        _buffer.Clear();
        _input.Reset();
        _speech = null;
        _detector?.EndTurn();
        outbox.Post(new RealtimeClearedEvent(outbox.NextEventId()), RealtimeJsonContext.Wire.RealtimeClearedEvent);
    }

    /// <summary>Frees the VAD state (the model itself is shared).</summary>
    public void Dispose()
    {
        _detector?.Dispose();
        _detector = null;
    }

    private void ConfigureDetector()
    {
        _detector?.Dispose();
        _detector = null;
        _speech = null;
        if (_settings.TurnDetection is { } turns)
        {
            _detector = new TurnDetector(vad.CreateScorer(), turns);
            _detectorOrigin = Position;
        }
    }

    private void Turn(TurnChange change, long at)
    {
        if (change == TurnChange.Started)
        {
            var padding = (long)_settings.TurnDetection!.PrefixPaddingMs * Pcm16Input.EngineRate / 1000;
            var start = Math.Max(at - padding, _bufferStart);
            _speech = new Speech(NewItemId(), start);
            outbox.Post(new RealtimeSpeechStartedEvent(outbox.NextEventId(), Milliseconds(start), _speech.ItemId), RealtimeJsonContext.Wire.RealtimeSpeechStartedEvent);
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
                // The pause cancelled the interim decode under way and refused the offers since: one is due at once,
                // not a second after the last refused offer.
                speech.OfferedAt = -InterimEverySamples;
                break;
            case TurnChange.Stopped:
                outbox.Post(new RealtimeSpeechStoppedEvent(outbox.NextEventId(), Milliseconds(at), speech.ItemId), RealtimeJsonContext.Wire.RealtimeSpeechStoppedEvent);
                CommitRange(speech.ItemId, speech.Start, at, speech.Stable, afterPause: true);
                _speech = null;
                break;
        }
    }

    /// <summary>After the detector ran: the utterance is cut at the cap, offered for an interim decode, or (in silence) the buffer keeps only the prefix padding.</summary>
    private void AfterDetection()
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
            outbox.Error(
                RealtimeErrorCodes.BufferFull,
                $"An utterance is at most {MaxUtterance.TotalMinutes:0} minutes; it was cut here and transcribed, and the speech that follows starts a new item.",
                null,
                null);
            outbox.Post(new RealtimeSpeechStoppedEvent(outbox.NextEventId(), Milliseconds(Position), speech.ItemId), RealtimeJsonContext.Wire.RealtimeSpeechStoppedEvent);
            CommitRange(speech.ItemId, speech.Start, Position, speech.Stable, afterPause: false);
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

    /// <summary>
    /// Commits the buffer's samples from <paramref name="start"/> to <paramref name="end"/> as an item. When the turn
    /// ended after a pause (<paramref name="afterPause"/>), the early decode of the speech before the pause stands for it:
    /// what follows is the silence the VAD confirmed.
    /// </summary>
    private void CommitRange(string itemId, long start, long end, StableTranscript stable, bool afterPause)
    {
        var samples = Slice(start, end);
        Drop((int)(end - _bufferStart));
        outbox.Post(new RealtimeCommittedEvent(outbox.NextEventId(), itemId, _previousItemId), RealtimeJsonContext.Wire.RealtimeCommittedEvent);
        var item = new RealtimeItem(itemId, "completed", [new RealtimeItemContent(null)]);
        var itemEvent = dialect == RealtimeDialect.Ga ? "conversation.item.added" : "conversation.item.created";
        outbox.Post(new RealtimeItemEvent(itemEvent, outbox.NextEventId(), item, _previousItemId), RealtimeJsonContext.Wire.RealtimeItemEvent);
        worker.Final(new Utterance(itemId, _previousItemId, samples, Options(), stable), afterPause);
        _previousItemId = itemId;
        ItemCount++;
    }

    private float[] Slice(long start, long end) => _buffer.GetRange((int)(start - _bufferStart), (int)(end - start)).ToArray();

    private void Drop(int count)
    {
        _buffer.RemoveRange(0, count);
        _bufferStart += count;
    }

    /// <summary>The same options an upload with this language and prompt gets, so an item's transcript is the file endpoint's.</summary>
    private TranscribeOptions Options() => new() { Language = _settings.Language, Prompt = _settings.Prompt, Seed = samplingSeed };

    private static string NewItemId() => $"item_{Guid.NewGuid():N}"[..25];

    private static long Milliseconds(long samples) => samples * 1000 / Pcm16Input.EngineRate;

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
