using System.Buffers.Binary;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Hearsay.Core.Audio.Input;

/// <summary>How a sample is stored.</summary>
internal enum PcmEncoding
{
    /// <summary>Unsigned 8-bit, 128 is silence.</summary>
    UnsignedInteger,

    /// <summary>Signed little-endian integers of 2, 3 or 4 bytes (valid bits, when fewer, sit in the high bits).</summary>
    SignedInteger,

    /// <summary>IEEE 754 little-endian, 4 or 8 bytes.</summary>
    Float,

    /// <summary>G.711 A-law, 1 byte.</summary>
    ALaw,

    /// <summary>G.711 µ-law, 1 byte.</summary>
    MuLaw,
}

/// <summary>Interleaved frames of <see cref="Channels"/> samples, each <see cref="BytesPerSample"/> bytes.</summary>
internal sealed record PcmLayout(PcmEncoding Encoding, int BytesPerSample, int Channels)
{
    public int BytesPerFrame => BytesPerSample * Channels;

    public override string ToString() => Encoding switch
    {
        PcmEncoding.UnsignedInteger => "8-bit unsigned PCM",
        PcmEncoding.SignedInteger => string.Create(CultureInfo.InvariantCulture, $"{BytesPerSample * 8}-bit PCM"),
        PcmEncoding.Float => string.Create(CultureInfo.InvariantCulture, $"{BytesPerSample * 8}-bit float"),
        PcmEncoding.ALaw => "A-law",
        _ => "µ-law",
    } + string.Create(CultureInfo.InvariantCulture, $", {Channels} channel(s)");

    /// <summary>
    /// Decodes <c>destination.Length</c> whole frames from <paramref name="source"/> into mono samples in [-1, 1],
    /// averaging the channels.
    /// </summary>
    public void DecodeMono(ReadOnlySpan<byte> source, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, destination.Length * BytesPerFrame, nameof(source));
        if (Channels == 1)
        {
            DecodeChannel(source, destination, stride: BytesPerSample);
            return;
        }

        // Channel by channel over short runs, so each inner loop stays a simple strided conversion.
        const int Run = 256;
        Span<float> scratch = stackalloc float[Run];
        var scale = 1f / Channels;
        for (var offset = 0; offset < destination.Length; offset += Run)
        {
            var frames = Math.Min(Run, destination.Length - offset);
            var output = destination.Slice(offset, frames);
            var input = source[(offset * BytesPerFrame)..];
            DecodeChannel(input, output, stride: BytesPerFrame);
            for (var channel = 1; channel < Channels; channel++)
            {
                DecodeChannel(input[(channel * BytesPerSample)..], scratch[..frames], stride: BytesPerFrame);
                for (var i = 0; i < frames; i++)
                {
                    output[i] += scratch[i];
                }
            }

            for (var i = 0; i < frames; i++)
            {
                output[i] *= scale;
            }
        }
    }

    private void DecodeChannel(ReadOnlySpan<byte> source, Span<float> destination, int stride)
    {
        switch (Encoding, BytesPerSample)
        {
            case (PcmEncoding.UnsignedInteger, 1):
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (source[i * stride] - 128) / 128f;
                }

                break;
            case (PcmEncoding.SignedInteger, 2) when stride == 2 && BitConverter.IsLittleEndian:
                // The common case (mono 16-bit) as two vectorized passes; the scale is a power of two, so exact.
                var values = MemoryMarshal.Cast<byte, short>(source[..(destination.Length * 2)]);
                TensorPrimitives.ConvertTruncating(values, destination);
                TensorPrimitives.Multiply(destination, 1f / 32768, destination);
                break;
            case (PcmEncoding.SignedInteger, 2):
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(i * stride)..]) / 32768f;
                }

                break;
            case (PcmEncoding.SignedInteger, 3):
                for (var i = 0; i < destination.Length; i++)
                {
                    var at = i * stride;
                    var value = (source[at] << 8) | (source[at + 1] << 16) | (source[at + 2] << 24);
                    destination[i] = value / 2147483648f;
                }

                break;
            case (PcmEncoding.SignedInteger, 4):
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(i * stride)..]) / 2147483648f;
                }

                break;
            case (PcmEncoding.Float, 4):
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = Sanitize(BinaryPrimitives.ReadSingleLittleEndian(source[(i * stride)..]));
                }

                break;
            case (PcmEncoding.Float, 8):
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = Sanitize((float)BinaryPrimitives.ReadDoubleLittleEndian(source[(i * stride)..]));
                }

                break;
            case (PcmEncoding.ALaw, 1):
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = G711.ALaw[source[i * stride]];
                }

                break;
            case (PcmEncoding.MuLaw, 1):
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = G711.MuLaw[source[i * stride]];
                }

                break;
            default:
                throw new InvalidOperationException($"No decoder for {this}.");
        }
    }

    // Float WAVs may hold values past full scale, or NaN; the readers promise [-1, 1] and a resampler must never see NaN.
    private static float Sanitize(float value) => float.IsNaN(value) ? 0f : Math.Clamp(value, -1f, 1f);

    /// <summary>G.711 expansion tables (ITU-T G.711), scaled to [-1, 1] like 16-bit PCM.</summary>
    private static class G711
    {
        public static readonly float[] ALaw = Build(DecodeALaw);
        public static readonly float[] MuLaw = Build(DecodeMuLaw);

        private static float[] Build(Func<byte, int> decode)
        {
            var table = new float[256];
            for (var i = 0; i < table.Length; i++)
            {
                table[i] = decode((byte)i) / 32768f;
            }

            return table;
        }

        private static int DecodeALaw(byte code)
        {
            var value = code ^ 0x55;
            var exponent = (value & 0x70) >> 4;
            var mantissa = value & 0x0F;
            var magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
            return (value & 0x80) != 0 ? magnitude : -magnitude;
        }

        private static int DecodeMuLaw(byte code)
        {
            var value = ~code & 0xFF;
            var exponent = (value & 0x70) >> 4;
            var mantissa = value & 0x0F;
            var magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
            return (value & 0x80) != 0 ? -magnitude : magnitude;
        }
    }
}
