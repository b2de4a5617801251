using System.Globalization;

namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>
/// Decodes one subframe (RFC 9639 §9.2) into a channel's integer samples: CONSTANT, VERBATIM, FIXED or LPC prediction
/// over a Rice-coded residual, then the wasted bits shifted back in.
/// </summary>
internal static class FlacSubframeDecoder
{
    private const int MaxLpcOrder = 32;

    /// <param name="bits">At the subframe's first bit.</param>
    /// <param name="samples">Exactly the frame's block size; receives the samples.</param>
    /// <param name="bitsPerSample">The subframe's sample width: the frame's, plus one for a side channel (up to 33).</param>
    public static void Decode(ref FlacBitReader bits, Span<long> samples, int bitsPerSample)
    {
        var header = bits.ReadBits(8);
        if ((header & 0x80) != 0)
        {
            throw FlacErrors.Invalid("a subframe header's padding bit is set");
        }

        var type = (int)(header >> 1) & 0x3F;
        var wasted = (header & 1) != 0 ? bits.ReadUnary() + 1 : 0;
        if (wasted >= bitsPerSample)
        {
            throw FlacErrors.Invalid("a subframe wastes all of its bits");
        }

        var width = bitsPerSample - wasted;
        switch (type)
        {
            case 0:
                samples.Fill(bits.ReadSigned64(width));
                break;
            case 1:
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = bits.ReadSigned64(width);
                }

                break;
            case >= 8 and <= 12:
                DecodeFixed(ref bits, samples, width, type - 8);
                break;
            case >= 32:
                DecodeLpc(ref bits, samples, width, type - 31);
                break;
            default:
                throw FlacErrors.Invalid(string.Create(CultureInfo.InvariantCulture, $"a subframe has the reserved type {type}"));
        }

        if (wasted > 0)
        {
            foreach (ref var sample in samples)
            {
                sample <<= wasted;
            }
        }
    }

    private static void DecodeFixed(ref FlacBitReader bits, Span<long> samples, int width, int order)
    {
        ReadWarmUp(ref bits, samples, width, order);
        FlacResidual.Read(ref bits, samples, order);
        switch (order)
        {
            case 1:
                for (var i = 1; i < samples.Length; i++)
                {
                    samples[i] += samples[i - 1];
                }

                break;
            case 2:
                for (var i = 2; i < samples.Length; i++)
                {
                    samples[i] += (2 * samples[i - 1]) - samples[i - 2];
                }

                break;
            case 3:
                for (var i = 3; i < samples.Length; i++)
                {
                    samples[i] += (3 * (samples[i - 1] - samples[i - 2])) + samples[i - 3];
                }

                break;
            case 4:
                for (var i = 4; i < samples.Length; i++)
                {
                    samples[i] += (4 * (samples[i - 1] + samples[i - 3])) - (6 * samples[i - 2]) - samples[i - 4];
                }

                break;
        }
    }

    private static void DecodeLpc(ref FlacBitReader bits, Span<long> samples, int width, int order)
    {
        ReadWarmUp(ref bits, samples, width, order);
        var precision = (int)bits.ReadBits(4) + 1;
        if (precision == 16)
        {
            throw FlacErrors.Invalid("an LPC subframe uses the reserved coefficient precision");
        }

        var shift = bits.ReadSigned(5);
        if (shift < 0)
        {
            throw FlacErrors.Invalid("an LPC subframe has a negative shift");
        }

        Span<long> coefficients = stackalloc long[MaxLpcOrder];
        coefficients = coefficients[..order];
        for (var j = 0; j < order; j++)
        {
            coefficients[j] = bits.ReadSigned(precision);
        }

        FlacResidual.Read(ref bits, samples, order);
        for (var i = order; i < samples.Length; i++)
        {
            long sum = 0;
            var history = samples.Slice(i - order, order);
            for (var j = 0; j < order; j++)
            {
                sum += coefficients[j] * history[order - 1 - j];
            }

            samples[i] += sum >> shift;
        }
    }

    private static void ReadWarmUp(ref FlacBitReader bits, Span<long> samples, int width, int order)
    {
        if (order > samples.Length)
        {
            throw FlacErrors.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"a subframe's predictor order {order} exceeds its block size {samples.Length}"));
        }

        for (var i = 0; i < order; i++)
        {
            samples[i] = bits.ReadSigned64(width);
        }
    }
}
