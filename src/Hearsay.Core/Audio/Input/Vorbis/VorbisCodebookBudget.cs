using System.Globalization;
using System.Numerics;

namespace Hearsay.Core.Audio.Input.Vorbis;

/// <summary>
/// Checks the codebooks of a Vorbis setup header (Vorbis I specification section 3.2.1) before NVorbis builds them:
/// a codebook's entry count and its lookup table are sized from 24- and 16-bit fields, and an ordered codebook of 2^24
/// entries takes a few bits, so 189 bytes of Ogg made NVorbis 0.10.5 spend 71 s and 3.3 GB. The totals are bounded
/// here far above what any encoder writes.
/// </summary>
internal static class VorbisCodebookBudget
{
    /// <summary>Entries over all codebooks: libvorbis's setups hold 3,200 (8 kHz) to 5,400 (q10 at 48 kHz stereo).</summary>
    public const long MaxEntries = 1 << 18;

    /// <summary>Values of the expanded lookup tables (entries × dimensions) over all codebooks: about 10,300 in libvorbis's.</summary>
    public const long MaxLookupValues = 1 << 20;

    /// <summary>Reads the codebooks of <paramref name="setup"/>; throws when they are malformed or too large.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for malformed or oversized codebooks.</exception>
    public static void Check(ReadOnlySpan<byte> setup)
    {
        var bits = new BitReader(setup[7..]);
        var books = (int)bits.Read(8) + 1;
        long entriesTotal = 0;
        long lookupTotal = 0;
        for (var book = 0; book < books; book++)
        {
            if (bits.Read(24) != 0x564342)
            {
                throw Invalid("a codebook lacks its sync pattern");
            }

            var dimensions = (long)bits.Read(16);
            var entries = (long)bits.Read(24);
            entriesTotal += entries;
            lookupTotal += entries * Math.Max(dimensions, 1);
            if (entriesTotal > MaxEntries || lookupTotal > MaxLookupValues)
            {
                throw Invalid(string.Create(
                    CultureInfo.InvariantCulture,
                    $"its codebooks declare more than {MaxEntries} entries or {MaxLookupValues} lookup values, far beyond what encoders write"));
            }

            SkipLengths(ref bits, entries);
            SkipLookup(ref bits, entries, dimensions);
        }
    }

    private static void SkipLengths(ref BitReader bits, long entries)
    {
        if (bits.Read(1) == 1)
        {
            // Ordered: runs of entries, each one bit longer than the last.
            bits.Read(5);
            for (long entry = 0; entry < entries;)
            {
                entry += (long)bits.Read(BitOperations.Log2((ulong)(entries - entry)) + 1);
            }

            return;
        }

        var sparse = bits.Read(1) == 1;
        for (long entry = 0; entry < entries; entry++)
        {
            if (!sparse || bits.Read(1) == 1)
            {
                bits.Read(5);
            }
        }
    }

    private static void SkipLookup(ref BitReader bits, long entries, long dimensions)
    {
        var type = bits.Read(4);
        if (type == 0)
        {
            return;
        }

        if (type > 2)
        {
            throw Invalid("a codebook has an unknown lookup type");
        }

        bits.Read(32);
        bits.Read(32);
        var valueBits = (int)bits.Read(4) + 1;
        bits.Read(1);
        var values = type == 1 ? Lookup1Values(entries, dimensions) : entries * dimensions;
        bits.Skip(values * valueBits);
    }

    /// <summary>The largest r with r^dimensions ≤ entries (section 9.2.3).</summary>
    private static long Lookup1Values(long entries, long dimensions)
    {
        if (dimensions == 0)
        {
            return 0;
        }

        var r = (long)Math.Floor(Math.Pow(entries, 1.0 / dimensions));
        while (Math.Pow(r + 1, dimensions) <= entries)
        {
            r++;
        }

        while (r > 0 && Math.Pow(r, dimensions) > entries)
        {
            r--;
        }

        return r;
    }

    private static HearsayException Invalid(string why) => new(HearsayErrorCode.InvalidInput, $"The Vorbis setup header is malformed: {why}.");

    /// <summary>Vorbis's bit packing: least significant bit first within each byte; reading past the end is an error.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private long _position;

        public ulong Read(int count)
        {
            if (_position + count > _data.Length * 8L)
            {
                throw Invalid("it ends inside its codebooks");
            }

            ulong value = 0;
            for (var i = 0; i < count; i++, _position++)
            {
                value |= (ulong)((_data[(int)(_position >> 3)] >> (int)(_position & 7)) & 1) << i;
            }

            return value;
        }

        public void Skip(long count)
        {
            if (count < 0 || _position + count > _data.Length * 8L)
            {
                throw Invalid("it ends inside its codebooks");
            }

            _position += count;
        }
    }
}
