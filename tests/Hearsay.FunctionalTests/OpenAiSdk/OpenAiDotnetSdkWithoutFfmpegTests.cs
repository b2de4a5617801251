using System.ClientModel;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;
using OpenAI;
using OpenAI.Audio;

namespace Hearsay.FunctionalTests.OpenAiSdk;

/// <summary>
/// The official OpenAI .NET SDK uploads what apps record (WebM/Opus from a browser, MP3) to a server on a machine
/// without ffmpeg, and gets the whole recording transcribed.
/// </summary>
public sealed class OpenAiDotnetSdkWithoutFfmpegTests(SidecarWithoutFfmpeg server) : IClassFixture<SidecarWithoutFfmpeg>
{
    [Theory]
    [InlineData("recorded/chromium-mediarecorder-jfk.webm")]
    [InlineData("encoded/jfk-mp3-16k-mono-32kbps-id3.mp3")]
    public async Task TranscribeAudio_WebmOrMp3WithoutFfmpeg_IsTranscribedInFull(string file)
    {
        await server.AssertFfmpegAbsentAsync();
        var path = TestPaths.RepoAsset("audio", file);
        var seconds = await FfmpegReference.SecondsAsync(path);
        var client = new OpenAIClient(
            new ApiKeyCredential(server.Sidecar.Ready.Token),
            new OpenAIClientOptions { Endpoint = new Uri(new Uri(server.Sidecar.Ready.Url), "/v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });

        AudioTranscription transcription = await client.GetAudioClient("whisper-1").TranscribeAudioAsync(
            path, new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose, Temperature = 0 });

        Assert.Equal(seconds, transcription.Duration!.Value.TotalSeconds, 0.05);
    }
}
