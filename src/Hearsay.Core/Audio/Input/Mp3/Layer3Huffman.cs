namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Decodes Layer III Huffman codewords through lookup tables built once from <see cref="Layer3HuffmanTables"/>: the
/// first bits index a root table, and a code longer than its bits continues in a subtable, so a symbol costs one or two
/// lookups instead of a walk down a tree.
/// </summary>
internal static class Layer3Huffman
{
    private const int RootBits = 8;

    // The standard's big-value tables 0-31: which code table each uses (0: all zeros; -1: none, 4 and 14 are not
    // defined) and how many linbits extend a value of 15 (ISO/IEC 11172-3 Table 3-B.7).
    private static readonly sbyte[] CodeTableOf = [0, 1, 2, 3, -1, 5, 6, 7, 8, 9, 10, 11, 12, 13, -1, 15, 16, 16, 16, 16, 16, 16, 16, 16, 24, 24, 24, 24, 24, 24, 24, 24];
    private static readonly byte[] LinBitsOf = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 6, 8, 10, 13, 4, 5, 6, 7, 8, 9, 11, 13];

    private static readonly int[]?[] PairLookups = BuildPairLookups();
    private static readonly int[] QuadALookup = Build(Layer3HuffmanTables.QuadA, 16);
    private static readonly int[] QuadBLookup = Build(Layer3HuffmanTables.QuadB, 16);

    /// <summary>True for a table_select the standard defines (not 4 or 14).</summary>
    public static bool IsDefined(int table) => CodeTableOf[table] >= 0;

    /// <summary>The lookup for a big-values table, null for table 0 (every value zero, no bits).</summary>
    public static int[]? PairLookup(int table) => PairLookups[CodeTableOf[table]];

    public static int LinBits(int table) => LinBitsOf[table];

    public static int[] QuadLookup(bool tableB) => tableB ? QuadBLookup : QuadALookup;

    /// <summary>Reads one codeword through <paramref name="lookup"/>; returns its symbol (x &lt;&lt; 4 | y, or vwxy).</summary>
    public static int Decode(ref Layer3BitReader reader, int[] lookup)
    {
        var bits = reader.Peek32();
        var entry = lookup[bits >> (32 - RootBits)];
        if (entry < 0)
        {
            var sub = ~entry;
            entry = lookup[(sub >> 5) + (int)((bits << RootBits) >> (32 - (sub & 31)))];
        }

        reader.Skip(entry >> 16);
        return entry & 0xFFFF;
    }

    private static int[]?[] BuildPairLookups()
    {
        var lookups = new int[]?[25];
        Add(1, Layer3HuffmanTables.Pairs1, 2);
        Add(2, Layer3HuffmanTables.Pairs2, 3);
        Add(3, Layer3HuffmanTables.Pairs3, 3);
        Add(5, Layer3HuffmanTables.Pairs5, 4);
        Add(6, Layer3HuffmanTables.Pairs6, 4);
        Add(7, Layer3HuffmanTables.Pairs7, 6);
        Add(8, Layer3HuffmanTables.Pairs8, 6);
        Add(9, Layer3HuffmanTables.Pairs9, 6);
        Add(10, Layer3HuffmanTables.Pairs10, 8);
        Add(11, Layer3HuffmanTables.Pairs11, 8);
        Add(12, Layer3HuffmanTables.Pairs12, 8);
        Add(13, Layer3HuffmanTables.Pairs13, 16);
        Add(15, Layer3HuffmanTables.Pairs15, 16);
        Add(16, Layer3HuffmanTables.Pairs16, 16);
        Add(24, Layer3HuffmanTables.Pairs24, 16);
        return lookups;

        void Add(int table, ReadOnlySpan<uint> codes, int size)
        {
            // Symbols are x << 4 | y whatever the table's size.
            Span<uint> bySymbol = stackalloc uint[256];
            bySymbol.Clear();
            for (var x = 0; x < size; x++)
            {
                codes.Slice(x * size, size).CopyTo(bySymbol[(x << 4)..]);
            }

            lookups[table] = Build(bySymbol, 256);
        }
    }

    /// <summary>
    /// Builds the root table and its subtables. A leaf is (length &lt;&lt; 16) | symbol; a link is ~(offset &lt;&lt; 5 | subtable
    /// bits). Every table of the standard is a complete prefix code, so every entry is filled.
    /// </summary>
    private static int[] Build(ReadOnlySpan<uint> codes, int symbols)
    {
        // Subtable widths first: for each root prefix, the longest code's bits beyond the root.
        Span<int> subBits = stackalloc int[1 << RootBits];
        subBits.Clear();
        for (var symbol = 0; symbol < symbols; symbol++)
        {
            if (codes[symbol] != 0 && Length(codes[symbol]) is var length && length > RootBits)
            {
                var prefix = (int)(Code(codes[symbol]) >> (length - RootBits));
                subBits[prefix] = Math.Max(subBits[prefix], length - RootBits);
            }
        }

        var size = 1 << RootBits;
        Span<int> offsets = stackalloc int[1 << RootBits];
        for (var prefix = 0; prefix < subBits.Length; prefix++)
        {
            offsets[prefix] = size;
            size += subBits[prefix] > 0 ? 1 << subBits[prefix] : 0;
        }

        var lookup = new int[size];
        for (var prefix = 0; prefix < subBits.Length; prefix++)
        {
            if (subBits[prefix] > 0)
            {
                lookup[prefix] = ~((offsets[prefix] << 5) | subBits[prefix]);
            }
        }

        for (var symbol = 0; symbol < symbols; symbol++)
        {
            if (codes[symbol] == 0)
            {
                continue;
            }

            var length = Length(codes[symbol]);
            var code = (int)Code(codes[symbol]);
            var leaf = (length << 16) | symbol;
            if (length <= RootBits)
            {
                lookup.AsSpan(code << (RootBits - length), 1 << (RootBits - length)).Fill(leaf);
            }
            else
            {
                var prefix = code >> (length - RootBits);
                var rest = length - RootBits;
                var width = subBits[prefix];
                var start = offsets[prefix] + ((code & ((1 << rest) - 1)) << (width - rest));
                lookup.AsSpan(start, 1 << (width - rest)).Fill(leaf);
            }
        }

        return lookup;
    }

    private static int Length(uint entry) => 31 - System.Numerics.BitOperations.LeadingZeroCount(entry);

    private static uint Code(uint entry) => entry & ~(1u << Length(entry));
}
