namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>
/// Splits a Block or SimpleBlock body (Matroska specification, "Block Structure" and "Block Lacing") into its frames:
/// no lacing, Xiph, EBML or fixed-size lacing. At most 256 frames by construction; their sizes must fit the block.
/// </summary>
internal static class MatroskaBlock
{
    public const int MaxFrames = 256;

    /// <summary>The block's track number; 0 when the body is too short to have one.</summary>
    public static ulong TrackNumber(ReadOnlySpan<byte> block) =>
        EbmlVarInt.Read(block, 8, keepMarker: false, out var track) > 0 && track > 0 ? (ulong)track : 0;

    /// <summary>Reads a Xiph-laced size (a run of 255s and the byte that ends it) at <paramref name="position"/>.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> when the run passes the end of <paramref name="data"/>.</exception>
    public static int XiphSize(ReadOnlySpan<byte> data, ref int position)
    {
        var size = 0;
        byte b;
        do
        {
            b = position < data.Length ? data[position++] : throw MatroskaAudio.Invalid("a Xiph-laced size runs past the end of its element");
            size += b;
        }
        while (b == 255);
        return size;
    }

    /// <summary>Writes each frame's (offset, length) in <paramref name="block"/> to <paramref name="frames"/>; returns their count.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> when the lacing does not fit the block.</exception>
    public static int Frames(ReadOnlySpan<byte> block, Span<Range> frames)
    {
        var trackLength = EbmlVarInt.Read(block, 8, keepMarker: false, out _);
        var start = trackLength + 3;
        if (trackLength <= 0 || block.Length < start)
        {
            throw MatroskaAudio.Invalid("a block is too short for its header");
        }

        var lacing = (block[trackLength + 2] >> 1) & 3;
        if (lacing == 0)
        {
            frames[0] = start..block.Length;
            return 1;
        }

        if (block.Length <= start)
        {
            throw MatroskaAudio.Invalid("a laced block has no frame count");
        }

        var count = block[start] + 1;
        var position = start + 1;
        Span<long> sizes = stackalloc long[MaxFrames];
        switch (lacing)
        {
            case 1:
                for (var i = 0; i < count - 1; i++)
                {
                    sizes[i] = XiphSize(block, ref position);
                }

                break;
            case 3:
                for (var i = 0; i < count - 1; i++)
                {
                    var length = EbmlVarInt.Read(block[position..], 8, keepMarker: false, out var raw);
                    if (length <= 0 || raw < 0)
                    {
                        throw MatroskaAudio.Invalid("a block's EBML lacing is malformed");
                    }

                    position += length;
                    // Sizes after the first are stored as signed differences, biased by half the range.
                    sizes[i] = i == 0 ? raw : sizes[i - 1] + raw - ((1L << ((7 * length) - 1)) - 1);
                }

                break;
            default:
                var remaining = block.Length - position;
                if (remaining % count != 0)
                {
                    throw MatroskaAudio.Invalid("a block's fixed-size lacing does not divide it evenly");
                }

                sizes[..(count - 1)].Fill(remaining / count);
                break;
        }

        for (var i = 0; i < count - 1; i++)
        {
            if (sizes[i] < 0 || sizes[i] > block.Length - position)
            {
                throw MatroskaAudio.Invalid("a block's lacing declares frames larger than the block");
            }

            frames[i] = position..(position + (int)sizes[i]);
            position += (int)sizes[i];
        }

        frames[count - 1] = position..block.Length;
        return count;
    }
}
