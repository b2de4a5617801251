using System.Buffers.Binary;
using Hearsay.Core.Audio.Input;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Audio;

/// <summary>The native WAV path of <see cref="AudioDecoder"/>: formats, layouts, and hostile headers.</summary>
public sealed class WavDecodingTests
{
    private static readonly AudioInputOptions Native = new() { TargetSampleRate = null, UseFfmpeg = false };

    private static byte[] Mono16(params short[] samples) =>
        new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(samples)).ToArray();

    internal static async Task<(float[] Samples, int SampleRate, long? Total)> DecodeAsync(byte[] file, bool seekable = false, int maxRead = 4096)
    {
        Stream stream = seekable ? new MemoryStream(file) : new ReadOnlyPipeStream(file, maxRead);
        await using var reader = await AudioDecoder.OpenAsync(stream, Native);
        var samples = await reader.ReadAllAsync(1_000_000);
        return (samples, reader.SampleRate, reader.TotalSamples);
    }

    private static async Task<HearsayException> FailsAsync(byte[] file, HearsayErrorCode code = HearsayErrorCode.InvalidInput)
    {
        var error = await Assert.ThrowsAnyAsync<HearsayException>(() => DecodeAsync(file));
        Assert.Equal(code, error.Code);
        return error;
    }

    [Fact]
    public async Task OpenAsync_Pcm16Mono_DecodesExactly()
    {
        var (samples, rate, total) = await DecodeAsync(Mono16(0, 16384, -16384, short.MaxValue, short.MinValue));

        Assert.Equal(new float[] { 0f, 0.5f, -0.5f, 32767 / 32768f, -1f }, samples);
        Assert.Equal(16000, rate);
        Assert.Equal(5, total);
    }

    [Fact]
    public async Task OpenAsync_OneByteReads_DecodesTheSame()
    {
        var file = new WavBytes().Chunk("LIST", new byte[37]).Chunk("fmt ", WavBytes.Fmt(1, 2, 8000, 16))
            .Chunk("data", WavBytes.Pcm16(100, 300, -5, -7, 1, 1)).ToArray();

        var (samples, _, _) = await DecodeAsync(file, maxRead: 1);

        Assert.Equal(new float[] { 200 / 32768f, -6 / 32768f, 1 / 32768f }, samples);
    }

    [Fact]
    public async Task OpenAsync_Unsigned8Bit_CentresOn128()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 8000, 8)).Chunk("data", [128, 255, 0, 192]).ToArray();

        var (samples, _, total) = await DecodeAsync(file);

        Assert.Equal(new float[] { 0f, 127 / 128f, -1f, 0.5f }, samples);
        Assert.Equal(4, total);
    }

    [Fact]
    public async Task OpenAsync_Pcm24_DecodesSignedLittleEndian()
    {
        byte[] data = [0x00, 0x00, 0x40, 0x00, 0x00, 0xC0, 0xFF, 0xFF, 0x7F, 0x01, 0x00, 0x80];
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 48000, 24)).Chunk("data", data).ToArray();

        var (samples, _, _) = await DecodeAsync(file);

        Assert.Equal(new float[] { 0.5f, -0.5f, 8388607 / 8388608f, (-8388607) / 8388608f }, samples);
    }

    [Fact]
    public async Task OpenAsync_Pcm32_DecodesSigned()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(data, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), 1 << 29);
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 44100, 32)).Chunk("data", data).ToArray();

        Assert.Equal(new float[] { -1f, 0.25f }, (await DecodeAsync(file)).Samples);
    }

    [Fact]
    public async Task OpenAsync_Float32_ClampsAndZeroesNaN()
    {
        var data = new byte[20];
        float[] values = [0.25f, -0.75f, 1.5f, -3f, float.NaN];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        }

        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(3, 1, 16000, 32)).Chunk("fact", new byte[4]).Chunk("data", data).ToArray();

        Assert.Equal(new float[] { 0.25f, -0.75f, 1f, -1f, 0f }, (await DecodeAsync(file)).Samples);
    }

    [Fact]
    public async Task OpenAsync_Float64_Decodes()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 0.125);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), -0.5);
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(3, 1, 16000, 64)).Chunk("data", data).ToArray();

        Assert.Equal(new float[] { 0.125f, -0.5f }, (await DecodeAsync(file)).Samples);
    }

    [Fact]
    public async Task OpenAsync_ALawAndMuLaw_ExpandLikeG711()
    {
        // A-law 0xD5 and µ-law 0xFF are the smallest positive steps; 0x2A and 0x00 are full-scale negative.
        var alaw = new WavBytes().Chunk("fmt ", WavBytes.Fmt(6, 1, 8000, 8)).Chunk("data", [0xD5, 0x2A]).ToArray();
        var mulaw = new WavBytes().Chunk("fmt ", WavBytes.Fmt(7, 1, 8000, 8)).Chunk("data", [0xFF, 0x00, 0x80]).ToArray();

        Assert.Equal(new float[] { 8 / 32768f, -32256 / 32768f }, (await DecodeAsync(alaw)).Samples);
        Assert.Equal(new float[] { 0f, -32124 / 32768f, 32124 / 32768f }, (await DecodeAsync(mulaw)).Samples);
    }

    [Fact]
    public async Task OpenAsync_Extensible24In32_UsesContainerSize()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(data, 0x40000000);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), unchecked((int)0xC0000000));
        var file = new WavBytes().Chunk("fmt ", WavBytes.Extensible(1, 96000, 32, 24, subformat: 1)).Chunk("data", data).ToArray();

        var (samples, rate, _) = await DecodeAsync(file);

        Assert.Equal(new float[] { 0.5f, -0.5f }, samples);
        Assert.Equal(96000, rate);
    }

    [Fact]
    public async Task OpenAsync_ExtensibleFloatStereo_Downmixes()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteSingleLittleEndian(data, 0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), 0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), -1f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(12), 1f);
        var file = new WavBytes().Chunk("fmt ", WavBytes.Extensible(2, 16000, 32, 32, subformat: 3)).Chunk("data", data).ToArray();

        var (samples, _, _) = await DecodeAsync(file);

        Assert.Equal([0.375f, 0f], samples);
    }

    [Fact]
    public async Task OpenAsync_SixChannels_AveragesEveryChannel()
    {
        var frames = Enumerable.Range(0, 600).Select(i => (short)((i % 6) * 1000)).ToArray();
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 6, 48000, 16)).Chunk("data", WavBytes.Pcm16(frames)).ToArray();

        var (samples, _, total) = await DecodeAsync(file);

        Assert.Equal(100, samples.Length);
        Assert.Equal(100, total);
        Assert.All(samples, s => Assert.Equal(2500 / 32768f, s, 6));
    }

    [Fact]
    public async Task OpenAsync_ChunksAroundFmtWithOddSizes_SkipsThemWithPadBytes()
    {
        var file = new WavBytes()
            .Chunk("JUNK", new byte[3])
            .Chunk("LIST", "INFOISFT\u0005\0\0\0test\0"u8.ToArray())
            .Chunk("fmt ", WavBytes.Fmt(1, 1, 22050, 16))
            .Chunk("fact", new byte[5])
            .Chunk("bext", new byte[101])
            .Chunk("data", WavBytes.Pcm16(7, -7))
            .Chunk("LIST", new byte[9])
            .ToArray();

        var (samples, rate, total) = await DecodeAsync(file);

        Assert.Equal(new float[] { 7 / 32768f, -7 / 32768f }, samples);
        Assert.Equal(22050, rate);
        Assert.Equal(2, total);
    }

    [Fact]
    public async Task OpenAsync_FmtWithExtensionBytes_IsAccepted()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16, extension: new byte[3])).Chunk("data", WavBytes.Pcm16(1)).ToArray();

        Assert.Single((await DecodeAsync(file)).Samples);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(uint.MaxValue)]
    public async Task OpenAsync_StreamingDataSize_ReadsToTheEnd(uint declared)
    {
        var file = new WavBytes().RiffSize(declared).Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16))
            .Chunk("data", WavBytes.Pcm16(1, 2, 3), declaredSize: declared).ToArray();

        var (samples, _, total) = await DecodeAsync(file);

        Assert.Equal(3, samples.Length);
        Assert.Null(total);
    }

    [Fact]
    public async Task OpenAsync_StreamingDataSizeOnSeekableStream_KnowsTheLength()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 2, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2, 3, 4), declaredSize: uint.MaxValue).ToArray();

        var (samples, _, total) = await DecodeAsync(file, seekable: true);

        Assert.Equal(2, samples.Length);
        Assert.Equal(2, total);
    }

    [Fact]
    public async Task OpenAsync_DataSizeLargerThanFile_ReadsWhatIsThere()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2, 3), declaredSize: 1_000_000).ToArray();

        Assert.Equal(3, (await DecodeAsync(file)).Samples.Length);
        Assert.Equal(3, (await DecodeAsync(file, seekable: true)).Total);
    }

    [Fact]
    public async Task OpenAsync_TruncatedFinalFrame_IsDropped()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 2, 16000, 24)).Chunk("data", new byte[6 * 3 + 4], declaredSize: uint.MaxValue, pad: false).ToArray();

        Assert.Equal(3, (await DecodeAsync(file)).Samples.Length);
    }

    [Fact]
    public async Task OpenAsync_Rf64WithDs64_UsesTheDs64DataSize()
    {
        var ds64 = new byte[28];
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(8), 4);
        var file = new WavBytes().Rf64().RiffSize(uint.MaxValue).Chunk("ds64", ds64).Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16))
            .Chunk("data", WavBytes.Pcm16(5, 6, 7), declaredSize: uint.MaxValue).ToArray();

        var (samples, _, total) = await DecodeAsync(file);

        Assert.Equal(new float[] { 5 / 32768f, 6 / 32768f }, samples);
        Assert.Equal(2, total);
    }

    [Theory]
    [InlineData(0, 16000, 16, null, "0 channels")]
    [InlineData(65535, 16000, 16, null, "65535 channels")]
    [InlineData(1, 0, 16, null, "sample rate is 0 Hz")]
    [InlineData(1, 4_000_000, 16, null, "sample rate is 4000000 Hz")]
    [InlineData(2, 16000, 16, 2, "block align is 2 bytes")]
    [InlineData(1, 16000, 12, 4, "block align is 4 bytes")]
    [InlineData(1, 16000, 0, null, "0-bit samples")]
    [InlineData(1, 16000, 40, null, "40-bit samples")]
    public async Task OpenAsync_HostileFmt_FailsWithInvalidInput(int channels, int rate, int bits, int? blockAlign, string problem)
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, channels, rate, bits, blockAlign)).Chunk("data", new byte[64]).ToArray();

        var error = await FailsAsync(file);

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("The audio is not a valid WAV file: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_HugeFmtChunk_FailsWithoutBufferingIt()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16), declaredSize: 0xFFFFFFF0).ToArray();

        Assert.Contains("fmt ' chunk claims 4294967280 bytes", (await FailsAsync(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ShortFmtChunk_Fails()
    {
        var file = new WavBytes().Chunk("fmt ", new byte[10]).Chunk("data", new byte[4]).ToArray();

        Assert.Contains("fmt chunk has 10 bytes", (await FailsAsync(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NoFmt_Fails()
    {
        var file = new WavBytes().Chunk("LIST", new byte[4]).ToArray();

        Assert.Contains("no fmt chunk", (await FailsAsync(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NoData_Fails()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("LIST", new byte[4]).ToArray();

        Assert.Contains("no data chunk", (await FailsAsync(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FmtAfterData_Fails()
    {
        var file = new WavBytes().Chunk("data", new byte[4]).Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).ToArray();

        Assert.Contains("data chunk comes before the fmt chunk", (await FailsAsync(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_TwoFmtChunks_Fails()
    {
        var fmt = WavBytes.Fmt(1, 1, 16000, 16);
        var file = new WavBytes().Chunk("fmt ", fmt).Chunk("fmt ", fmt).Chunk("data", new byte[4]).ToArray();

        Assert.Contains("two fmt chunks", (await FailsAsync(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_HugeUnknownChunk_FailsWithoutReadingIt()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("junk", new byte[100], declaredSize: 0xFFFFFFF0).ToArray();

        var error = await FailsAsync(file);

        Assert.Contains("'junk' chunk at byte 36 claims 4294967280 bytes, past the first 8 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UnknownChunkLongerThanTheFile_IsSkippedByReadingThenFails()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("junk", new byte[100], declaredSize: 5000).ToArray();

        Assert.Contains("no data chunk", (await FailsAsync(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_LargeChunkBeforeData_IsSkippedWithoutBufferingIt()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("JUNK", new byte[3 * 1024 * 1024])
            .Chunk("data", WavBytes.Pcm16(9)).ToArray();

        Assert.Single((await DecodeAsync(file)).Samples);
    }

    [Fact]
    public async Task OpenAsync_HeaderRegionPastCap_Fails()
    {
        var builder = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16));
        var filler = new byte[1024 * 1024];
        for (var i = 0; i < 9; i++)
        {
            builder.Chunk("JUNK", filler);
        }

        var error = await FailsAsync(builder.Chunk("data", new byte[4]).ToArray());

        Assert.Contains("past the first 8 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_TruncatedHeader_Fails()
    {
        var file = Mono16(1, 2, 3);

        foreach (var length in new[] { 12, 20, 30, 43 })
        {
            await FailsAsync(file[..length]);
        }
    }

    [Fact]
    public async Task OpenAsync_AdpcmWithoutFfmpeg_IsUnsupportedAndSaysWhatIsAccepted()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(2, 1, 16000, 4, blockAlign: 256, extension: new byte[32])).Chunk("data", new byte[256]).ToArray();

        var error = await FailsAsync(file, HearsayErrorCode.UnsupportedFormat);

        Assert.Contains("WAV format tag 0x0002 is not decoded natively", error.Message, StringComparison.Ordinal);
        Assert.Contains("HEARSAY_FFMPEG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UnknownExtensibleSubformat_IsUnsupported()
    {
        var fmt = WavBytes.Extensible(1, 16000, 16, 16, subformat: 1);
        fmt[30] ^= 0xFF;
        var file = new WavBytes().Chunk("fmt ", fmt).Chunk("data", new byte[4]).ToArray();

        await FailsAsync(file, HearsayErrorCode.UnsupportedFormat);
    }

    [Fact]
    public async Task OpenAsync_EmptyInput_IsInvalid()
    {
        var error = await FailsAsync([]);

        Assert.Equal("The audio input is empty.", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x4D, 0x34, 0x41, 0x20 }, "MP4/M4A")]
    [InlineData(new byte[] { 1, 2, 3 }, "0x010203")]
    public async Task OpenAsync_OtherFormatWithFfmpegOff_IsUnsupportedAndListsWhatIsAccepted(byte[] prefix, string named)
    {
        var error = await FailsAsync(prefix, HearsayErrorCode.UnsupportedFormat);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("ffmpeg is turned off", error.Message, StringComparison.Ordinal);
        Assert.Contains("WAV (8/16/24/32-bit PCM, 32/64-bit float", error.Message, StringComparison.Ordinal);
        Assert.Contains("raw s16le PCM", error.Message, StringComparison.Ordinal);
        Assert.Contains("FLAC, MP3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Opus or Vorbis (mono or stereo) in Ogg or WebM/Matroska", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_RawPcmStereo_DownmixesAndKnowsLengthWhenSeekable()
    {
        var options = Native with { RawPcmSampleRate = 8000, RawPcmChannels = 2 };
        await using var reader = await AudioDecoder.OpenAsync(new MemoryStream(WavBytes.Pcm16(100, 200, -4, 0, 9)), options);

        Assert.Equal(8000, reader.SampleRate);
        Assert.Equal(2, reader.TotalSamples);
        Assert.Equal(new float[] { 150 / 32768f, -2 / 32768f }, await reader.ReadAllAsync(10));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(16000, 0)]
    [InlineData(16000, 65)]
    [InlineData(5_000_000, 1)]
    public async Task OpenAsync_RawPcmParametersOutOfRange_AreInvalidInput(int rate, int channels)
    {
        var options = Native with { RawPcmSampleRate = rate, RawPcmChannels = channels };

        var error = await Assert.ThrowsAsync<HearsayException>(async () => await AudioDecoder.OpenAsync(new MemoryStream(new byte[4]), options));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task ReadAllAsync_KnownLengthOverCap_FailsBeforeReading()
    {
        await using var reader = await AudioDecoder.OpenAsync(new MemoryStream(Mono16(1, 2, 3, 4)), Native);

        var error = await Assert.ThrowsAsync<HearsayException>(async () => await reader.ReadAllAsync(3));

        Assert.Equal(HearsayErrorCode.InvalidInput, error.Code);
        Assert.Contains("longer than the limit of 3 samples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAllAsync_StreamingLengthOverCap_Fails()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2, 3, 4), declaredSize: 0).ToArray();
        await using var reader = await AudioDecoder.OpenAsync(new ReadOnlyPipeStream(file), Native);

        await Assert.ThrowsAsync<HearsayException>(async () => await reader.ReadAllAsync(3));
    }

    [Fact]
    public async Task ReadAllAsync_ExactlyAtCap_Succeeds()
    {
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(1, 2, 3, 4), declaredSize: 0).ToArray();
        await using var reader = await AudioDecoder.OpenAsync(new ReadOnlyPipeStream(file), Native);

        Assert.Equal(4, (await reader.ReadAllAsync(4)).Length);
    }

    [Fact]
    public async Task ReadAllAsync_StreamingPastTheFirstBuffer_KeepsEverySampleInOrder()
    {
        var values = Enumerable.Range(0, 40_000).Select(i => (short)((i % 2001) - 1000)).ToArray();
        var file = new WavBytes().Chunk("fmt ", WavBytes.Fmt(1, 1, 16000, 16)).Chunk("data", WavBytes.Pcm16(values), declaredSize: 0).ToArray();
        await using var reader = await AudioDecoder.OpenAsync(new ReadOnlyPipeStream(file), Native);

        var samples = await reader.ReadAllAsync(100_000);

        Assert.Equal(values.Select(v => v / 32768f), samples);
    }

    [Fact]
    public async Task OpenAsync_WithLoggerFactory_LogsSkippedChunksHeaderAndResampling()
    {
        using var logs = new CapturingLoggerFactory();
        var file = new WavBytes().Chunk("LIST", new byte[4]).Chunk("fmt ", WavBytes.Fmt(1, 2, 44100, 16)).Chunk("data", WavBytes.Pcm16(1, 2)).ToArray();

        await using var reader = await AudioDecoder.OpenAsync(new MemoryStream(file), new AudioInputOptions { UseFfmpeg = false, LoggerFactory = logs });

        Assert.Contains(logs.Events, e => e.EventId == 1401 && e.Message == "WAV chunk 'LIST' (4 bytes at byte 12) skipped");
        Assert.Contains(logs.Events, e => e.EventId == 1400 && e.Message.StartsWith("WAV: 16-bit PCM, 2 channel(s), 44100 Hz, 4 data bytes", StringComparison.Ordinal));
        Assert.Contains(logs.Events, e => e.EventId == 1403 && e.Message.StartsWith("Resampling 44100 Hz to 16000 Hz: 160 phase(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_MatchingTargetRate_PassesSamplesThrough()
    {
        await using var reader = await AudioDecoder.OpenAsync(new MemoryStream(Mono16(1, -2, 3)), Native with { TargetSampleRate = 16000 });

        Assert.Equal(new float[] { 1 / 32768f, -2 / 32768f, 3 / 32768f }, await reader.ReadAllAsync(10));
    }
}
