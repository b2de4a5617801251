using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Core.Audio.Input;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.FunctionalTests.Page;

/// <summary>
/// What an Electron or web app records the usual way, Chromium's <c>MediaRecorder</c> (<c>audio/webm;codecs=opus</c>:
/// unknown-size clusters, no duration), from a fake microphone playing jfk.wav: Hearsay decodes it in-process to what
/// ffmpeg decodes, and a server without ffmpeg transcribes it when the page uploads it.
/// </summary>
[Collection(BrowserFixtureDefinition.Collection)]
public sealed class MediaRecorderTests(BrowserFixture browser, SidecarWithoutFfmpeg server, ITestOutputHelper output) : IClassFixture<SidecarWithoutFfmpeg>, IDisposable
{
    /// <summary>
    /// Measured 63.9 dB (Concentus against ffmpeg's own Opus decoder, which is not libopus, on Chromium 156's 48 kHz
    /// recording), with room for another Chromium's encoder settings.
    /// </summary>
    private const double MinimumSnrDb = 55;

    // Records 3 s with MediaRecorder, uploads the recording as an app would, and hands both back to the test.
    private const string RecordAndUpload = """
        async ({ token }) => {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' });
          const parts = [];
          recorder.ondataavailable = (event) => parts.push(event.data);
          const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
          recorder.start(500);
          await new Promise((resolve) => setTimeout(resolve, 3000));
          recorder.stop();
          await stopped;
          stream.getTracks().forEach((track) => track.stop());
          const recording = new Blob(parts, { type: recorder.mimeType });
          const form = new FormData();
          form.append('file', recording, 'recording.webm');
          form.append('model', 'whisper-1');
          form.append('response_format', 'verbose_json');
          const response = await fetch('/v1/audio/transcriptions', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
          const bytes = new Uint8Array(await recording.arrayBuffer());
          let binary = '';
          bytes.forEach((byte) => { binary += String.fromCharCode(byte); });
          return { mimeType: recorder.mimeType, webm: btoa(binary), status: response.status, body: await response.text() };
        }
        """;

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task MediaRecorderWebm_UploadedToAServerWithoutFfmpeg_DecodesAsFfmpegDoesAndIsTranscribed()
    {
        await server.AssertFfmpegAbsentAsync();
        await using var page = await browser.OpenAsync(server.Sidecar.Ready.Url + "/health/live", "media-recorder");

        var result = await page.Page.EvaluateAsync<JsonElement>(RecordAndUpload, new { token = server.Sidecar.Ready.Token });
        var recording = _folder.File("recording.webm");
        await File.WriteAllBytesAsync(recording, Convert.FromBase64String(result.GetProperty("webm").GetString()!));

        Assert.Equal("audio/webm;codecs=opus", result.GetProperty("mimeType").GetString());
        var status = result.GetProperty("status").GetInt32();
        var body = result.GetProperty("body").GetString()!;
        Assert.True(status == 200, $"the upload answered {status}: {body}");
        var reference = await FfmpegReference.DecodeMonoAsync(recording);
        var decoded = await DecodeInProcessAsync(recording);
        Assert.Equal(reference.Length, decoded.Length);
        var snr = SignalComparison.SnrDb(reference, decoded);
        output.WriteLine($"{reference.Length} samples; SNR against ffmpeg's decode {snr:0.0} dB");
        Assert.True(snr >= MinimumSnrDb, $"SNR {snr:0.0} dB, below {MinimumSnrDb} dB");
        var transcript = JsonSerializer.Deserialize(body, HearsayJsonContext.Default.VerboseTranscription)!;
        Assert.Equal(reference.Length / 48000.0, transcript.Duration, 0.05);
    }

    private static async Task<float[]> DecodeInProcessAsync(string path)
    {
        await using var reader = await AudioDecoder.OpenFileAsync(path, new AudioInputOptions { TargetSampleRate = null, UseFfmpeg = false });
        var samples = new List<float>();
        var block = new float[4096];
        int read;
        while ((read = await reader.ReadAsync(block)) > 0)
        {
            samples.AddRange(block.AsSpan(0, read));
        }

        return [.. samples];
    }
}
