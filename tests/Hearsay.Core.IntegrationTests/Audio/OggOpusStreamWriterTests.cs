using System.Globalization;
using Hearsay.Core.Audio;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.Core.IntegrationTests.Audio;

/// <summary>
/// Ogg Opus written in-process (<c>response_format=opus</c>) from real speech at Piper's rates, checked by ffprobe and
/// ffmpeg, and decoded back by Hearsay's own decoder against the PCM that went in.
/// </summary>
public sealed class OggOpusStreamWriterTests(ITestOutputHelper output) : IDisposable
{
    private const string InstallHint = "Install ffmpeg (apt-get install ffmpeg).";

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("jfk.wav", 16000)]
    [InlineData("lj_LJ001-0001.wav", 22050)]
    public async Task CompleteAsync_Speech_FfmpegReadsOpusAt48kHzOfTheSameLength(string clip, int rate)
    {
        var speech = await ReadClipAsync(clip, rate);
        var file = _folder.File("speech.opus");
        await File.WriteAllBytesAsync(file, await EncodeAsync(speech, rate, chunk: 1000));

        var probe = await RunAsync(
            TestPaths.Program("ffprobe", InstallHint),
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "default=noprint_wrappers=1", file]);
        var decoded = await FfmpegReference.DecodeMonoAsync(file);

        Assert.Equal(["codec_name=opus", "sample_rate=48000", "channels=1"], probe.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var expectedSeconds = speech.Length / (double)rate;
        var seconds = decoded.Length / 48000.0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clip}: {expectedSeconds:0.0000} s in, ffmpeg decodes {seconds:0.0000} s"));
        Assert.InRange(seconds, expectedSeconds - 0.020, expectedSeconds + 0.020);
    }

    // Opus is perceptual: at 32 kbit/s it keeps how speech sounds, not its waveform, so the floor is far below a lossless
    // codec's. A shift by the pre-skip (6.5 ms) would decorrelate speech and score near 0 dB. Measured in the comment.
    [Theory]
    [InlineData("jfk.wav", 16000, 5)] // 8.2 dB
    [InlineData("lj_LJ001-0001.wav", 22050, 6)] // 9.5 dB
    public async Task CompleteAsync_Speech_OwnDecoderGivesBackTheInput(string clip, int rate, double minimumSnrDb)
    {
        var speech = await ReadClipAsync(clip, rate);
        var encoded = await EncodeAsync(speech, rate, chunk: 4096);

        await using var reader = await AudioDecoder.OpenAsync(
            new MemoryStream(encoded), new AudioInputOptions { UseFfmpeg = false, TargetSampleRate = rate });
        var decoded = await reader.ReadAllAsync(10_000_000);

        Assert.Equal(speech.Length, decoded.Length);
        var snr = SignalComparison.SnrDb(speech, decoded);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clip}: {encoded.Length} bytes, SNR {snr:0.0} dB"));
        Assert.True(snr >= minimumSnrDb, $"SNR {snr:0.0} dB is below {minimumSnrDb} dB");
    }

    [Fact]
    public async Task FlushAsync_MidStream_WritesWhatWasEncodedAsPlayablePages()
    {
        var speech = await ReadClipAsync("jfk.wav", 16000);
        using var stream = new MemoryStream();
        await using var writer = AudioStreamWriter.Create(AudioFormat.Opus, stream, 16000);

        await writer.WriteAsync(speech.AsMemory(0, 8000));
        await writer.FlushAsync();
        var flushed = stream.ToArray();

        // Without the end-of-stream page, the decode ends at the last complete page: a clean end between pages.
        await using var reader = await AudioDecoder.OpenAsync(new MemoryStream(flushed), new AudioInputOptions { UseFfmpeg = false, TargetSampleRate = null });
        var heard = (await reader.ReadAllAsync(10_000_000)).Length / 48000.0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"0.5 s written, {heard:0.000} s playable after a flush"));
        Assert.InRange(heard, 0.45, 0.5);
    }

    private static async Task<float[]> ReadClipAsync(string clip, int rate)
    {
        await using var reader = await AudioDecoder.OpenFileAsync(
            TestPaths.SharedFile("audio", "orig", clip), new AudioInputOptions { UseFfmpeg = false, TargetSampleRate = rate });
        var samples = await reader.ReadAllAsync(10_000_000);

        // What the writer encodes is the 16-bit PCM it makes of the samples: compare with that.
        var pcm = new byte[samples.Length * 2];
        Pcm16.Write(samples, pcm);
        return [.. Enumerable.Range(0, samples.Length).Select(i => BitConverter.ToInt16(pcm, 2 * i) / 32768f)];
    }

    private static async Task<byte[]> EncodeAsync(float[] speech, int rate, int chunk)
    {
        using var stream = new MemoryStream();
        await using (var writer = AudioStreamWriter.Create(AudioFormat.Opus, stream, rate))
        {
            for (var start = 0; start < speech.Length; start += chunk)
            {
                await writer.WriteAsync(speech.AsMemory(start, Math.Min(chunk, speech.Length - start)));
            }

            await writer.CompleteAsync();
        }

        return stream.ToArray();
    }

    private static async Task<string> RunAsync(string program, string[] arguments)
    {
        using var process = ChildProcess.Start(program, arguments);
        var result = await ChildProcess.CompleteAsync(process);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.StdoutText;
    }
}
