using System.Diagnostics;
using System.Threading.Channels;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Realtime;
using Hearsay.Core;
using Hearsay.Core.Stt;
using Hearsay.Server.Capabilities;
using Hearsay.Server.Errors;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// A session's decodes, one at a time, through the engine's gate like any request, so sessions and uploads share the
/// engine fairly. Finals (committed utterances) are queued and never dropped; interim decodes of the utterance still
/// going on keep only the latest, are skipped while any session's final waits, and the one running is cancelled when
/// the session's final arrives. An interim decode is a preview: greedy, without the temperature fallback, whose chain
/// of retries would multiply its cost, with its tokens capped by the audio's length; a final is decoded as the file
/// endpoint decodes. When the speaker pauses, the
/// utterance so far is decoded early, as a final would be; if the pause turns out to be the end, that decode is the
/// final's, ready when the silence is confirmed; if speech goes on, it is dropped.
/// </summary>
internal sealed partial class TranscriptionWorker : IAsyncDisposable
{
    /// <summary>
    /// An interim decode samples at most this many tokens, plus <see cref="InterimTokensPerSecond"/> per second of audio:
    /// fast speech is about four words (six tokens) a second, and a window's timestamps add a few, so speech fits, while
    /// a decode that loops ends early instead of at 224 tokens (whisper.cpp's stream example caps at 32 tokens).
    /// </summary>
    private const int InterimTokenBase = 16;

    private const int InterimTokensPerSecond = 8;

    private static readonly TimeSpan BusyRetry = TimeSpan.FromMilliseconds(100);

    private readonly ServedEngine<ISpeechToTextEngine> _stt;
    private readonly RealtimeDecodePriority _priority;
    private readonly RealtimeOutbox _outbox;
    private readonly RealtimeDialect _dialect;
    private readonly ILogger _logger;
    private readonly Channel<Utterance> _finals = Channel.CreateUnbounded<Utterance>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private Utterance? _interim;
    private EarlyDecode? _early;

    /// <summary>The interim or early decode running, which a later turn of events may cancel.</summary>
    private CancellationTokenSource? _speculative;

    public TranscriptionWorker(
        ServedEngine<ISpeechToTextEngine> stt, RealtimeDecodePriority priority, RealtimeOutbox outbox, RealtimeDialect dialect, ILogger logger)
    {
        _stt = stt;
        _priority = priority;
        _outbox = outbox;
        _dialect = dialect;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>
    /// Queues a committed utterance for its final transcript. After a pause (<paramref name="afterPause"/>), the early
    /// decode of the same item stands for it; otherwise the decode running is cancelled and any waiting dropped, so
    /// that the final starts at once.
    /// </summary>
    public void Final(Utterance utterance, bool afterPause)
    {
        EarlyDecode? early;
        lock (_gate)
        {
            _interim = null;
            early = afterPause && _early?.Utterance.ItemId == utterance.ItemId ? _early : null;
            if (early is null)
            {
                _speculative?.Cancel();
            }

            _early = null;
        }

        _finals.Writer.TryWrite(utterance with { Priority = _priority.Final(), Early = early });
        _wake.Release();
    }

    /// <summary>
    /// Offers the utterance up to a pause for an early decode; the decode running (an interim one, or the early decode
    /// of an earlier pause) is cancelled, and interim decodes wait until speech goes on.
    /// </summary>
    public void Early(Utterance utterance)
    {
        lock (_gate)
        {
            _speculative?.Cancel();
            _interim = null;
            _early = new EarlyDecode(utterance);
        }

        _wake.Release();
    }

    /// <summary>Speech went on after the pause: its early decode is dropped, or cancelled if it runs.</summary>
    public void CancelEarly()
    {
        lock (_gate)
        {
            if (_early is { Started: true })
            {
                _speculative?.Cancel();
            }

            _early = null;
        }
    }

    /// <summary>Offers the utterance so far for an interim decode; it replaces one not started yet.</summary>
    public void Interim(Utterance utterance)
    {
        lock (_gate)
        {
            if (_early is not null)
            {
                // The pause's decode stands until speech goes on.
                return;
            }

            _interim = utterance;
        }

        _wake.Release();
    }

    /// <summary>Stops at once: the decode running is cancelled and nothing queued runs (the client is gone).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _finals.Writer.TryComplete();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        while (_finals.Reader.TryRead(out var left))
        {
            left.Priority?.Dispose();
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _wake.WaitAsync(cancellationToken);
            if (_finals.Reader.TryRead(out var final))
            {
                using (final.Priority)
                {
                    await FinalAsync(final, cancellationToken);
                }
            }
            else if (TakeEarly() is { } early)
            {
                await EarlyAsync(early, cancellationToken);
            }
            else if (TakeInterim() is { } interim && !_priority.FinalsWaiting)
            {
                await InterimAsync(interim, cancellationToken);
            }
        }
    }

    private async Task FinalAsync(Utterance utterance, CancellationToken cancellationToken)
    {
        string transcript;
        try
        {
            // An early decode that ran to its end is this final's; one cancelled or given up left no result.
            var decoded = utterance.Early?.Result ?? await DecodeAsync(utterance, DecodeKind.Final, cancellationToken);
            var rest = utterance.Stable.Final(decoded!.Transcription);
            if (rest.Length > 0)
            {
                PostDelta(utterance.ItemId, rest);
            }

            transcript = utterance.Stable.Sent + rest;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever failed, the item is answered and the worker goes on with the next: a client waits for every
            // committed item. A bug's own message is not a client's business.
            var (code, message) = e switch
            {
                ApiException api => (api.Code, api.Message),
                HearsayException => (ErrorCodes.InternalError, e.Message),
                _ => (ErrorCodes.InternalError, "The transcription failed; the server's log says why."),
            };
            LogFinalFailed(_logger, utterance.ItemId, e);
            _outbox.Post(
                new RealtimeTranscriptionFailedEvent(_outbox.NextEventId(), utterance.ItemId, new RealtimeError("server_error", code, message, null, null)),
                RealtimeJsonContext.Wire.RealtimeTranscriptionFailedEvent);
            return;
        }

        _outbox.Post(
            new RealtimeTranscriptionCompletedEvent(_outbox.NextEventId(), utterance.ItemId, transcript, new RealtimeDurationUsage(utterance.Seconds)),
            RealtimeJsonContext.Wire.RealtimeTranscriptionCompletedEvent);
        if (_dialect == RealtimeDialect.Ga)
        {
            var item = new RealtimeItem(utterance.ItemId, "completed", [new RealtimeItemContent(transcript)]);
            _outbox.Post(
                new RealtimeItemEvent("conversation.item.done", _outbox.NextEventId(), item, utterance.PreviousItemId), RealtimeJsonContext.Wire.RealtimeItemEvent);
        }
    }

    private async Task InterimAsync(Utterance utterance, CancellationToken cancellationToken)
    {
        Decoded? decoded;
        try
        {
            decoded = await SpeculateAsync(utterance, DecodeKind.Interim, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An interim result is an extra; the final says what failed.
            LogSpeculativeFailed(_logger, "interim", utterance.ItemId, e);
            return;
        }

        if (decoded is null)
        {
            return;
        }

        var (delta, tail) = utterance.Stable.Interim(decoded.Transcription, decoded.Seconds);
        if (delta.Length > 0)
        {
            PostDelta(utterance.ItemId, delta);
        }

        _outbox.Post(new RealtimeInterimEvent(_outbox.NextEventId(), utterance.ItemId, tail), RealtimeJsonContext.Wire.RealtimeInterimEvent);
    }

    private async Task EarlyAsync(EarlyDecode early, CancellationToken cancellationToken)
    {
        try
        {
            early.Result = await SpeculateAsync(early.Utterance, DecodeKind.Early, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The final decodes again, and says what failed if it fails too.
            LogSpeculativeFailed(_logger, "early", early.Utterance.ItemId, e);
        }
    }

    /// <summary>An interim or early decode, cancelled by the events that make it moot: null then, or when the engine is busy.</summary>
    private async Task<Decoded?> SpeculateAsync(Utterance utterance, DecodeKind kind, CancellationToken cancellationToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_gate)
        {
            _speculative = run;
        }

        try
        {
            return await DecodeAsync(utterance, kind, run.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            lock (_gate)
            {
                _speculative = null;
            }
        }
    }

    private EarlyDecode? TakeEarly()
    {
        lock (_gate)
        {
            if (_early is not { Started: false } early)
            {
                return null;
            }

            early.Started = true;
            return early;
        }
    }

    private Utterance? TakeInterim()
    {
        lock (_gate)
        {
            var interim = _interim;
            _interim = null;
            return interim;
        }
    }

    /// <summary>
    /// Decodes the utterance's audio after its settled text, with that text as prompt. A final waits when the engine
    /// is busy; the others are then given up (null). Only an interim decode never falls back to higher temperatures.
    /// </summary>
    private async Task<Decoded?> DecodeAsync(Utterance utterance, DecodeKind kind, CancellationToken cancellationToken)
    {
        var stable = utterance.Stable;
        var from = Math.Min((int)(stable.SettledSeconds * Pcm16Input.EngineRate), utterance.Samples.Length);
        var samples = from == 0 ? utterance.Samples : utterance.Samples[from..];
        var seconds = samples.Length / (double)Pcm16Input.EngineRate;
        var options = utterance.Options with
        {
            Prompt = stable.Prompt(utterance.Options.Prompt),
            TemperatureFallback = kind != DecodeKind.Interim && utterance.Options.TemperatureFallback,
            MaxTokensPerWindow = kind == DecodeKind.Interim ? InterimTokenBase + (int)Math.Ceiling(seconds * InterimTokensPerSecond) : null,
        };
        while (true)
        {
            EngineTurn<ISpeechToTextEngine> turn;
            try
            {
                turn = await _stt.AcquireAsync(cancellationToken);
            }
            catch (ApiException e) when (e.Status == 429)
            {
                if (kind != DecodeKind.Final)
                {
                    return null;
                }

                // The gate's queue is full of other requests: a final waits its turn instead of being dropped.
                await Task.Delay(BusyRetry, cancellationToken);
                continue;
            }

            using (turn)
            {
                await using var audio = new SampleArrayReader(samples);
                var started = Stopwatch.GetTimestamp();
                var transcription = await turn.Engine.TranscribeAsync(audio, options, progress: null, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                LogDecoded(_logger, utterance.ItemId, kind, seconds, elapsed);
                return new Decoded(transcription, seconds);
            }
        }
    }

    private void PostDelta(string itemId, string delta) =>
        _outbox.Post(new RealtimeTranscriptionDeltaEvent(_outbox.NextEventId(), itemId, delta), RealtimeJsonContext.Wire.RealtimeTranscriptionDeltaEvent);

    [LoggerMessage(EventId = 2451, Level = LogLevel.Warning, Message = "Realtime item {ItemId} could not be transcribed")]
    private static partial void LogFinalFailed(ILogger logger, string itemId, Exception exception);

    [LoggerMessage(EventId = 2452, Level = LogLevel.Debug, Message = "An {Kind} decode of realtime item {ItemId} failed")]
    private static partial void LogSpeculativeFailed(ILogger logger, string kind, string itemId, Exception exception);

    /// <summary>What the dictation benchmark reads to tell the engine's time from the session's latency.</summary>
    [LoggerMessage(EventId = 2455, Level = LogLevel.Debug, Message = "Realtime item {ItemId}: {Kind} decode of {AudioSeconds:0.00} s of audio in {Elapsed}")]
    private static partial void LogDecoded(ILogger logger, string itemId, DecodeKind kind, double audioSeconds, TimeSpan elapsed);
}

/// <summary>An utterance to decode: its 16 kHz samples, the options of the session when it was cut, and its stable text.</summary>
internal sealed record Utterance(string ItemId, string? PreviousItemId, float[] Samples, TranscribeOptions Options, StableTranscript Stable)
{
    /// <summary>Held while a final waits or runs, so other sessions skip their interim decodes.</summary>
    public IDisposable? Priority { get; init; }

    /// <summary>A final's: the decode made at the pause that turned out to be its end.</summary>
    public EarlyDecode? Early { get; init; }

    public double Seconds => Samples.Length / (double)Pcm16Input.EngineRate;
}
