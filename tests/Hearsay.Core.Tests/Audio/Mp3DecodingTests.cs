using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.Core.Tests.Audio;

/// <summary>The in-process MP3 decoder (<c>Layer3Decoder</c> behind the frame parser) against ffmpeg's decode, and on malformed files.</summary>
public sealed class Mp3DecodingTests(ITestOutputHelper output)
{
    // File → (channels, the SNR floor in dB against ffmpeg's decode: a few dB under what was measured, in brackets).
    private static Dictionary<string, (int Channels, double MinSnrDb)> Expectations { get; } = new()
    {
        ["jfk-mp3-16k-mono-32kbps-id3.mp3"] = (1, 115), // [119.2] MPEG-2, ID3v2 tag
        ["lj-mp3-22k-mono-vbr-q4.mp3"] = (1, 116), // [120.2] MPEG-2 VBR
        ["arctic-mp3-8k-mono-16kbps.mp3"] = (1, 115), // [119.9] MPEG-2.5 at 8 kHz, short blocks
        ["cathy-mp3-48k-stereo-128kbps-noxing.mp3"] = (2, 118), // [122.5] MS stereo in every frame, no Xing header
        ["cathy-mp3-48k-stereo-vbr-q0.mp3"] = (2, 118), // [122.6] left/right frames, many short blocks
        ["wyoming-mp3-44k-stereo-320kbps.mp3"] = (2, 121), // [125.7] MPEG-1 44.1 kHz at 320 kbit/s, MS and left/right
        ["arctic-mp3-24k-stereo-48kbps.mp3"] = (2, 117), // [121.0] MPEG-2 stereo
        ["arctic-mp3-11k-stereo-24kbps.mp3"] = (2, 115), // [119.7] MPEG-2.5 stereo at 11.025 kHz
    };

    public static TheoryData<string> Files => [.. Expectations.Keys];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task AudioDecoder_WithoutFfmpeg_MatchesFfmpegsDecode(string name)
    {
        var (channels, minSnr) = Expectations[name];
        var expected = await EncodedAudio.ReferenceMonoAsync(name, channels);

        var (samples, rate) = await EncodedAudio.DecodeAsync(EncodedAudio.Bytes(name));

        output.WriteLine($"{name}: {rate} Hz, {samples.Length} samples (ffmpeg {expected.Length})");
        Assert.Equal(expected.Length, samples.Length);
        var snr = SignalComparison.SnrDb(expected, samples);
        output.WriteLine($"{name}: SNR {snr:F1} dB against ffmpeg's decode");
        Assert.True(snr >= minSnr, $"{name}: SNR {snr:F1} dB, below {minSnr} dB");
    }

    [Fact]
    public async Task MpegLayerII_WithoutFfmpeg_IsRefusedInPlainWords()
    {
        // FfmpegDecodingTests: with ffmpeg, ffmpeg decodes it.
        var error = await EncodedAudio.FailsAsync(EncodedAudio.Bytes("arctic-mp2-16k-mono-32kbps.mp2"), HearsayErrorCode.UnsupportedFormat);

        Assert.StartsWith("MPEG Layer I/II audio (MP1/MP2) is not decoded in-process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrailingId3v1Tag_EndsTheAudio()
    {
        var bytes = EncodedAudio.Bytes("jfk-mp3-16k-mono-32kbps-id3.mp3");
        byte[] tagged = [.. bytes, .. "TAG"u8, .. new byte[125]];

        var (plain, _) = await EncodedAudio.DecodeAsync(bytes);
        var (withTag, _) = await EncodedAudio.DecodeAsync(tagged);

        Assert.Equal(plain, withTag);
    }

    [Fact]
    public async Task OnlyId3Tags_IsInvalid()
    {
        var error = await EncodedAudio.FailsAsync([.. EncodedAudio.Id3Tag(100), .. new byte[100]]);

        Assert.Contains("ID3 tags but no audio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Id3SizePastTheEnd_IsInvalid()
    {
        var error = await EncodedAudio.FailsAsync([.. EncodedAudio.Id3Tag(1_000_000), .. new byte[100]]);

        Assert.Contains("past the end of the input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageAfterTheTag_IsInvalid()
    {
        var garbage = new byte[4000];
        new Random(15).NextBytes(garbage);
        garbage[0] = 0x12;

        var error = await EncodedAudio.FailsAsync([.. EncodedAudio.Id3Tag(10), .. new byte[10], .. garbage]);

        Assert.Contains("no MP3 frame at byte 20", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FreeFormat_IsUnsupported(bool withTag)
    {
        // MPEG-1 Layer III, 44.1 kHz, bit rate index 0 (free format), mono: two frames of 417 bytes.
        byte[] frame = [0xFF, 0xFB, 0x00, 0xC4, .. new byte[413]];
        byte[] file = [.. withTag ? EncodedAudio.Id3Tag(0) : [], .. frame, .. frame];

        var error = await EncodedAudio.FailsAsync(file, HearsayErrorCode.UnsupportedFormat);

        Assert.Contains("free-format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedFrame_IsInvalid()
    {
        var bytes = EncodedAudio.Bytes("lj-mp3-22k-mono-vbr-q4.mp3");

        var error = await EncodedAudio.FailsAsync(bytes[..20_000]);

        Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoiseWithAStraySyncWord_IsNotTakenForMp3()
    {
        var noise = new byte[8000];
        new Random(3).NextBytes(noise);
        noise[0] = 0xFF;
        noise[1] = 0xFB;
        noise[2] = 0x90; // a valid header: MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, so a frame of 417 bytes...
        noise[3] = 0x64;
        noise[417] = 0x00; // ...not followed by another header

        var error = await EncodedAudio.FailsAsync(noise, HearsayErrorCode.UnsupportedFormat);

        Assert.Contains("ffmpeg is turned off", error.Message, StringComparison.Ordinal);
    }
}
