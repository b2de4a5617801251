using System.Buffers.Binary;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Reads MSB-first bits from a byte buffer. Past the buffer's end it reads zeros, so a corrupt count read from the
/// stream can never index outside it; callers compare <see cref="Position"/> with their own limits.
/// </summary>
internal ref struct Layer3BitReader(ReadOnlySpan<byte> data, int position = 0)
{
    private readonly ReadOnlySpan<byte> _data = data;

    /// <summary>The next bit's index from the buffer's start.</summary>
    public int Position { get; private set; } = position;

    /// <summary>The next 32 bits, the first in the top bit, without consuming them.</summary>
    public readonly uint Peek32()
    {
        var start = Position >> 3;
        ulong window;
        if (start + sizeof(ulong) <= _data.Length)
        {
            window = BinaryPrimitives.ReadUInt64BigEndian(_data[start..]);
        }
        else
        {
            window = 0;
            for (var i = 0; i < sizeof(ulong); i++)
            {
                window = (window << 8) | (start + i < _data.Length ? _data[start + i] : 0UL);
            }
        }

        return (uint)((window << (Position & 7)) >> 32);
    }

    /// <summary>Reads 0 to 32 bits as an unsigned number.</summary>
    public int Read(int bits)
    {
        if (bits == 0)
        {
            return 0;
        }

        var value = Peek32() >> (32 - bits);
        Position += bits;
        return (int)value;
    }

    public bool ReadFlag() => Read(1) != 0;

    public void Skip(int bits) => Position += bits;
}
