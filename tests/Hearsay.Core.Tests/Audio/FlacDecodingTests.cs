using System.Runtime.InteropServices;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Audio.Input.Flac;
using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.Core.Tests.Audio;

/// <summary>The in-process FLAC decoder against ffmpeg's decode of real encodes, and on malformed streams.</summary>
public sealed class FlacDecodingTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files => [.. ChannelsOf.Keys];

    // File → channels.
    private static Dictionary<string, int> ChannelsOf { get; } = new()
    {
        ["jfk-flac-16k-mono-16bit-level8.flac"] = 1,
        ["cathy-flac-48k-stereo-24bit-level0.flac"] = 2,
        ["lj-flac-22k-mono-16bit-block576.flac"] = 1,
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task EveryChannel_EqualsFfmpegsIntegers(string name)
    {
        var path = EncodedAudio.PathOf(name);
        var expected = await FfmpegInterleavedS32Async(path);

        await using var file = File.OpenRead(path);
        var reader = await FlacAudioReader.OpenAsync(new BufferedInput(new ReadOnlyPipeStream(file, 1000)), CancellationToken.None);
        var shift = 32 - reader.Stream.BitsPerSample;
        var actual = new List<int>(expected.Length);
        while (await reader.NextFrameAsync(CancellationToken.None))
        {
            for (var i = 0; i < reader.Decoder.BlockSize; i++)
            {
                for (var channel = 0; channel < reader.Stream.Channels; channel++)
                {
                    actual.Add((int)(reader.Decoder.Channel(channel)[i] << shift));
                }
            }
        }

        Assert.Equal(expected.Length, actual.Count);
        Assert.True(expected.AsSpan().SequenceEqual(CollectionsMarshal.AsSpan(actual)), $"{name}: the samples differ from ffmpeg's");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task AudioDecoder_WithoutFfmpeg_GivesFfmpegsMonoMix(string name)
    {
        var expected = await EncodedAudio.ReferenceMonoAsync(name, ChannelsOf[name]);

        var (samples, rate) = await EncodedAudio.DecodeAsync(EncodedAudio.Bytes(name));

        // Mono: the same floats exactly. Stereo: the same up to float rounding of the mix (measured: see the output).
        Assert.Equal(expected.Length, samples.Length);
        var snr = SignalComparison.SnrDb(expected, samples);
        output.WriteLine($"{name}: {rate} Hz, {samples.Length} samples, SNR {snr:F1} dB against ffmpeg's mono mix");
        Assert.True(ChannelsOf[name] == 2 ? snr >= 120 : double.IsPositiveInfinity(snr), $"{name}: SNR {snr:F1} dB");
    }

    private static async Task<int[]> FfmpegInterleavedS32Async(string path)
    {
        using var process = ChildProcess.Start(
            FfmpegReference.Program, ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-f", "s32le", "-"]);
        var result = await ChildProcess.CompleteAsync(process);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return MemoryMarshal.Cast<byte, int>(result.Stdout).ToArray();
    }
}
