using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>
/// Reads a FLAC frame's bits MSB first from a span. A 64-bit cache holds the next bits left-aligned; bits in it past
/// the valid count are either zero or the stream's own next bits, so refilling by OR is safe. Reading past the end of
/// the span throws: the caller gives it a whole frame (or all there is), so that means a cut-off frame.
/// </summary>
internal ref struct FlacBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _next;
    private ulong _cache;
    private int _bits;

    public FlacBitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    /// <summary>Whole bytes consumed so far (exact when <see cref="AlignToByte"/> was just called).</summary>
    public readonly int BytePosition => _next - (_bits >> 3);

    /// <summary>Reads <paramref name="count"/> (0 to 32) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadBits(int count)
    {
        if (count == 0)
        {
            return 0;
        }

        if (_bits < count)
        {
            Refill(count);
        }

        var value = (uint)(_cache >> (64 - count));
        _cache <<= count;
        _bits -= count;
        return value;
    }

    /// <summary>Reads <paramref name="count"/> (0 to 32) bits as a two's complement number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadSigned(int count) => count == 0 ? 0 : (int)ReadBits(count) << (32 - count) >> (32 - count);

    /// <summary>Reads <paramref name="count"/> (0 to 33, for a 32-bit stream's side channel) bits as a two's complement number.</summary>
    public long ReadSigned64(int count)
    {
        if (count <= 32)
        {
            return count == 0 ? 0 : (long)ReadBits(count) << (64 - count) >> (64 - count);
        }

        var high = (long)ReadBits(count - 32);
        var value = (high << 32) | ReadBits(32);
        return value << (64 - count) >> (64 - count);
    }

    /// <summary>Counts zero bits up to and including the next one bit; returns the zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadUnary()
    {
        var zeros = 0;
        while (true)
        {
            if (_bits == 0)
            {
                Refill(1);
            }

            // Bits past _bits are zero or stream bits, so a leading-zero count beyond them is capped.
            var leading = Math.Min(BitOperations.LeadingZeroCount(_cache), _bits);
            if (leading < _bits)
            {
                _cache <<= leading + 1;
                _bits -= leading + 1;
                return zeros + leading;
            }

            zeros += leading;
            _cache = 0;
            _bits = 0;
        }
    }

    /// <summary>Reads a Rice-coded residual with parameter <paramref name="parameter"/> (0 to 30) and unfolds its sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadRice(int parameter)
    {
        var folded = ((uint)ReadUnary() << parameter) | ReadBits(parameter);
        return (int)(folded >> 1) ^ -(int)(folded & 1);
    }

    /// <summary>Skips the bits left in the current byte.</summary>
    public void AlignToByte()
    {
        var drop = _bits & 7;
        _cache <<= drop;
        _bits -= drop;
    }

    private void Refill(int needed)
    {
        if (_next + 8 <= _data.Length)
        {
            var word = BinaryPrimitives.ReadUInt64BigEndian(_data[_next..]);
            _cache |= word >> _bits;
            var bytes = (63 - _bits) >> 3;
            _next += bytes;
            _bits += bytes << 3;
            return;
        }

        while (_bits <= 56 && _next < _data.Length)
        {
            _cache |= (ulong)_data[_next++] << (56 - _bits);
            _bits += 8;
        }

        if (_bits < needed)
        {
            throw FlacErrors.Invalid("a frame is cut off");
        }
    }
}
