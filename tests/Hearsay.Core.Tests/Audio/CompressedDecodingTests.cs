using Hearsay.Core.Audio.Input;
using Hearsay.Core.Audio.Input.Opus;
using Hearsay.Core.Audio.Input.Vorbis;
using Hearsay.Core.Audio.Ogg;
using Hearsay.Testing;
using static Hearsay.Core.Tests.Audio.MatroskaBytes;

namespace Hearsay.Core.Tests.Audio;

/// <summary>
/// The in-process Ogg and WebM/Matroska paths of <see cref="AudioDecoder"/> (ffmpeg off) on hostile and unusual input
/// built around real Opus and Vorbis packets: each ends in a typed error in plain words, or decodes as it should.
/// </summary>
public sealed class CompressedDecodingTests
{
    private const byte First = 0x02;
    private const byte Last = 0x04;
    private const int EncoderPreSkip = 312;

    private static readonly AudioInputOptions Native = new() { TargetSampleRate = null, UseFfmpeg = false };

    private static string Encoded(string file) => TestPaths.RepoAsset("audio", "encoded", file);

    [Fact]
    public async Task OpenAsync_OggCutInsideAPage_InvalidInputSayingItIsCutShort()
    {
        var file = await File.ReadAllBytesAsync(Encoded("jfk-opus-16k-mono-32kbps.opus"));

        var error = await FailsAsync(file[..^100]);

        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_OggPageWithAWrongChecksum_InvalidInputSayingItIsCorrupt()
    {
        var file = await File.ReadAllBytesAsync(Encoded("jfk-opus-16k-mono-32kbps.opus"));
        file[file.Length / 2] ^= 0x10;

        var error = await FailsAsync(file);

        Assert.Contains("checksum is wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_OggPacketOverOneMebibyteAcrossPages_InvalidInputBeforeHoldingIt()
    {
        var (head, _) = await RealOpusAsync();
        var ogg = new OggBytes().Page(First, 0, [head]).Page(0, 0, [Tags()]);
        var full = new byte[255 * 255];
        for (var i = 0; i < 17; i++)
        {
            // 255 lacing values of 255: the packet goes on to the next page.
            ogg.Page((byte)(i == 0 ? 0 : 1), -1, [full], lacing: [.. Enumerable.Repeat((byte)255, 255)]);
        }

        var error = await FailsAsync(ogg.ToArray());

        Assert.Contains("larger than 1048576 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_OpusHeadWithNoChannels_InvalidInput()
    {
        var (head, packets) = await RealOpusAsync();
        head[9] = 0;

        var error = await FailsAsync(OggOpus(head, packets, 48000));

        Assert.Contains("0 channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_OpusHeadWithTheLargestPreSkip_DropsThatManySamples()
    {
        var (head, packets) = await RealOpusAsync();
        var end = packets.Count * 960L;
        var (normal, _) = await DecodeAsync(OggOpus(head, packets, end));
        head[10] = 0xFF;
        head[11] = 0xFF;

        var (skipped, rate) = await DecodeAsync(OggOpus(head, packets, end));

        Assert.Equal(48000, rate);
        Assert.Equal(end - EncoderPreSkip, normal.Length);
        Assert.Equal(end - 65535, skipped.Length);
        Assert.Equal(normal[(65535 - EncoderPreSkip)..], skipped);
    }

    [Theory]
    [InlineData(new byte[] { 0x03, 0x00 })] // code 3: zero frames
    [InlineData(new byte[] { 0x03, 0x3F })] // code 3: 63 frames of 20 ms, over the 120 ms limit
    [InlineData(new byte[] { 0x01, 0x10 })] // code 1: two equal frames of an odd total size
    public async Task OpenAsync_OpusPacketWithAnIllegalToc_InvalidInput(byte[] packet)
    {
        var (head, packets) = await RealOpusAsync();

        var error = await FailsAsync(OggOpus(head, [.. packets.Take(5), packet], 6 * 960));

        Assert.Contains("cannot be decoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_OggFlacOnly_UnsupportedNamingWhatItHolds()
    {
        var file = new OggBytes().Page(First | Last, 0, [[0x7F, .. "FLAC"u8, 1, 0, 0, 1]]).ToArray();

        var error = await FailsAsync(file, HearsayErrorCode.UnsupportedFormat);

        Assert.Contains("holds no Opus or Vorbis audio (Ogg with FLAC)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ffmpeg is turned off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_OggVorbisWithoutItsSetupHeader_InvalidInput()
    {
        var identification = (await OggPacketsAsync("lj-vorbis-22k-mono-q2.ogg", VorbisIdHeader.Matches, 1))[0];
        var file = new OggBytes().Page(First, 0, [identification]).Page(Last, 0, [[0x03, .. "vorbis"u8], [0x00, 0x01, 0x02]]).ToArray();

        var error = await FailsAsync(file);

        Assert.Contains("lacks its comment or setup header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WebmLikeMediaRecorder_DecodesEveryLacedFrame()
    {
        var (head, packets) = await RealOpusAsync();

        // Unknown-size Segment and Clusters, no Duration, no Cues; blocks of one frame and Xiph-laced blocks of three.
        var (samples, rate) = await DecodeAsync(WebmOpus(head, packets, lacing: 3));

        Assert.Equal(48000, rate);
        Assert.Equal((packets.Count * 960) - EncoderPreSkip, samples.Length);
    }

    [Fact]
    public async Task OpenAsync_WebmWithAnAbsurdDuration_IgnoresIt()
    {
        var (head, packets) = await RealOpusAsync();
        byte[] info = Element(0x1549A966, Element(0x4489, [0x7F, 0xEF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        var (samples, _) = await DecodeAsync(Webm([info, Tracks("A_OPUS", head), Cluster([.. packets.Select(p => SimpleBlock(p))])]));

        Assert.Equal((packets.Count * 960) - EncoderPreSkip, samples.Length);
    }

    [Fact]
    public async Task OpenAsync_WebmCutInsideABlock_InvalidInputSayingItIsCutShort()
    {
        var (head, packets) = await RealOpusAsync();

        var error = await FailsAsync(WebmOpus(head, packets, lacing: 1)[..^5]);

        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x1654AE6BU)] // Tracks, which is read into memory
    [InlineData(0xECU)] // Void, which is skipped by reading
    public async Task OpenAsync_WebmElementOfAbsurdSize_InvalidInputWithoutReadingIt(uint id)
    {
        var error = await FailsAsync(Webm([Element(id, (1L << 56) - 2, [0, 0, 0, 0])]));

        Assert.Matches("where at most 1048576 bytes are read|cut short", error.Message);
    }

    [Fact]
    public async Task OpenAsync_WebmTracksOfUnknownSize_InvalidInput()
    {
        var error = await FailsAsync(Webm([Element(0x1654AE6B, Unknown, [])]));

        Assert.Contains("declares an unknown size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WebmBlockClaiming256LacedFramesLargerThanIt_InvalidInput()
    {
        var (head, _) = await RealOpusAsync();
        byte[] block = Element(0xA3, [0x81, 0, 0, 0x82, 255, .. Enumerable.Repeat((byte)255, 300), 0]);

        var error = await FailsAsync(Webm([Tracks("A_OPUS", head), Cluster(block)]));

        Assert.Matches("Xiph-laced size runs past the end|lacing declares frames larger than the block", error.Message);
    }

    [Fact]
    public async Task OpenAsync_WebmWithOnlyAac_UnsupportedNamingTheCodec()
    {
        var error = await FailsAsync(Webm([Tracks("A_AAC", [0x12, 0x10])]), HearsayErrorCode.UnsupportedFormat);

        Assert.Contains("holds no Opus or Vorbis audio that Hearsay reads (A_AAC)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WebmVorbisWithOneHeaderInCodecPrivate_InvalidInput()
    {
        var error = await FailsAsync(Webm([Tracks("A_VORBIS", [1, 30, .. new byte[40]])]));

        Assert.Contains("does not hold three headers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_VorbisOnWhichNVorbisDividesByZero_InvalidInput()
    {
        var file = await File.ReadAllBytesAsync(TestPaths.RepoAsset("audio", "fuzz", "vorbis-webm-divide-by-zero.webm"));

        var error = await FailsAsync(file);

        Assert.StartsWith("The Vorbis audio is malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_VorbisOnWhichNVorbisDecodesNaN_GivesOnlySamplesInRange()
    {
        var file = await File.ReadAllBytesAsync(TestPaths.RepoAsset("audio", "fuzz", "vorbis-webm-nan.webm"));

        var (samples, _) = await DecodeAsync(file);

        Assert.NotEmpty(samples);
        Assert.All(samples, sample => Assert.InRange(sample, -1f, 1f));
    }

    [Fact]
    public async Task OpenAsync_VorbisSetupDeclaringHugeCodebooksInAFewBits_InvalidInputBeforeBuildingThem()
    {
        var file = await File.ReadAllBytesAsync(TestPaths.RepoAsset("audio", "fuzz", "vorbis-codebook-bomb.ogg"));

        var error = await FailsAsync(file);

        Assert.Contains("more than 262144 entries", error.Message, StringComparison.Ordinal);
    }

    private static byte[] OggOpus(byte[] head, List<byte[]> packets, long endGranule)
    {
        var ogg = new OggBytes().Page(First, 0, [head]).Page(0, 0, [Tags()]);
        for (var start = 0; start < packets.Count; start += 50)
        {
            var page = packets.Skip(start).Take(50).ToArray();
            var last = start + 50 >= packets.Count;
            ogg.Page(last ? Last : (byte)0, last ? endGranule : (start + page.Length) * 960L, page);
        }

        return ogg.ToArray();
    }

    private static byte[] WebmOpus(byte[] head, List<byte[]> packets, int lacing)
    {
        var blocks = packets.Chunk(lacing).Select(frames => SimpleBlock(frames)).ToArray();
        return Webm([Tracks("A_OPUS", head), .. blocks.Chunk(25).Select(Cluster)]);
    }

    private static byte[] Tags() => [.. "OpusTags"u8, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The OpusHead and the audio packets of a real libopus encode.</summary>
    private static async Task<(byte[] Head, List<byte[]> Packets)> RealOpusAsync()
    {
        var packets = await OggPacketsAsync("jfk-opus-16k-mono-32kbps.opus", OpusHead.Matches, int.MaxValue);
        return (packets[0], packets[2..]);
    }

    private static async Task<List<byte[]>> OggPacketsAsync(string file, Func<ReadOnlySpan<byte>, bool> accept, int count)
    {
        await using var stream = File.OpenRead(Encoded(file));
        var (reader, _) = await OggPacketReader.OpenAsync(new BufferedInput(stream), accept, OggAudio.NameStream, default);
        var packets = new List<byte[]>();
        while (packets.Count < count && await reader!.ReadAsync(default) is { } packet)
        {
            packets.Add(packet.Data.ToArray());
        }

        return packets;
    }

    private static async Task<(float[] Samples, int SampleRate)> DecodeAsync(byte[] file)
    {
        await using var reader = await AudioDecoder.OpenAsync(new ReadOnlyPipeStream(file, 4096), Native);
        return (await reader.ReadAllAsync(10_000_000), reader.SampleRate);
    }

    private static async Task<HearsayException> FailsAsync(byte[] file, HearsayErrorCode code = HearsayErrorCode.InvalidInput)
    {
        var error = await Assert.ThrowsAnyAsync<HearsayException>(() => DecodeAsync(file));
        Assert.Equal(code, error.Code);
        return error;
    }
}
