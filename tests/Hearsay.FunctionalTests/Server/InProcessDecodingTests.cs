using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// The formats browsers, phones and voice-note apps record are transcribed by a server without ffmpeg (issue 15):
/// each real encoded file in <c>tests/assets/audio/encoded</c>, and a recording of Chromium's <c>MediaRecorder</c>, is
/// uploaded as an app would and transcribed in full.
/// </summary>
public sealed class InProcessDecodingTests(SidecarWithoutFfmpeg server) : IClassFixture<SidecarWithoutFfmpeg>
{
    private static readonly string AudioAssets = Path.Combine(TestPaths.RepoRoot, "tests", "assets", "audio");

    /// <summary>The one encoded file only ffmpeg decodes: MPEG Layer II.</summary>
    private const string LayerII = "encoded/arctic-mp2-16k-mono-32kbps.mp2";

    /// <summary>Every file of <c>encoded</c> and <c>recorded</c>, relative to <c>tests/assets/audio</c>, but Layer II.</summary>
    public static TheoryData<string> EncodedFiles() =>
        [.. Directory.GetFiles(Path.Combine(AudioAssets, "encoded")).Concat(Directory.GetFiles(Path.Combine(AudioAssets, "recorded")))
            .Select(file => Path.GetRelativePath(AudioAssets, file))
            .Where(name => name != LayerII)
            .Order()];

    [Theory]
    [MemberData(nameof(EncodedFiles))]
    public async Task Transcriptions_EncodedFileWithoutFfmpeg_TranscribesAllOfIt(string name)
    {
        await server.AssertFfmpegAbsentAsync();
        var path = TestPaths.RepoAsset("audio", name);
        var referenceSeconds = await FfmpegReference.SecondsAsync(path);

        var (status, body) = await TranscribeAsync(path);

        Assert.True(status == HttpStatusCode.OK, $"{name}: {(int)status} {body}");
        var transcript = JsonSerializer.Deserialize(body, HearsayJsonContext.Default.VerboseTranscription)!;
        Assert.Equal(referenceSeconds, transcript.Duration, 0.05);
    }

    [Fact]
    public async Task Transcriptions_MpegLayerIIWithoutFfmpeg_Is415SayingFfmpegReadsIt()
    {
        await server.AssertFfmpegAbsentAsync();

        var (status, body) = await TranscribeAsync(TestPaths.RepoAsset("audio", LayerII));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        var error = JsonSerializer.Deserialize(body, HearsayJsonContext.Default.ErrorResponse)!.Error;
        Assert.Equal("unsupported_audio_format", error.Code);
        Assert.Contains("With ffmpeg installed it is read through ffmpeg", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Uploads a file as apps often do, with a generic type and name: the format is recognised by content.</summary>
    private async Task<(HttpStatusCode Status, string Body)> TranscribeAsync(string path)
    {
        using var client = server.Sidecar.Client();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "recording");
        form.Add(new StringContent("whisper-1"), "model");
        form.Add(new StringContent("verbose_json"), "response_format");
        using var response = await client.PostAsync(HearsayRoutes.Transcriptions, form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
