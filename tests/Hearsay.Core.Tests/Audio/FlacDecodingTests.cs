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
        ["arctic-flac-16k-stereo-16bit-midside.flac"] = 2,
        ["arctic-flac-16k-stereo-24bit-leftside.flac"] = 2, // 16-bit samples in 24 bits: wasted bits
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

    [Fact]
    public async Task Id3TagBeforeTheStream_IsSkipped()
    {
        var flac = EncodedAudio.Bytes("lj-flac-22k-mono-16bit-block576.flac");

        var (plain, _) = await EncodedAudio.DecodeAsync(flac);
        var (tagged, _) = await EncodedAudio.DecodeAsync([.. EncodedAudio.Id3Tag(300), .. new byte[300], .. flac]);

        Assert.Equal(plain, tagged);
    }

    [Fact]
    public async Task CraftedFrame_Constant_Decodes()
    {
        var flac = FlacBytes.Stream();
        var frame = flac.Length;
        flac.FrameHeader(16).Bits(0, 8).Bits(0x4000, 16).FrameFooter(frame); // CONSTANT 16384

        var (samples, rate) = await EncodedAudio.DecodeAsync(flac.ToArray());

        Assert.Equal(16000, rate);
        Assert.Equal(Enumerable.Repeat(0.5f, 16), samples);
    }

    [Fact]
    public async Task WrongHeaderCrc8_IsInvalid()
    {
        var flac = FlacBytes.Stream();
        var frame = flac.Length;
        var bytes = flac.FrameHeader(16).Bits(0, 8).Bits(0x4000, 16).FrameFooter(frame).ToArray();
        bytes[frame + 7] ^= 1; // the CRC-8 itself

        var error = await EncodedAudio.FailsAsync(bytes);

        Assert.Contains("CRC-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongFrameCrc16_IsInvalid()
    {
        var bytes = EncodedAudio.Bytes("jfk-flac-16k-mono-16bit-level8.flac");
        bytes[^1] ^= 0x10; // the last frame's CRC-16

        var error = await EncodedAudio.FailsAsync(bytes);

        Assert.Contains("CRC-16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedFrame_IsInvalid()
    {
        var bytes = EncodedAudio.Bytes("lj-flac-22k-mono-16bit-block576.flac");

        var error = await EncodedAudio.FailsAsync(bytes[..(bytes.Length / 2)]);

        Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8 + 2, "block sizes")] // the largest block size: 0
    [InlineData(8 + 10, "sample rate, 0 Hz, is outside")] // the sample rate's first bits (all 20 become 0 with the next two bytes)
    public async Task AbsurdStreamInfo_IsInvalid(int offset, string expected)
    {
        var bytes = EncodedAudio.Bytes("jfk-flac-16k-mono-16bit-level8.flac");
        bytes[offset] = 0;
        bytes[offset + 1] = 0;
        if (offset == 8 + 10)
        {
            bytes[offset + 2] &= 0x0F;
        }

        var error = await EncodedAudio.FailsAsync(bytes);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrameLargerThan65535Samples_IsInvalid()
    {
        var flac = FlacBytes.Stream(maxBlockSize: 65535);
        var frame = flac.Length;
        flac.FrameHeader(65536).Bits(0, 8).Bits(0, 16).FrameFooter(frame);

        var error = await EncodedAudio.FailsAsync(flac.ToArray());

        Assert.Contains("65536 samples exceeds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)] // 16 samples in 16 partitions of 1, fewer than the 2 warm-up samples
    [InlineData(5)] // 32 partitions of 16 samples
    public async Task ResidualPartitionOrderTooLarge_IsInvalid(uint partitionOrder)
    {
        var flac = FlacBytes.Stream();
        var frame = flac.Length;
        flac.FrameHeader(16).Bits(10 << 1, 8).Bits(0, 16).Bits(0, 16).Bits(0, 2).Bits(partitionOrder, 4).Bits(0, 64).FrameFooter(frame);

        var error = await EncodedAudio.FailsAsync(flac.ToArray());

        Assert.Contains("partition order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LpcOrderAboveBlockSize_IsInvalid()
    {
        var flac = FlacBytes.Stream();
        var frame = flac.Length;
        flac.FrameHeader(16).Bits(63 << 1, 8).Bits(0, 64).FrameFooter(frame); // LPC of order 32 over 16 samples

        var error = await EncodedAudio.FailsAsync(flac.ToArray());

        Assert.Contains("predictor order 32 exceeds its block size 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetadataBlockPastTheEnd_IsInvalid()
    {
        var bytes = FlacBytes.Stream().ToArray();
        bytes[4] &= 0x7F; // STREAMINFO is no longer the last block: a padding block of 1 MiB follows, of which 10 bytes exist
        bytes = [.. bytes, 0x81, 0x10, 0x00, 0x00, .. new byte[10]];

        var error = await EncodedAudio.FailsAsync(bytes);

        Assert.Contains("past the end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoStreamInfoFirst_IsInvalid()
    {
        var error = await EncodedAudio.FailsAsync([.. "fLaC"u8, 0x81, 0, 0, 0]);

        Assert.Contains("STREAMINFO", error.Message, StringComparison.Ordinal);
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
