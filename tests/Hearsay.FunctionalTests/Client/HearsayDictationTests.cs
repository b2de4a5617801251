using System.Net;
using Hearsay.Client;
using Hearsay.Contracts.Realtime;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Client;

/// <summary>
/// <see cref="HearsayClient.DictateAsync"/> against the real server on Kestrel, with real clips. Random-weight test
/// models give word salad: the tests check the protocol and that each item's deltas add up to its transcript.
/// </summary>
public class HearsayDictationTests
{
    [Fact]
    public async Task DictateAsync_ClipFasterThanRealTimeWithServerVad_EveryItemInOrderAndItsDeltasAddUp()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);
        var pcm = (await SoxAudio.ReadPcm16Async(TestPaths.SharedFile("audio", "wav16k", "jfk.wav"), 24000)).Concat(new byte[24000 * 2 * 2]).ToArray();

        await using var dictation = await client.DictateAsync();
        var events = new List<IRealtimeServerEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var reading = Task.Run(async () =>
        {
            await foreach (var e in dictation.WithCancellation(timeout.Token))
            {
                lock (events)
                {
                    events.Add(e);
                }
            }
        });
        for (var offset = 0; offset < pcm.Length; offset += 4800)
        {
            await dictation.PushAsync(pcm.AsMemory(offset, Math.Min(4800, pcm.Length - offset)));
        }

        await Poll.UntilAsync(() =>
        {
            lock (events)
            {
                var committed = events.Count(e => e is RealtimeCommittedEvent);
                return committed > 0
                    && events.Count(e => e is RealtimeSpeechStartedEvent) == events.Count(e => e is RealtimeSpeechStoppedEvent)
                    && events.Count(e => e is RealtimeTranscriptionCompletedEvent) == committed;
            }
        }, TimeSpan.FromMinutes(2), "every committed utterance to be transcribed");
        await dictation.CloseAsync();
        await reading;

        Assert.Equal(24000, dictation.Session.Audio.Input.Format.Rate);
        Assert.Equal("server_vad", dictation.Session.Audio.Input.TurnDetection?.Type);
        Assert.DoesNotContain(events, e => e is RealtimeErrorEvent);
        foreach (var completed in events.OfType<RealtimeTranscriptionCompletedEvent>())
        {
            var ofItem = events.Where(e => ItemOf(e) == completed.ItemId).ToList();
            var turn = ofItem.Where(e => e is RealtimeSpeechStartedEvent or RealtimeSpeechStoppedEvent or RealtimeCommittedEvent).Select(e => e.Type);
            Assert.Equal(["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed"], turn);
            Assert.Equal(completed.Transcript, string.Concat(ofItem.OfType<RealtimeTranscriptionDeltaEvent>().Select(d => d.Delta)));
            Assert.True(completed.Usage.Seconds > 0);
        }
    }

    [Fact]
    public async Task DictateAsync_ManualCommitsAt16k_CommitMakesAnItem_ClearEmpties_HalfASampleRefused()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);
        var pcm = await SoxAudio.ReadPcm16Async(TestPaths.SharedFile("audio", "wav16k", "lj_LJ001-0002.wav"), 16000);
        var samples = new short[pcm.Length / 2];
        Buffer.BlockCopy(pcm, 0, samples, 0, pcm.Length);

        await using var dictation = await client.DictateAsync(new DictationOptions { SampleRate = 16000, TurnDetection = null, Language = "en" });
        await Assert.ThrowsAsync<ArgumentException>(() => dictation.PushAsync(new byte[3]));
        await dictation.PushAsync(samples);
        await dictation.ClearAsync();
        await dictation.PushAsync(samples);
        await dictation.CommitAsync();
        var events = new List<IRealtimeServerEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await foreach (var e in dictation.WithCancellation(timeout.Token))
        {
            events.Add(e);
            if (e is RealtimeTranscriptionCompletedEvent)
            {
                break;
            }
        }

        Assert.Null(dictation.Session.Audio.Input.TurnDetection);
        Assert.Equal(16000, dictation.Session.Audio.Input.Format.Rate);
        Assert.Equal(["input_audio_buffer.cleared", "input_audio_buffer.committed"], events.Where(e => e.Type.StartsWith("input_audio_buffer.", StringComparison.Ordinal)).Select(e => e.Type));
        var completed = (RealtimeTranscriptionCompletedEvent)events[^1];
        Assert.Equal(events.OfType<RealtimeCommittedEvent>().Single().ItemId, completed.ItemId);
        Assert.Equal(completed.Transcript, string.Concat(events.OfType<RealtimeTranscriptionDeltaEvent>().Select(d => d.Delta)));
        Assert.Equal(samples.Length / 16000.0, completed.Usage.Seconds, 0.01);
    }

    [Fact]
    public async Task DictateAsync_UnservedRate_ThrowsWithTheServersReason()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);

        var error = await Assert.ThrowsAsync<HearsayApiException>(() => client.DictateAsync(new DictationOptions { SampleRate = 8000 }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(RealtimeErrorCodes.Unsupported, error.Code);
    }

    [Fact]
    public async Task DictateAsync_SpeechToTextNotInstalled_Throws503SayingSo()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);

        var error = await Assert.ThrowsAsync<HearsayApiException>(() => client.DictateAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.StartsWith("Speech-to-text is not ready", error.Message, StringComparison.Ordinal);
    }

    private static string? ItemOf(IRealtimeServerEvent e) => e switch
    {
        RealtimeSpeechStartedEvent started => started.ItemId,
        RealtimeSpeechStoppedEvent stopped => stopped.ItemId,
        RealtimeCommittedEvent committed => committed.ItemId,
        RealtimeTranscriptionDeltaEvent delta => delta.ItemId,
        RealtimeTranscriptionCompletedEvent completed => completed.ItemId,
        _ => null,
    };
}
