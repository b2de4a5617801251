namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// Joint stereo (ISO/IEC 11172-3 §2.4.3.4.9; 13818-3 §2.4.3.2 for MPEG-2's intensity stereo): turns mid/side and
/// intensity-coded lines back into left and right, before reordering. Bands are walked from the top as ffmpeg does:
/// intensity stereo covers the bands above the right channel's highest non-zero band (per window in a short block),
/// and MS stereo, when on, the rest.
/// </summary>
internal static class Layer3Stereo
{
    private const float InverseSquareRoot2 = 0.70710678118654752f;

    // MPEG-1 intensity positions 0-6: the left and right share of the left channel's lines (7 is not a position).
    private static readonly float[] Mpeg1Left = [.. Enumerable.Range(0, 7).Select(p => (float)(Tan(p) / (1 + Tan(p))))];
    private static readonly float[] Mpeg1Right = [.. Enumerable.Range(0, 7).Select(p => (float)(1 / (1 + Tan(p))))];

    /// <summary>
    /// True when only MS stereo is on: its 1/√2 is then folded into both channels' gain, so left = mid + side and
    /// right = mid − side, and their average is simply mid.
    /// </summary>
    public static bool IsMidSideOnly(Mp3FrameHeader header) =>
        header.ChannelMode == MpegChannelMode.JointStereo && header.ChannelModeExtension == 2;

    /// <summary>Undoes joint stereo in place; <paramref name="right"/>'s scale factors carry the intensity positions.</summary>
    public static void Apply(
        Mp3FrameHeader header, Span<float> left, Span<float> right, Layer3ScaleFactors rightFactors, Layer3ScaleFactorBands bands)
    {
        var midSide = (header.ChannelModeExtension & 2) != 0;
        if ((header.ChannelModeExtension & 1) == 0)
        {
            if (midSide)
            {
                for (var i = 0; i < left.Length; i++)
                {
                    (left[i], right[i]) = (left[i] + right[i], left[i] - right[i]);
                }
            }

            return;
        }

        var mpeg1 = header.Version == MpegVersion.Version1;
        var factors = rightFactors.Factors;
        var longEnd = rightFactors.LongEnd;
        var shortStart = rightFactors.ShortStart;
        var position = 576;
        Span<bool> shortFound = stackalloc bool[3];
        var factor = ((13 - shortStart) * 3) + longEnd - 3;
        for (var band = 12; band >= shortStart; band--)
        {
            // The top band has no scale factor of its own: it takes the one below it.
            if (band != 11)
            {
                factor -= 3;
            }

            var width = bands.Short[band + 1] - bands.Short[band];
            for (var window = 2; window >= 0; window--)
            {
                position -= width;
                if (!shortFound[window] && right.Slice(position, width).ContainsAnyExcept(0f))
                {
                    shortFound[window] = true;
                }

                Band(left.Slice(position, width), right.Slice(position, width), shortFound[window], factors[factor + window]);
            }
        }

        var found = shortFound[0] || shortFound[1] || shortFound[2];
        for (var band = longEnd - 1; band >= 0; band--)
        {
            var width = bands.Long[band + 1] - bands.Long[band];
            position -= width;
            if (!found && right.Slice(position, width).ContainsAnyExcept(0f))
            {
                found = true;
            }

            Band(left.Slice(position, width), right.Slice(position, width), found, factors[band == 21 ? 20 : band]);
        }

        void Band(Span<float> l, Span<float> r, bool rightHasLines, int intensityPosition)
        {
            if (!rightHasLines && TryRatios(mpeg1, rightFactors.IntensityScale, intensityPosition, out var toLeft, out var toRight))
            {
                for (var i = 0; i < l.Length; i++)
                {
                    r[i] = l[i] * toRight;
                    l[i] *= toLeft;
                }
            }
            else if (midSide)
            {
                for (var i = 0; i < l.Length; i++)
                {
                    (l[i], r[i]) = ((l[i] + r[i]) * InverseSquareRoot2, (l[i] - r[i]) * InverseSquareRoot2);
                }
            }
        }
    }

    /// <summary>The left and right factors of an intensity position; false for MPEG-1's illegal position 7 and above.</summary>
    private static bool TryRatios(bool mpeg1, int intensityScale, int position, out float toLeft, out float toRight)
    {
        if (mpeg1)
        {
            var legal = position < 7;
            toLeft = legal ? Mpeg1Left[position] : 0f;
            toRight = legal ? Mpeg1Right[position] : 0f;
            return legal;
        }

        // MPEG-2 (13818-3 §2.4.3.2): k = io^((p + 1) / 2), io = 2^(-1/4) or 2^(-1/2) by intensity_scale; an odd position
        // scales the left channel by k, an even one the right. There is no illegal position here, as in ffmpeg.
        var attenuation = (float)Math.Pow(2, -(intensityScale + 1) * ((position + 1) >> 1) / 4.0);
        (toLeft, toRight) = (position & 1) != 0 ? (attenuation, 1f) : (1f, attenuation);
        return true;
    }

    private static double Tan(int position) => Math.Tan(position * Math.PI / 12);
}
