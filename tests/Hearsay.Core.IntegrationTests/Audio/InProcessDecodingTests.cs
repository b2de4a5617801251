using System.Globalization;
using System.Runtime.InteropServices;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.Core.IntegrationTests.Audio;

/// <summary>
/// The encoded test files (real libopus and libvorbis encodes, tests/assets/audio/encoded) decoded in-process with
/// ffmpeg turned off, against ffmpeg's own decode of the same file: the same number of samples, and an SNR floor per
/// file a few dB under what was measured.
/// </summary>
/// <remarks>
/// Two differences are not the decoders': ffmpeg's <c>-ac 1</c> mixes stereo as (L+R)/√2 where Hearsay averages (as
/// its WAV and ffmpeg paths do), so a stereo reference is scaled by 1/√2 first; and ffmpeg decodes Opus with its own
/// decoder, not libopus, whose SILK upsampling differs (about 12 dB SNR between the two on the same file), so Opus is
/// also checked against ffmpeg's libopus decode, which Concentus (a port of libopus) matches to 80 dB and more.
/// </remarks>
public sealed class InProcessDecodingTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int, double> Files() => new()
    {
        // file, sample rate, channels, SNR floor in dB against ffmpeg's own decode (measured in the comment)
        { "jfk-opus-16k-mono-24kbps.webm", 48000, 1, 9 }, // 12.3
        { "jfk-opus-16k-mono-32kbps.opus", 48000, 1, 9 }, // 12.4
        { "cathy-opus-48k-stereo-64kbps.webm", 48000, 2, 50 }, // 53.2: CELT only, no SILK upsampling
        { "lj-opus-22k-mono-12kbps-voip.ogg", 48000, 1, 9 }, // 12.8
        { "cathy-vorbis-48k-stereo-q6.ogg", 48000, 2, 120 }, // 131.1: float rounding only
        { "lj-vorbis-22k-mono-q2.ogg", 22050, 1, 120 }, // 131.7
        { "lj-vorbis-22k-mono-q4.webm", 22050, 1, 120 }, // 131.7
    };

    public static TheoryData<string, double> OpusFiles() => new()
    {
        // file, SNR floor in dB against ffmpeg's libopus decode (measured in the comment)
        { "jfk-opus-16k-mono-24kbps.webm", 78 }, // 81.6
        { "jfk-opus-16k-mono-32kbps.opus", 78 }, // 82.2
        { "cathy-opus-48k-stereo-64kbps.webm", 64 }, // 67.5
        { "lj-opus-22k-mono-12kbps-voip.ogg", 120 }, // identical
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task OpenFileAsync_EncodedFileWithoutFfmpeg_MatchesFfmpegDecode(string file, int sampleRate, int channels, double minimumSnrDb)
    {
        var path = Encoded(file);
        var reference = Averaged(await FfmpegReference.DecodeMonoAsync(path), channels);

        var samples = await DecodeInProcessAsync(path, sampleRate);

        AssertClose(file, reference, samples, minimumSnrDb);
    }

    [Theory]
    [MemberData(nameof(OpusFiles))]
    public async Task OpenFileAsync_OpusFileWithoutFfmpeg_MatchesLibopusDecode(string file, double minimumSnrDb)
    {
        var path = Encoded(file);
        using var process = ChildProcess.Start(
            FfmpegReference.Program, ["-hide_banner", "-loglevel", "error", "-nostdin", "-c:a", "libopus", "-i", path, "-f", "f32le", "-"]);
        var result = await ChildProcess.CompleteAsync(process);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var interleaved = MemoryMarshal.Cast<byte, float>(result.Stdout).ToArray();

        var samples = await DecodeInProcessAsync(path, 48000);

        var channels = interleaved.Length / samples.Length;
        var reference = new float[interleaved.Length / channels];
        for (var i = 0; i < reference.Length; i++)
        {
            reference[i] = channels == 1 ? interleaved[i] : (interleaved[2 * i] + interleaved[(2 * i) + 1]) / 2;
        }

        AssertClose(file, reference, samples, minimumSnrDb);
    }

    private static string Encoded(string file) => TestPaths.RepoAsset("audio", "encoded", file);

    private static async Task<float[]> DecodeInProcessAsync(string path, int sampleRate)
    {
        await using var reader = await AudioDecoder.OpenFileAsync(path, new AudioInputOptions { UseFfmpeg = false, TargetSampleRate = null });
        Assert.Equal(sampleRate, reader.SampleRate);
        return await reader.ReadAllAsync(10_000_000);
    }

    private static float[] Averaged(float[] ffmpegMono, int channels) =>
        channels == 1 ? ffmpegMono : [.. ffmpegMono.Select(sample => sample / MathF.Sqrt(2))];

    private void AssertClose(string file, float[] reference, float[] samples, double minimumSnrDb)
    {
        Assert.Equal(reference.Length, samples.Length);
        var snr = SignalComparison.SnrDb(reference, samples);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {samples.Length} samples, SNR {snr:0.0} dB"));
        Assert.True(snr >= minimumSnrDb, $"{file}: SNR {snr:0.0} dB is below {minimumSnrDb} dB");
    }
}
