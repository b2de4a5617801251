namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// One channel's scale factors (ISO/IEC 11172-3 §2.4.3.4.5; 13818-3 §2.4.3.2 for MPEG-2 and 2.5) and the gain they give
/// each spectral line. They are kept in the order ffmpeg keeps them: the long bands of the block, then the short bands
/// from the first short one, three windows each.
/// </summary>
internal sealed class Layer3ScaleFactors
{
    // MPEG-1 slen1 and slen2 by scalefac_compress (ISO/IEC 11172-3 §2.4.2.7).
    private static readonly byte[] Slen1 = [0, 0, 0, 0, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4];
    private static readonly byte[] Slen2 = [0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3];

    // MPEG-2 nr_of_sfb_block[6][3][4] (ISO/IEC 13818-3 Table B.4): by the scalefac_compress range, then long, short,
    // mixed block.
    private static readonly byte[] LsfBandCounts =
    [
        6, 5, 5, 5, 9, 9, 9, 9, 6, 9, 9, 9,
        6, 5, 7, 3, 9, 9, 12, 6, 6, 9, 12, 6,
        11, 10, 0, 0, 18, 18, 0, 0, 15, 18, 0, 0,
        7, 7, 7, 0, 12, 12, 12, 0, 6, 15, 12, 0,
        6, 6, 6, 3, 12, 9, 9, 6, 6, 12, 9, 6,
        8, 8, 5, 0, 15, 12, 9, 0, 6, 18, 9, 0,
    ];

    // MPEG-2 scalefac_compress ranges (13818-3 §2.4.3.2): where each starts and the radices that split it into four
    // slen, three for a normal channel, then three for the right channel under intensity stereo (which is halved first).
    private static readonly (int From, int Radix1, int Radix2, int Radix3)[] CompressRanges =
        [(0, 5, 4, 4), (400, 5, 4, 1), (500, 3, 1, 1), (0, 6, 6, 1), (180, 4, 4, 1), (244, 3, 1, 1)];

    // pretab (ISO/IEC 11172-3 Table 3-B.6), added to the long bands when preflag is set.
    private static readonly byte[] Pretab = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 2, 0];

    private const int LowestExponent = -400;

    // 2^(e/4) for every exponent a granule can give, from global_gain 0 with every attenuation at its largest.
    private static readonly float[] PowerOfTwoQuarter = [.. Enumerable.Range(LowestExponent, 512).Select(e => (float)Math.Pow(2, e / 4.0))];

    private readonly int[] _factors = new int[40];

    /// <summary>The scale factors: long bands first, then short bands × 3 windows (see <see cref="LongEnd"/>).</summary>
    public ReadOnlySpan<int> Factors => _factors;

    /// <summary>How many long bands the block has: 22, 0 for a short block, 8 (MPEG-1) or 6 for a mixed one.</summary>
    public int LongEnd { get; private set; }

    /// <summary>The first short band: 13 (none) for a long block, 0 for a short one, 3 for a mixed one.</summary>
    public int ShortStart { get; private set; }

    /// <summary>MPEG-2 intensity stereo: the right channel's scalefac_compress parity picks the ratio step.</summary>
    public int IntensityScale { get; private set; }

    /// <summary>Reads this granule's scale factors for MPEG-1.</summary>
    public void ReadMpeg1(ref Layer3BitReader reader, Layer3Granule g)
    {
        SetLayout(g, mpeg1: true);
        var slen1 = Slen1[g.ScalefacCompress];
        var slen2 = Slen2[g.ScalefacCompress];
        var factors = _factors.AsSpan();
        if (g.BlockType == 2)
        {
            var first = g.Mixed ? 17 : 18;
            ReadInto(ref reader, factors[..first], slen1);
            ReadInto(ref reader, factors.Slice(first, 18), slen2);
            factors.Slice(first + 18, 3).Clear();
            return;
        }

        // Band groups 0-5, 6-10, 11-15 and 16-20; a group whose scfsi bit is set keeps the first granule's factors.
        var start = 0;
        for (var group = 0; group < 4; group++)
        {
            var count = group == 0 ? 6 : 5;
            if ((g.Scfsi & (8 >> group)) == 0)
            {
                ReadInto(ref reader, factors.Slice(start, count), group < 2 ? slen1 : slen2);
            }

            start += count;
        }

        factors[21] = 0;
    }

    /// <summary>Reads this granule's scale factors for MPEG-2 and 2.5 (LSF), which may set preflag.</summary>
    public void ReadLsf(ref Layer3BitReader reader, Layer3Granule g, bool intensityRightChannel)
    {
        SetLayout(g, mpeg1: false);
        var blockKind = g.BlockType == 2 ? (g.Mixed ? 2 : 1) : 0;
        Span<int> slen = stackalloc int[4];
        var compress = g.ScalefacCompress;
        var first = 0;
        if (intensityRightChannel)
        {
            IntensityScale = compress & 1;
            compress >>= 1;
            first = 3;
        }

        var range = first + (compress >= CompressRanges[first + 2].From ? 2 : compress >= CompressRanges[first + 1].From ? 1 : 0);
        var (from, radix1, radix2, radix3) = CompressRanges[range];
        Split(slen, compress - from, radix1, radix2, radix3);
        g.Preflag = range == 2;

        var factors = _factors.AsSpan();
        factors.Clear();
        var next = 0;
        for (var part = 0; part < 4; part++)
        {
            var count = LsfBandCounts[(range * 12) + (blockKind * 4) + part];
            ReadInto(ref reader, factors.Slice(next, count), slen[part]);
            next += count;
        }
    }

    /// <summary>
    /// Fills each line's gain, 2^(exponent/4) with the exponent from global_gain, the scale factors, preflag and the
    /// subblock gains, in bitstream order (a short band's three windows one after another).
    /// </summary>
    /// <param name="g">The granule.</param>
    /// <param name="bands">The rate's bands.</param>
    /// <param name="gainOffset">Added to global_gain: −2 folds MS stereo's 1/√2 into the gain.</param>
    /// <param name="gains">576 lines.</param>
    public void FillGains(Layer3Granule g, Layer3ScaleFactorBands bands, int gainOffset, Span<float> gains)
    {
        var gain = g.GlobalGain + gainOffset - 210;
        var shift = g.ScalefacScale ? 2 : 1;
        var factors = _factors;
        for (var band = 0; band < LongEnd; band++)
        {
            var boost = g.Preflag ? Pretab[band] : 0;
            gains[bands.Long[band]..bands.Long[band + 1]].Fill(Power(gain - ((factors[band] + boost) << shift)));
        }

        var index = LongEnd;
        for (var band = ShortStart; band < 13; band++)
        {
            var width = bands.Short[band + 1] - bands.Short[band];
            var line = bands.Short[band] * 3;
            gains.Slice(line, width).Fill(Power(gain - (g.SubblockGain0 << 3) - (factors[index++] << shift)));
            gains.Slice(line + width, width).Fill(Power(gain - (g.SubblockGain1 << 3) - (factors[index++] << shift)));
            gains.Slice(line + (2 * width), width).Fill(Power(gain - (g.SubblockGain2 << 3) - (factors[index++] << shift)));
        }
    }

    private static float Power(int exponent) => PowerOfTwoQuarter[exponent - LowestExponent];

    private void SetLayout(Layer3Granule g, bool mpeg1)
    {
        (LongEnd, ShortStart) = g.BlockType != 2 ? (22, 13) : g.Mixed ? (mpeg1 ? 8 : 6, 3) : (0, 0);
    }

    private static void ReadInto(ref Layer3BitReader reader, Span<int> factors, int bits)
    {
        for (var i = 0; i < factors.Length; i++)
        {
            factors[i] = reader.Read(bits);
        }
    }

    // Splits an MPEG-2 scalefac_compress into four slen by mixed radices (13818-3 §2.4.3.2): slen[3] is the lowest digit.
    private static void Split(Span<int> slen, int value, int radix1, int radix2, int radix3)
    {
        slen[3] = value % radix3;
        value /= radix3;
        slen[2] = value % radix2;
        value /= radix2;
        slen[1] = value % radix1;
        slen[0] = value / radix1;
    }
}
