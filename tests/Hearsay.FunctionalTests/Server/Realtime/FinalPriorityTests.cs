using Hearsay.Contracts.Status;
using Hearsay.Core.Stt;
using Hearsay.Server.Capabilities;
using Hearsay.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>
/// A session's final does not wait behind its own interim decode: the pause that ends the utterance cancels the one
/// running and decodes the utterance early, and that decode is the final's.
/// </summary>
public sealed class FinalPriorityTests
{
    private const int Rate = 24000;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UtteranceEnds_WhileItsInterimDecodeRuns_InterimCancelledAndThePausesDecodeIsTheFinal()
    {
        RecordingEngineLoader? recording = null;
        var whisper = Path.GetDirectoryName(TestPaths.RepoAsset("whisper", "tiny-en", "tiny-en-encoder.onnx"))!;
        await using var server = await ServerUnderTest.StartAsync(
            install: false,
            configure: o => o with { SttModel = whisper, TtsVoice = "none", SamplingSeed = 17 },
            services: services => services.AddSingleton<IEngineLoader<ISpeechToTextEngine>>(provider =>
                recording = new RecordingEngineLoader(ActivatorUtilities.CreateInstance<WhisperEngineLoader>(provider), FirstRunHold.UntilReleasedOrCancelled)));
        await server.WaitForStatusAsync(s => s.Stt.State == CapabilityState.Ready, "speech-to-text to be ready");
        var engine = await recording!.Loaded.WaitAsync(Bound);
        await using var client = await RealtimeTestClient.ConnectAsync(server.BaseUrl, server.Ready.Token);
        await client.NextAsync("session.created");

        // One sentence without a pause: an interim decode is offered after its first second, and the engine holds it.
        await client.AppendAsync(await RealtimeTranscriptionTests.Pcm("lj_LJ001-0002.wav"), chunkBytes: 9600);
        await engine.RunEntered.WaitAsync(Bound);
        await client.AppendAsync(new byte[Rate * 2], chunkBytes: 9600);
        var completed = await client.NextAsync("conversation.item.input_audio_transcription.completed");

        // Never released: the interim ended because it was cancelled; the decode at the pause is the only other one.
        Assert.Equal(["run", "run ended", "run", "run ended"], engine.Events);
        Assert.Single(client.SeenOf("input_audio_buffer.committed"));
        Assert.Empty(client.SeenOf("hearsay.input_audio_transcription.interim"));
        Assert.Equal(RealtimeTranscriptionTests.Deltas(client, completed.GetProperty("item_id").GetString()), completed.GetProperty("transcript").GetString());
    }
}
