using System.Collections.Concurrent;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>
/// A dictation session left open for 20 minutes of audio, mostly silence, on <c>hearsay serve</c> as a child process
/// (so that its resident memory is the server's alone). The audio is sent faster than real time; an unknown event
/// after a stretch of it is answered only once everything before it has been through the VAD, which is how the test
/// knows where the server is. Before each reading of its memory the server is left alone for a moment: minutes of
/// audio go by in seconds here, and the runtime's own settling (its background recompilation of hot code, the
/// collector's heap sizing) runs by the clock, not by the audio.
/// </summary>
public sealed class LongSilentSessionTests
{
    private const int Rate = 24000;

    private const int Minute = Rate * 60;

    /// <summary>
    /// Over the 14 silent minutes after both utterances: more than what the allocator and the managed heap move by on
    /// their own (up to 6 MiB in CI), far less than what a session that kept its audio would gain (52 MiB of 16 kHz floats).
    /// </summary>
    private const double SteadyGrowthLimitMiB = 10;

    /// <summary>From minute 2 to 20, the second utterance included; keeping the 18 minutes' audio would be 66 MiB.</summary>
    private const double TotalGrowthLimitMiB = 16;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task TwentyMinutes_TwoUtterancesInSilence_NoGrowthWhileSilentAndNoDecode()
    {
        var whisper = Path.GetDirectoryName(TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-encoder.onnx"))!;
        using var store = new TemporaryDirectory();
        using var sidecar = await SidecarProcess.StartAsync(
            ["--port", "0", "--stt", whisper, "--tts", "none", "--verbose", "--sampling-seed", "17"],
            new Dictionary<string, string?> { ["HEARSAY_MODELS_DIR"] = store.Path });
        var decodedItems = new ConcurrentQueue<string>();
        var logs = DrainLogsAsync(sidecar.Process.StandardError, decodedItems);
        using (var http = sidecar.Client())
        {
            await Poll.UntilAsync(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "speech-to-text to be ready");
        }

        var speech = await RealtimeTranscriptionTests.Pcm("lj_LJ001-0002.wav");
        await using var client = await RealtimeTestClient.ConnectAsync(new Uri(sidecar.Ready.Url), sidecar.Ready.Token);
        await client.NextAsync("session.created");

        // Minute 0: an utterance, then silence; the server's memory once it is transcribed and minute 2 is through.
        await client.AppendAsync(speech, chunkBytes: Rate * 2);
        await AppendSilenceAsync(client, (2 * Minute) - (speech.Length / 2));
        await client.NextAsync("conversation.item.input_audio_transcription.completed");
        var atTwo = await SettledResidentMiBAsync(client, sidecar);

        // Minute 5: the second utterance; then silence to minute 20.
        await AppendSilenceAsync(client, 3 * Minute);
        await client.AppendAsync(speech, chunkBytes: Rate * 2);
        await AppendSilenceAsync(client, Minute - (speech.Length / 2));
        await client.NextAsync("conversation.item.input_audio_transcription.completed");
        var atSix = await SettledResidentMiBAsync(client, sidecar);
        var decodesAtSix = decodedItems.Count;
        await AppendSilenceAsync(client, 14 * Minute);
        var atTwenty = await SettledResidentMiBAsync(client, sidecar);

        var items = client.SeenOf("input_audio_buffer.committed").Select(e => e.GetProperty("item_id").GetString()).ToList();
        Assert.Equal(2, items.Count);
        Assert.All(decodedItems, item => Assert.Contains(item, items));
        Assert.Equal(decodesAtSix, decodedItems.Count);
        var figures = $"resident memory at minutes 2, 6 and 20: {atTwo:0.0}, {atSix:0.0}, {atTwenty:0.0} MiB";
        Assert.True(atTwenty - atSix < SteadyGrowthLimitMiB, figures);
        Assert.True(atTwenty - atTwo < TotalGrowthLimitMiB, figures);
        await client.CloseAsync();
        sidecar.Process.Kill();
        await logs;
    }

    /// <summary>The server's resident memory once it has handled everything sent and had a moment to itself.</summary>
    private static async Task<double> SettledResidentMiBAsync(RealtimeTestClient client, SidecarProcess sidecar)
    {
        await SyncAsync(client);
        await Task.Delay(Settle);
        return ResidentMiB(sidecar);
    }

    private static async Task AppendSilenceAsync(RealtimeTestClient client, int samples)
    {
        // Faint noise rather than digital zeros, as a microphone gives.
        var noise = new Random(samples);
        var bytes = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (short)noise.Next(-16, 17));
        }

        await client.AppendAsync(bytes, chunkBytes: Rate * 2);
    }

    /// <summary>Returns once the server has handled everything sent so far: it answers an unknown event in order.</summary>
    private static async Task SyncAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new { type = "hearsay.test.sync" });
        await client.NextAsync("error");
    }

    private static double ResidentMiB(SidecarProcess sidecar) => ProcessStatus.MiB(sidecar.Process.Id, "VmRSS:");

    /// <summary>Reads the server's log to its end (a full pipe would stop it), noting the item of every decode.</summary>
    private static async Task DrainLogsAsync(StreamReader errors, ConcurrentQueue<string> decodedItems)
    {
        while (await errors.ReadLineAsync() is { } line)
        {
            if (RealtimeDecodeLog.Parse(line) is { } decode)
            {
                decodedItems.Enqueue(decode.ItemId);
            }
        }
    }
}
