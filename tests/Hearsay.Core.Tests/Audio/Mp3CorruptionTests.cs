using Hearsay.Core.Audio.Input.Mp3;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Audio;

/// <summary>
/// Real MP3 frames with corrupt side info and Huffman data: the decoder refuses them as invalid input in plain words or
/// decodes them to something, in [-1, 1], never throwing another exception, hanging, or reading outside its buffers.
/// </summary>
public sealed class Mp3CorruptionTests
{
    // MPEG-1 stereo, no CRC, so the side info starts right after the 4-byte header: main_data_begin (9 bits), private
    // bits (3), scfsi (2 × 4), then the first granule of the left channel.
    private const string Stereo = "cathy-mp3-48k-stereo-128kbps-noxing.mp3";
    private const int FirstGranuleBit = (4 * 8) + 9 + 3 + 8;

    // Each granule of each channel takes 59 bits of MPEG-1 side info.
    private const int GranuleBits = 59;

    public static TheoryData<string, int> FilesAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(EncodedAudio.PathOf(Stereo))!, "*.mp3").Order())
        {
            for (var seed = 1; seed <= 4; seed++)
            {
                data.Add(Path.GetFileName(file), seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FilesAndSeeds))]
    public async Task FlippedBitsInFrames_AreInvalidOrDecodeWithinRange(string name, int seed)
    {
        var bytes = EncodedAudio.Bytes(name);
        var random = new Random(seed);

        // One bit in every fourth frame's side info or main data (never its header, so the frames stay frames).
        foreach (var (start, length) in Frames(bytes).Where((_, index) => index % 4 == seed % 4))
        {
            var bit = random.Next((length - Mp3FrameHeader.Length) * 8);
            bytes[start + Mp3FrameHeader.Length + (bit / 8)] ^= (byte)(0x80 >> (bit % 8));
        }

        try
        {
            var (samples, _) = await EncodedAudio.DecodeAsync(bytes).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(samples, sample => Assert.InRange(sample, -1f, 1f));
        }
        catch (HearsayException e)
        {
            Assert.Equal(HearsayErrorCode.InvalidInput, e.Code);
            Assert.Matches("^The audio is not a valid MP3 file: a frame before byte [0-9]+ is corrupt\\.$", e.Message);
        }
    }

    [Theory]
    [InlineData("big_values over 288", 12, 9, 511)]
    [InlineData("part2_3_length past the frame", 0, 12, 4095)]
    [InlineData("a block type 0 with window switching", 33, 3, 0b100)]
    public async Task CorruptSideInfo_IsInvalid(string what, int offset, int bits, int value)
    {
        // Both channels of the first granule, so that two part2_3_lengths of 4095 bits outgrow what the frame can hold.
        var bytes = EncodedAudio.Bytes(Stereo);
        var frame = Frames(bytes)[10].Start * 8;
        SetBits(bytes, frame, FirstGranuleBit + offset, bits, value);
        SetBits(bytes, frame, FirstGranuleBit + GranuleBits + offset, bits, value);

        var error = await EncodedAudio.FailsAsync(bytes);

        Assert.True(error.Message.Contains("is corrupt", StringComparison.Ordinal), $"{what}: {error.Message}");
    }

    [Fact]
    public async Task UndefinedHuffmanTable_IsInvalid()
    {
        // A long block (no window switching) whose first region has lines and names table 4, which the standard leaves
        // undefined: part2_3_length 0, big_values 100, ..., window switching 0, table_select 4, 0, 0.
        var bytes = EncodedAudio.Bytes(Stereo);
        var frame = Frames(bytes)[10].Start * 8;
        SetBits(bytes, frame, FirstGranuleBit, 12, 0);
        SetBits(bytes, frame, FirstGranuleBit + 12, 9, 100);
        SetBits(bytes, frame, FirstGranuleBit + 33, 1, 0);
        SetBits(bytes, frame, FirstGranuleBit + 34, 15, 4 << 10);

        await EncodedAudio.FailsAsync(bytes);
    }

    [Fact]
    public async Task MainDataBeginBeforeTheStream_DecodesThatFrameAsSilence()
    {
        // The first audio frame claims 511 bytes of reservoir that no earlier frame left: its granules are silence,
        // as in ffmpeg, and the rest decodes.
        var bytes = EncodedAudio.Bytes(Stereo);
        SetBits(bytes, Frames(bytes)[0].Start * 8, 32, 9, 511);

        var (samples, _) = await EncodedAudio.DecodeAsync(bytes);
        var (clean, _) = await EncodedAudio.DecodeAsync(EncodedAudio.Bytes(Stereo));

        Assert.Equal(clean.Length, samples.Length);
        Assert.All(samples[..1152], sample => Assert.Equal(0f, sample));
        Assert.Contains(clean[..1152], sample => sample != 0f);

        // A few frames on, the overlap and the filterbank's history no longer hold the silenced frame.
        Assert.Equal(clean[4608..], samples[4608..]);
    }

    [Fact]
    public async Task InfoHeaderDelayLongerThanAFrame_TrimsWholeFramesUntilTheCorruptionIsFound()
    {
        // A fuzz finding: its Xing header's encoder delay outlasts the first frames, whose trimming then sliced past the
        // frame's samples (ArgumentOutOfRangeException) before reaching the damaged frame further on.
        var bytes = await File.ReadAllBytesAsync(TestPaths.RepoAsset("audio", "fuzz", "mp3-delay-past-frames.mp3"));

        var error = await EncodedAudio.FailsAsync(bytes);

        Assert.Contains("no MP3 frame at byte 1557", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each frame's start and length, walking headers from the first, past an ID3v2 tag.</summary>
    private static List<(int Start, int Length)> Frames(byte[] bytes)
    {
        var position = bytes.AsSpan().StartsWith("ID3"u8) ? 10 + ((bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9]) : 0;
        var frames = new List<(int Start, int Length)>();
        while (position + Mp3FrameHeader.Length <= bytes.Length && Mp3FrameHeader.TryRead(bytes.AsSpan(position), out var header))
        {
            var length = Math.Min(header.FrameLength, bytes.Length - position);
            frames.Add((position, length));
            position += header.FrameLength;
        }

        return frames;
    }

    private static void SetBits(byte[] bytes, int frameBit, int offset, int count, int value)
    {
        for (var i = 0; i < count; i++)
        {
            var bit = frameBit + offset + i;
            var mask = (byte)(0x80 >> (bit % 8));
            bytes[bit / 8] = ((value >> (count - 1 - i)) & 1) != 0 ? (byte)(bytes[bit / 8] | mask) : (byte)(bytes[bit / 8] & ~mask);
        }
    }
}
