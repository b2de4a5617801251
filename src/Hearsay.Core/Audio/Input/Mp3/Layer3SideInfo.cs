namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>One granule of one channel as the side info describes it (ISO/IEC 11172-3 §2.4.1.7, 13818-3 §2.4.1.7).</summary>
internal sealed class Layer3Granule
{
    public int Part23Length;
    public int BigValues;
    public int GlobalGain;
    public int ScalefacCompress;

    /// <summary>0 normal, 1 start, 2 short, 3 stop.</summary>
    public int BlockType;

    /// <summary>A short block whose lowest two subbands are long (mixed_block_flag).</summary>
    public bool Mixed;

    public int Table0;
    public int Table1;
    public int Table2;
    public int SubblockGain0;
    public int SubblockGain1;
    public int SubblockGain2;

    /// <summary>Where big-values regions 1 and 2 start and the big values end, in lines (each ≤ 576).</summary>
    public int Region1Start;
    public int Region2Start;
    public int BigValuesEnd;

    public bool Preflag;
    public bool ScalefacScale;
    public bool Count1TableB;

    /// <summary>MPEG-1, second granule: which of the four band groups reuse the first granule's scale factors.</summary>
    public int Scfsi;

    /// <summary>The window each of the 32 subbands uses: the block type, with a mixed block's lowest two as long.</summary>
    public int WindowOf(int subband) => Mixed && subband < 2 ? 0 : BlockType;
}

/// <summary>Reads and checks a Layer III frame's side info; any value the standard does not allow is a corrupt frame.</summary>
internal sealed class Layer3SideInfo
{
    private readonly Layer3Granule[] _granules = [new(), new(), new(), new()];

    public int MainDataBegin { get; private set; }

    public int Granules { get; private set; }

    public int Channels { get; private set; }

    /// <summary>The side info's length in bytes for a header.</summary>
    public static int LengthFor(Mp3FrameHeader header) => (header.Version == MpegVersion.Version1, header.Channels) switch
    {
        (true, 1) => 17,
        (true, _) => 32,
        (false, 1) => 9,
        _ => 17,
    };

    public Layer3Granule this[int granule, int channel] => _granules[(granule * 2) + channel];

    /// <summary>Reads the side info from <paramref name="bytes"/>; false when a value is out of the standard's range.</summary>
    public bool TryRead(Mp3FrameHeader header, ReadOnlySpan<byte> bytes, Layer3ScaleFactorBands bands)
    {
        var mpeg1 = header.Version == MpegVersion.Version1;
        Channels = header.Channels;
        Granules = mpeg1 ? 2 : 1;
        var reader = new Layer3BitReader(bytes);
        MainDataBegin = reader.Read(mpeg1 ? 9 : 8);
        reader.Skip(mpeg1 ? (Channels == 1 ? 5 : 3) : Channels);
        for (var channel = 0; channel < Channels; channel++)
        {
            this[0, channel].Scfsi = 0;
            this[1, channel].Scfsi = mpeg1 ? reader.Read(4) : 0;
        }

        for (var granule = 0; granule < Granules; granule++)
        {
            for (var channel = 0; channel < Channels; channel++)
            {
                if (!TryReadGranule(ref reader, this[granule, channel], mpeg1, bands))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The bits all granules' main data claim (part2_3_length summed).</summary>
    public int MainDataBits()
    {
        var bits = 0;
        for (var granule = 0; granule < Granules; granule++)
        {
            for (var channel = 0; channel < Channels; channel++)
            {
                bits += this[granule, channel].Part23Length;
            }
        }

        return bits;
    }

    private static bool TryReadGranule(ref Layer3BitReader reader, Layer3Granule g, bool mpeg1, Layer3ScaleFactorBands bands)
    {
        g.Part23Length = reader.Read(12);
        g.BigValues = reader.Read(9);
        g.GlobalGain = reader.Read(8);
        g.ScalefacCompress = reader.Read(mpeg1 ? 4 : 9);
        if (g.BigValues > 288)
        {
            return false;
        }

        if (reader.ReadFlag())
        {
            g.BlockType = reader.Read(2);
            g.Mixed = reader.ReadFlag();
            g.Table0 = reader.Read(5);
            g.Table1 = reader.Read(5);
            g.Table2 = 0;
            g.SubblockGain0 = reader.Read(3);
            g.SubblockGain1 = reader.Read(3);
            g.SubblockGain2 = reader.Read(3);

            // Region 0 covers 9 short bands' worth of lines in a short block, 8 long bands otherwise; no region 2.
            g.Region1Start = g.BlockType == 2 ? bands.Short[3] * 3 : bands.Long[8];
            g.Region2Start = 576;
            if (g.BlockType == 0)
            {
                return false;
            }
        }
        else
        {
            g.BlockType = 0;
            g.Mixed = false;
            g.Table0 = reader.Read(5);
            g.Table1 = reader.Read(5);
            g.Table2 = reader.Read(5);
            g.SubblockGain0 = g.SubblockGain1 = g.SubblockGain2 = 0;
            var region0Count = reader.Read(4);
            var region1Count = reader.Read(3);
            g.Region1Start = bands.Long[region0Count + 1];
            g.Region2Start = bands.Long[Math.Min(region0Count + region1Count + 2, 22)];
        }

        g.BigValuesEnd = g.BigValues * 2;
        g.Region1Start = Math.Min(g.Region1Start, g.BigValuesEnd);
        g.Region2Start = Math.Min(g.Region2Start, g.BigValuesEnd);
        g.Preflag = mpeg1 && reader.ReadFlag();
        g.ScalefacScale = reader.ReadFlag();
        g.Count1TableB = reader.ReadFlag();

        // Tables 4 and 14 are not defined: a region that has lines and names one is corrupt.
        return (g.Region1Start == 0 || Layer3Huffman.IsDefined(g.Table0))
            && (g.Region2Start == g.Region1Start || Layer3Huffman.IsDefined(g.Table1))
            && (g.BigValuesEnd == g.Region2Start || Layer3Huffman.IsDefined(g.Table2));
    }
}
