namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Where each scale-factor band starts, in spectral lines, for one sample rate: ISO/IEC 11172-3 Table 3-B.8 (44.1, 48
/// and 32 kHz), 13818-3 Table B.2 (22.05, 24 and 16 kHz), and MPEG-2.5's 11.025, 12 and 8 kHz.
/// </summary>
internal sealed class Layer3ScaleFactorBands
{
    // Band widths by rate: MPEG-1 44.1, 48, 32 kHz; MPEG-2 22.05, 24, 16 kHz; MPEG-2.5 11.025, 12, 8 kHz.
    private static readonly byte[][] LongWidths =
    [
        [4, 4, 4, 4, 4, 4, 6, 6, 8, 8, 10, 12, 16, 20, 24, 28, 34, 42, 50, 54, 76, 158],
        [4, 4, 4, 4, 4, 4, 6, 6, 6, 8, 10, 12, 16, 18, 22, 28, 34, 40, 46, 54, 54, 192],
        [4, 4, 4, 4, 4, 4, 6, 6, 8, 10, 12, 16, 20, 24, 30, 38, 46, 56, 68, 84, 102, 26],
        [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
        [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 18, 22, 26, 32, 38, 46, 52, 64, 70, 76, 36],
        [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
        [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
        [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
        [12, 12, 12, 12, 12, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 76, 90, 2, 2, 2, 2, 2],
    ];

    private static readonly byte[][] ShortWidths =
    [
        [4, 4, 4, 4, 6, 8, 10, 12, 14, 18, 22, 30, 56],
        [4, 4, 4, 4, 6, 6, 10, 12, 14, 16, 20, 26, 66],
        [4, 4, 4, 4, 6, 8, 12, 16, 20, 26, 34, 42, 12],
        [4, 4, 4, 6, 6, 8, 10, 14, 18, 26, 32, 42, 18],
        [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 32, 44, 12],
        [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18],
        [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18],
        [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18],
        [8, 8, 8, 12, 16, 20, 24, 28, 36, 2, 2, 2, 26],
    ];

    private static readonly Layer3ScaleFactorBands[] ByRate = [.. Enumerable.Range(0, 9).Select(i => new Layer3ScaleFactorBands(i))];

    private Layer3ScaleFactorBands(int rate)
    {
        Long = Starts(LongWidths[rate]);
        Short = Starts(ShortWidths[rate]);
    }

    /// <summary>The 23 boundaries of the 22 long-block bands; the last is 576.</summary>
    public int[] Long { get; }

    /// <summary>The 14 boundaries of the 13 short-block bands (per window); the last is 192.</summary>
    public int[] Short { get; }

    /// <summary>The bands for a header's version and sample-rate index.</summary>
    public static Layer3ScaleFactorBands For(MpegVersion version, int sampleRateIndex) =>
        ByRate[sampleRateIndex + (version switch
        {
            MpegVersion.Version1 => 0,
            MpegVersion.Version2 => 3,
            _ => 6,
        })];

    private static int[] Starts(byte[] widths)
    {
        var starts = new int[widths.Length + 1];
        for (var i = 0; i < widths.Length; i++)
        {
            starts[i + 1] = starts[i] + widths[i];
        }

        return starts;
    }
}
