using System.Diagnostics;
using Hearsay.Client;
using Hearsay.Contracts.Realtime;

namespace Hearsay.Benchmarks;

/// <summary>
/// One dictation session fed a <see cref="DictationScript"/> in real time, in blocks of <see cref="ChunkMs"/> pushed
/// once they would have been captured; every server event is kept with the time it arrived, in seconds since the
/// first sample would have been spoken. Also samples the server's memory and, in the silence once every utterance is
/// transcribed, its CPU time.
/// </summary>
internal sealed class SessionRun
{
    public const int ChunkMs = 40;

    /// <summary>How far into the silence the CPU window starts at the earliest, past the last utterance's turn.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private readonly List<(double At, IRealtimeServerEvent Event)> _events = [];

    private SessionRun()
    {
    }

    /// <summary>When the first sample would have been spoken (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Started { get; private set; }

    public double AfterSpeechMiB { get; private set; }

    public double EndOfSilenceMiB { get; private set; }

    /// <summary>The silence measured: its length and the server's CPU time over it, in seconds.</summary>
    public (double Wall, double Cpu) SilentCpuSeconds { get; private set; }

    public static async Task<SessionRun> RunAsync(HearsayClient client, DictationScript script, ServeProcess server)
    {
        var run = new SessionRun();
        await using var dictation = await client.DictateAsync(new DictationOptions { SampleRate = DictationScript.Rate, Language = "en" });
        var started = run.Started = Stopwatch.GetTimestamp();
        var reading = Task.Run(async () =>
        {
            await foreach (var serverEvent in dictation)
            {
                run.Add(Stopwatch.GetElapsedTime(started).TotalSeconds, serverEvent);
            }
        });

        var chunk = DictationScript.Rate * ChunkMs / 1000;
        var settled = script.SilenceStart + (int)(SettleTime.TotalSeconds * DictationScript.Rate);
        (TimeSpan Cpu, double At)? silentFrom = null;
        for (var offset = 0; offset < script.Samples.Length; offset += chunk)
        {
            var length = Math.Min(chunk, script.Samples.Length - offset);
            var wait = TimeSpan.FromSeconds((offset + length) / (double)DictationScript.Rate) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await dictation.PushAsync(script.Samples.AsMemory(offset, length));
            if (silentFrom is null && offset >= settled && run.EveryItemCompleted())
            {
                silentFrom = (server.CpuTime(), Stopwatch.GetElapsedTime(started).TotalSeconds);
                run.AfterSpeechMiB = server.ResidentMiB();
            }
        }

        if (silentFrom is not { } from)
        {
            throw new InvalidOperationException("The utterances were still being transcribed when the silence ended: give it more --silent-seconds.");
        }

        run.SilentCpuSeconds = (Stopwatch.GetElapsedTime(started).TotalSeconds - from.At, (server.CpuTime() - from.Cpu).TotalSeconds);
        run.EndOfSilenceMiB = server.ResidentMiB();
        await dictation.CloseAsync();
        await reading;
        return run;
    }

    /// <summary>The items whose speech started between two points of the script (samples), in order.</summary>
    public IReadOnlyList<string> ItemsStartedBetween(int fromSample, int toSample)
    {
        // audio_start_ms includes the prefix padding (300 ms by default): half a second of slack either side.
        var fromMs = (fromSample * 1000L / DictationScript.Rate) - 500;
        var toMs = (toSample * 1000L / DictationScript.Rate) - 500;
        return [.. Of<RealtimeSpeechStartedEvent>().Where(e => e.Event.AudioStartMs >= fromMs && e.Event.AudioStartMs < toMs).Select(e => e.Event.ItemId)];
    }

    /// <summary>A <see cref="Stopwatch"/> timestamp in this run's seconds.</summary>
    public double SecondsAt(long timestamp) => (timestamp - Started) / (double)Stopwatch.Frequency;

    public double? SpeechStoppedAt(string itemId) =>
        Of<RealtimeSpeechStoppedEvent>().Where(e => e.Event.ItemId == itemId).Select(e => (double?)e.At).FirstOrDefault();

    public double? CompletedAt(string itemId) =>
        Of<RealtimeTranscriptionCompletedEvent>().Where(e => e.Event.ItemId == itemId).Select(e => (double?)e.At).FirstOrDefault();

    /// <summary>The seconds from speech_started to the first interim result, and between interim results, until speech_stopped.</summary>
    public IEnumerable<double> InterimGaps(string itemId)
    {
        var start = Of<RealtimeSpeechStartedEvent>().First(e => e.Event.ItemId == itemId).At;
        var stop = Of<RealtimeSpeechStoppedEvent>().Where(e => e.Event.ItemId == itemId).Select(e => e.At).DefaultIfEmpty(double.MaxValue).First();
        var previous = start;
        foreach (var (at, _) in Of<RealtimeInterimEvent>().Where(e => e.Event.ItemId == itemId && e.At < stop))
        {
            yield return at - previous;
            previous = at;
        }
    }

    private bool EveryItemCompleted()
    {
        var started = Of<RealtimeSpeechStartedEvent>().Count;
        return started > 0 && Of<RealtimeTranscriptionCompletedEvent>().Count + Of<RealtimeTranscriptionFailedEvent>().Count == started;
    }

    private void Add(double at, IRealtimeServerEvent serverEvent)
    {
        lock (_events)
        {
            _events.Add((at, serverEvent));
        }
    }

    private List<(double At, T Event)> Of<T>()
        where T : IRealtimeServerEvent
    {
        lock (_events)
        {
            return [.. _events.Where(e => e.Event is T).Select(e => (e.At, (T)e.Event))];
        }
    }
}
