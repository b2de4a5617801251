using System.Buffers.Binary;

namespace Hearsay.Core.Audio;

/// <summary>Conversion of float samples to 16-bit little-endian PCM.</summary>
public static class Pcm16
{
    /// <summary>Bytes per 16-bit sample.</summary>
    public const int BytesPerSample = 2;

    /// <summary>
    /// Writes <paramref name="samples"/> as 16-bit little-endian PCM, clamping to [-1, 1] and scaling by 32767
    /// (as Piper does, so -1.0 maps to -32767 and the scale is symmetric).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than two bytes per sample.</exception>
    public static void Write(ReadOnlySpan<float> samples, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, samples.Length * BytesPerSample, nameof(destination));
        for (var i = 0; i < samples.Length; i++)
        {
            var scaled = Math.Clamp(samples[i], -1f, 1f) * short.MaxValue;
            BinaryPrimitives.WriteInt16LittleEndian(destination[(i * BytesPerSample)..], (short)MathF.Round(scaled));
        }
    }
}
