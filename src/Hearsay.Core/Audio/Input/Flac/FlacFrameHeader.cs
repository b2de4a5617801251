using System.Globalization;

namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>How a frame's channels are coded (RFC 9639 §9.1.3).</summary>
internal enum FlacChannelAssignment
{
    Independent,
    LeftSide,
    SideRight,
    MidSide,
}

/// <summary>A frame header (RFC 9639 §9.1), read and checked against its CRC-8 and the stream's STREAMINFO.</summary>
/// <param name="BlockSize">Samples per channel in the frame.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="Assignment">How the channels are coded.</param>
/// <param name="BitsPerSample">Bits per sample.</param>
internal readonly record struct FlacFrameHeader(int BlockSize, int Channels, FlacChannelAssignment Assignment, int BitsPerSample)
{
    /// <summary>True when <paramref name="data"/> starts with a frame's 15-bit sync code and a zero reserved bit.</summary>
    public static bool StartsWithSync(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0xFF && (data[1] & 0xFE) == 0xF8;

    /// <summary>Reads the header from the start of <paramref name="frame"/>; <paramref name="bits"/> is left after its CRC-8.</summary>
    public static FlacFrameHeader Read(ref FlacBitReader bits, ReadOnlySpan<byte> frame, FlacStreamInfo stream)
    {
        if (!StartsWithSync(frame))
        {
            throw FlacErrors.Invalid("a frame does not start with the frame sync code");
        }

        bits.ReadBits(16); // sync code, reserved bit and blocking strategy (fixed or variable both decode the same)
        var blockSizeCode = (int)bits.ReadBits(4);
        var sampleRateCode = (int)bits.ReadBits(4);
        var channelCode = (int)bits.ReadBits(4);
        var bitsPerSampleCode = (int)bits.ReadBits(3);
        if (bits.ReadBits(1) != 0 || blockSizeCode == 0 || sampleRateCode == 15 || channelCode > 10 || bitsPerSampleCode == 3)
        {
            throw FlacErrors.Invalid("a frame header uses a reserved value");
        }

        SkipCodedNumber(ref bits);
        var blockSize = blockSizeCode switch
        {
            1 => 192,
            <= 5 => 576 << (blockSizeCode - 2),
            6 => (int)bits.ReadBits(8) + 1,
            7 => (int)bits.ReadBits(16) + 1,
            _ => 256 << (blockSizeCode - 8),
        };

        // The rate is STREAMINFO's (as ffmpeg uses it); a frame's own rate code only adds bytes to skip.
        bits.ReadBits(sampleRateCode switch { 12 => 8, 13 or 14 => 16, _ => 0 });

        var headerLength = bits.BytePosition;
        if (FlacCrc.Crc8(frame[..headerLength]) != bits.ReadBits(8))
        {
            throw FlacErrors.Invalid("a frame header fails its CRC-8 check");
        }

        var channels = channelCode < 8 ? channelCode + 1 : 2;
        var bitsPerSample = bitsPerSampleCode switch
        {
            0 => stream.BitsPerSample,
            1 => 8,
            2 => 12,
            4 => 16,
            5 => 20,
            6 => 24,
            _ => 32,
        };

        if (blockSize > stream.MaxBlockSize)
        {
            throw FlacErrors.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"a frame of {blockSize} samples exceeds the stream's largest block size, {stream.MaxBlockSize}"));
        }

        if (channels != stream.Channels || bitsPerSample != stream.BitsPerSample)
        {
            throw FlacErrors.Invalid("a frame's channel count or bits per sample differ from the stream's");
        }

        var assignment = channelCode switch
        {
            8 => FlacChannelAssignment.LeftSide,
            9 => FlacChannelAssignment.SideRight,
            10 => FlacChannelAssignment.MidSide,
            _ => FlacChannelAssignment.Independent,
        };
        return new FlacFrameHeader(blockSize, channels, assignment, bitsPerSample);
    }

    /// <summary>Skips the frame or sample number, coded like UTF-8 in 1 to 7 bytes (RFC 9639 §9.1.5).</summary>
    private static void SkipCodedNumber(ref FlacBitReader bits)
    {
        var first = bits.ReadBits(8);
        var extra = first switch
        {
            < 0x80 => 0,
            >= 0xC0 and < 0xE0 => 1,
            >= 0xE0 and < 0xF0 => 2,
            >= 0xF0 and < 0xF8 => 3,
            >= 0xF8 and < 0xFC => 4,
            >= 0xFC and < 0xFE => 5,
            0xFE => 6,
            _ => -1,
        };

        if (extra < 0)
        {
            throw FlacErrors.Invalid("a frame header has a malformed frame number");
        }

        for (var i = 0; i < extra; i++)
        {
            if ((bits.ReadBits(8) & 0xC0) != 0x80)
            {
                throw FlacErrors.Invalid("a frame header has a malformed frame number");
            }
        }
    }
}
