using Hearsay.Testing;
using Xunit.Abstractions;

namespace Hearsay.Core.Tests.Audio;

/// <summary>The in-process MP3 decoder (NLayer behind Hearsay's frame parser) against ffmpeg's decode, and on malformed files.</summary>
public sealed class Mp3DecodingTests(ITestOutputHelper output)
{
    // File → (channels, the SNR floor in dB against ffmpeg's decode: a few dB under what was measured, in brackets).
    private static Dictionary<string, (int Channels, double MinSnrDb)> Expectations { get; } = new()
    {
        ["jfk-mp3-16k-mono-32kbps-id3.mp3"] = (1, 115), // [118.8]
        ["lj-mp3-22k-mono-vbr-q4.mp3"] = (1, 115), // [119.7]
        ["cathy-mp3-48k-stereo-128kbps-noxing.mp3"] = (2, 115), // [121.7]
        ["arctic-mp3-8k-mono-16kbps.mp3"] = (1, 0),
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
    public async Task Mpeg25At8kHz_WithoutFfmpeg_IsRefusedInPlainWords()
    {
        // NLayer 3.0.1 starts region 1 of an MPEG-2.5 8 kHz short block at line 36 instead of 72 (ffmpeg and mpg123 use
        // 72): this file decodes at 4.1 dB against ffmpeg's decode, 119.5 dB with that one line changed in NLayer.
        // Garbled audio would be transcribed as if it were fine, so without ffmpeg it is refused (FfmpegDecodingTests:
        // with ffmpeg, ffmpeg decodes it).
        var error = await EncodedAudio.FailsAsync(EncodedAudio.Bytes("arctic-mp3-8k-mono-16kbps.mp3"), HearsayErrorCode.UnsupportedFormat);

        Assert.StartsWith("MP3 at 8 kHz (MPEG-2.5 Layer III) is not decoded in-process yet", error.Message, StringComparison.Ordinal);
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
