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
/// of retries would multiply its cost; a final is decoded as the file endpoint decodes.
/// </summary>
internal sealed partial class TranscriptionWorker : IAsyncDisposable
{
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
    private readonly Lock _interimGate = new();
    private Utterance? _interim;
    private CancellationTokenSource? _interimRun;

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
    /// Queues a committed utterance for its final transcript; any interim decode of it waiting is dropped, and the one
    /// running cancelled, so that the final starts at once.
    /// </summary>
    public void Final(Utterance utterance)
    {
        if (Volatile.Read(ref _interim) is { } waiting && waiting.ItemId == utterance.ItemId)
        {
            Interlocked.CompareExchange(ref _interim, null, waiting);
        }

        lock (_interimGate)
        {
            _interimRun?.Cancel();
        }

        _finals.Writer.TryWrite(utterance with { Priority = _priority.Final() });
        _wake.Release();
    }

    /// <summary>Offers the utterance so far for an interim decode; it replaces one not started yet.</summary>
    public void Interim(Utterance utterance)
    {
        Interlocked.Exchange(ref _interim, utterance);
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
            else if (Interlocked.Exchange(ref _interim, null) is { } interim && !_priority.FinalsWaiting)
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
            var decoded = await DecodeAsync(utterance, final: true, cancellationToken);
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
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_interimGate)
        {
            _interimRun = run;
        }

        try
        {
            decoded = await DecodeAsync(utterance, final: false, run.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The utterance's final came: it decodes the same audio.
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An interim result is an extra; the final says what failed.
            LogInterimFailed(_logger, utterance.ItemId, e);
            return;
        }
        finally
        {
            lock (_interimGate)
            {
                _interimRun = null;
            }
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

    /// <summary>
    /// Decodes the utterance's audio after its settled text, with that text as prompt. A final waits when the engine
    /// is busy; an interim decode is then given up (null), and never falls back to higher temperatures.
    /// </summary>
    private async Task<Decoded?> DecodeAsync(Utterance utterance, bool final, CancellationToken cancellationToken)
    {
        var stable = utterance.Stable;
        var from = Math.Min((int)(stable.SettledSeconds * Pcm16Input.EngineRate), utterance.Samples.Length);
        var samples = from == 0 ? utterance.Samples : utterance.Samples[from..];
        var options = utterance.Options with
        {
            Prompt = stable.Prompt(utterance.Options.Prompt),
            TemperatureFallback = final && utterance.Options.TemperatureFallback,
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
                if (!final)
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
                var seconds = samples.Length / (double)Pcm16Input.EngineRate;
                LogDecoded(_logger, utterance.ItemId, final ? "final" : "interim", seconds, elapsed);
                return new Decoded(transcription, seconds);
            }
        }
    }

    private void PostDelta(string itemId, string delta) =>
        _outbox.Post(new RealtimeTranscriptionDeltaEvent(_outbox.NextEventId(), itemId, delta), RealtimeJsonContext.Wire.RealtimeTranscriptionDeltaEvent);

    [LoggerMessage(EventId = 2451, Level = LogLevel.Warning, Message = "Realtime item {ItemId} could not be transcribed")]
    private static partial void LogFinalFailed(ILogger logger, string itemId, Exception exception);

    [LoggerMessage(EventId = 2452, Level = LogLevel.Debug, Message = "An interim decode of realtime item {ItemId} failed")]
    private static partial void LogInterimFailed(ILogger logger, string itemId, Exception exception);

    /// <summary>What the dictation benchmark reads to tell the engine's time from the session's latency.</summary>
    [LoggerMessage(EventId = 2455, Level = LogLevel.Debug, Message = "Realtime item {ItemId}: {Kind} decode of {AudioSeconds:0.00} s of audio in {Elapsed}")]
    private static partial void LogDecoded(ILogger logger, string itemId, string kind, double audioSeconds, TimeSpan elapsed);

    private sealed record Decoded(Transcription Transcription, double Seconds);
}

/// <summary>An utterance to decode: its 16 kHz samples, the options of the session when it was cut, and its stable text.</summary>
internal sealed record Utterance(string ItemId, string? PreviousItemId, float[] Samples, TranscribeOptions Options, StableTranscript Stable)
{
    /// <summary>Held while a final waits or runs, so other sessions skip their interim decodes.</summary>
    public IDisposable? Priority { get; init; }

    public double Seconds => Samples.Length / (double)Pcm16Input.EngineRate;
}
