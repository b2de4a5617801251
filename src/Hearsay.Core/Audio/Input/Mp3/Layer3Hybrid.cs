namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// The hybrid filterbank's MDCT half for a mono output (ISO/IEC 11172-3 §2.4.3.4.8-11): reorders short blocks, reduces
/// aliasing between long subbands, then runs one IMDCT per subband with overlap-add and frequency inversion. A stereo
/// granule is averaged as early as the arithmetic allows: where both channels use the same window in a subband, their
/// lines are averaged before one IMDCT; otherwise each is transformed and the halves are summed. Both are linear, so
/// one overlap buffer serves the mix.
/// </summary>
internal sealed class Layer3Hybrid
{
    // Alias-reduction coefficients c_i (Table 3-B.9) as cs = 1/√(1 + c²) and ca = c/√(1 + c²).
    private static readonly double[] AliasCoefficients = [-0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037];
    private static readonly float[] Cs = [.. AliasCoefficients.Select(c => (float)(1 / Math.Sqrt(1 + (c * c))))];
    private static readonly float[] Ca = [.. AliasCoefficients.Select(c => (float)(c / Math.Sqrt(1 + (c * c))))];

    private readonly float[] _overlap = new float[576];
    private readonly float[] _reordered = new float[576];
    private readonly float[] _mixed = new float[18];
    private readonly float[] _block = new float[36];

    /// <summary>Clears the overlap, as at the stream's start.</summary>
    public void Reset() => Array.Clear(_overlap);

    /// <summary>
    /// Turns one granule's lines (one channel, or two to average) into 18 time slots of 32 subband samples,
    /// <paramref name="slots"/>[t × 32 + subband].
    /// </summary>
    /// <param name="first">The first channel's 576 lines after stereo processing; changed in place.</param>
    /// <param name="firstGranule">Its side info.</param>
    /// <param name="firstLimit">How many of its lines may be non-zero.</param>
    /// <param name="second">The second channel's lines, or empty for one channel.</param>
    /// <param name="secondGranule">Its side info (unused without a second channel).</param>
    /// <param name="secondLimit">How many of its lines may be non-zero.</param>
    /// <param name="bands">The rate's bands.</param>
    /// <param name="slots">576 subband samples out.</param>
    public void Transform(
        Span<float> first, Layer3Granule firstGranule, int firstLimit,
        Span<float> second, Layer3Granule secondGranule, int secondLimit,
        Layer3ScaleFactorBands bands, Span<float> slots)
    {
        var subbands = Prepare(first, firstGranule, firstLimit, bands);
        if (!second.IsEmpty)
        {
            subbands = Math.Max(subbands, Prepare(second, secondGranule, secondLimit, bands));
        }

        var block = _block.AsSpan();
        for (var subband = 0; subband < 32; subband++)
        {
            block.Clear();
            if (subband < subbands)
            {
                var lines = first.Slice(subband * 18, 18);
                var window = firstGranule.WindowOf(subband);
                if (second.IsEmpty)
                {
                    Layer3Imdct.AddSubband(lines, window, block);
                }
                else
                {
                    var other = second.Slice(subband * 18, 18);
                    var otherWindow = secondGranule.WindowOf(subband);
                    if (window == otherWindow)
                    {
                        for (var i = 0; i < 18; i++)
                        {
                            _mixed[i] = 0.5f * (lines[i] + other[i]);
                        }

                        Layer3Imdct.AddSubband(_mixed, window, block);
                    }
                    else
                    {
                        Scale(lines);
                        Scale(other);
                        Layer3Imdct.AddSubband(lines, window, block);
                        Layer3Imdct.AddSubband(other, otherWindow, block);
                    }
                }
            }

            // Overlap-add; odd subbands negate odd time slots (frequency inversion).
            var overlap = _overlap.AsSpan(subband * 18, 18);
            var sign = (subband & 1) == 0 ? 1f : -1f;
            for (var t = 0; t < 18; t++)
            {
                var sample = block[t] + overlap[t];
                slots[(t * 32) + subband] = (t & 1) == 0 ? sample : sample * sign;
                overlap[t] = block[18 + t];
            }
        }
    }

    /// <summary>Reorders and alias-reduces one channel; returns how many subbands may be non-zero.</summary>
    private int Prepare(Span<float> lines, Layer3Granule g, int limit, Layer3ScaleFactorBands bands)
    {
        if (g.BlockType == 2)
        {
            Reorder(lines, g, bands);

            // Reordering moves lines within their band, up to the band's end.
            limit = 576;
        }

        // Alias reduction spreads a subband's lines into the next one.
        var subbands = Math.Min(32, ((limit + 17) / 18) + 1);
        var boundaries = g.BlockType != 2 ? subbands - 1 : g.Mixed ? 1 : 0;
        for (var boundary = 1; boundary <= Math.Min(boundaries, 31); boundary++)
        {
            var at = boundary * 18;
            for (var i = 0; i < 8; i++)
            {
                var below = lines[at - 1 - i];
                var above = lines[at + i];
                lines[at - 1 - i] = (below * Cs[i]) - (above * Ca[i]);
                lines[at + i] = (above * Cs[i]) + (below * Ca[i]);
            }
        }

        return subbands;
    }

    /// <summary>Short bands come window by window; each subband's IMDCT wants them interleaved (line 3k + window).</summary>
    private void Reorder(Span<float> lines, Layer3Granule g, Layer3ScaleFactorBands bands)
    {
        for (var band = g.Mixed ? 3 : 0; band < 13; band++)
        {
            var start = bands.Short[band] * 3;
            var width = bands.Short[band + 1] - bands.Short[band];
            var source = lines.Slice(start, width * 3);
            var target = _reordered.AsSpan(0, width * 3);
            for (var k = 0; k < width; k++)
            {
                target[3 * k] = source[k];
                target[(3 * k) + 1] = source[width + k];
                target[(3 * k) + 2] = source[(2 * width) + k];
            }

            target.CopyTo(source);
        }
    }

    private static void Scale(Span<float> lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] *= 0.5f;
        }
    }
}
