namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Reads a granule's Huffman-coded lines (ISO/IEC 11172-3 §2.4.3.4.6-7) and requantizes them: each value v becomes
/// sign(v) × |v|^(4/3) × its line's gain. Reading stops at the granule's part2_3_length, as ffmpeg does.
/// </summary>
internal static class Layer3Spectrum
{
    // |v|^(4/3) for every value a pair can hold: 15 plus 13 linbits.
    private static readonly float[] PowerFourThirds = [.. Enumerable.Range(0, 15 + (1 << 13)).Select(v => (float)Math.Pow(v, 4.0 / 3.0))];

    /// <summary>
    /// Decodes into <paramref name="lines"/> (576, bitstream order) from <paramref name="reader"/> up to bit
    /// <paramref name="end"/>; returns how many lines from the start may be non-zero.
    /// </summary>
    public static int Decode(ref Layer3BitReader reader, Layer3Granule g, ReadOnlySpan<float> gains, Span<float> lines, int end)
    {
        var line = 0;
        line = DecodePairs(ref reader, g.Table0, g.Region1Start, line, gains, lines, end);
        line = DecodePairs(ref reader, g.Table1, g.Region2Start, line, gains, lines, end);
        line = DecodePairs(ref reader, g.Table2, g.BigValuesEnd, line, gains, lines, end);

        // count1: quadruples of 0/±1 until the granule's bits end. A quadruple that reads past the end is dropped,
        // as ffmpeg and mpg123 drop it (some encoders count part2_3_length short).
        var lookup = Layer3Huffman.QuadLookup(g.Count1TableB);
        var lastStart = -1;
        while (line <= 572 && reader.Position < end)
        {
            lastStart = line;
            var quad = Layer3Huffman.Decode(ref reader, lookup);
            lines[line] = quad >> 3 != 0 ? SignedGain(ref reader, gains[line]) : 0f;
            lines[line + 1] = ((quad >> 2) & 1) != 0 ? SignedGain(ref reader, gains[line + 1]) : 0f;
            lines[line + 2] = ((quad >> 1) & 1) != 0 ? SignedGain(ref reader, gains[line + 2]) : 0f;
            lines[line + 3] = (quad & 1) != 0 ? SignedGain(ref reader, gains[line + 3]) : 0f;
            line += 4;
        }

        if (reader.Position > end && lastStart >= 0)
        {
            line = lastStart;
        }

        lines[line..].Clear();
        return line;
    }

    private static int DecodePairs(
        ref Layer3BitReader reader, int table, int regionEnd, int line, ReadOnlySpan<float> gains, Span<float> lines, int end)
    {
        if (line >= regionEnd)
        {
            return line;
        }

        if (Layer3Huffman.PairLookup(table) is not { } lookup)
        {
            lines[line..regionEnd].Clear();
            return regionEnd;
        }

        var linBits = Layer3Huffman.LinBits(table);
        for (; line < regionEnd; line += 2)
        {
            if (reader.Position >= end)
            {
                break;
            }

            var pair = Layer3Huffman.Decode(ref reader, lookup);
            lines[line] = Value(ref reader, pair >> 4, linBits, gains[line]);
            lines[line + 1] = Value(ref reader, pair & 15, linBits, gains[line + 1]);
        }

        return line;
    }

    private static float Value(ref Layer3BitReader reader, int magnitude, int linBits, float gain)
    {
        if (magnitude == 0)
        {
            return 0f;
        }

        if (magnitude == 15)
        {
            magnitude += reader.Read(linBits);
        }

        var value = PowerFourThirds[magnitude] * gain;
        return reader.ReadFlag() ? -value : value;
    }

    private static float SignedGain(ref Layer3BitReader reader, float gain) => reader.ReadFlag() ? -gain : gain;
}
