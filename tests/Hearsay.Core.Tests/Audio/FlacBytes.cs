using Hearsay.Core.Audio.Input.Flac;

namespace Hearsay.Core.Tests.Audio;

/// <summary>
/// Writes small FLAC streams bit by bit (RFC 9639), with correct CRCs, so a test can make a frame that is valid in
/// every way but the one it tests.
/// </summary>
internal sealed class FlacBytes
{
    private readonly List<byte> _bytes = [];
    private int _bitCount;

    /// <summary>A stream of 16-bit mono at 16 kHz with the given largest block size, before its frames.</summary>
    public static FlacBytes Stream(int maxBlockSize = 16)
    {
        var flac = new FlacBytes();
        flac.Bytes("fLaC"u8).Bits(1, 1).Bits(0, 7).Bits(34, 24); // the last metadata block: STREAMINFO
        flac.Bits(16, 16).Bits((uint)maxBlockSize, 16).Bits(0, 24).Bits(0, 24).Bits(16000, 20).Bits(0, 3).Bits(15, 5).Bits(0, 36);
        return flac.Bytes(new byte[16]);
    }

    /// <summary>A frame header for <paramref name="blockSize"/> samples (16-bit mono, fixed blocking), then its CRC-8.</summary>
    public FlacBytes FrameHeader(int blockSize)
    {
        var start = _bytes.Count;
        Bits(0b11111111111110, 14).Bits(0, 1).Bits(0, 1).Bits(7, 4).Bits(0, 4).Bits(0, 4).Bits(4, 3).Bits(0, 1);
        Bits(0, 8).Bits((uint)(blockSize - 1), 16); // frame number 0, then the block size
        return Bits(FlacCrc.Crc8([.. _bytes.Skip(start)]), 8);
    }

    /// <summary>Pads to a byte and appends the CRC-16 of everything since <paramref name="frameStart"/>.</summary>
    public FlacBytes FrameFooter(int frameStart)
    {
        while (_bitCount % 8 != 0)
        {
            Bits(0, 1);
        }

        return Bits(FlacCrc.Crc16([.. _bytes.Skip(frameStart)]), 16);
    }

    public int Length => _bytes.Count;

    public FlacBytes Bits(uint value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            if (_bitCount % 8 == 0)
            {
                _bytes.Add(0);
            }

            _bytes[^1] |= (byte)(((value >> i) & 1) << (7 - (_bitCount % 8)));
            _bitCount++;
        }

        return this;
    }

    public FlacBytes Bytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            Bits(b, 8);
        }

        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
