using System.Buffers.Binary;

namespace Hearsay.Core.Audio;

/// <summary>The 44-byte canonical RIFF/WAVE header for 16-bit mono PCM.</summary>
public static class WavHeader
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 44;

    /// <summary>
    /// The size field value used when the length is unknown (streaming to a pipe). Readers such as sox and
    /// ffmpeg then read until the end of the stream.
    /// </summary>
    public const uint UnknownLength = uint.MaxValue;

    /// <summary>Writes the header for <paramref name="dataBytes"/> bytes of PCM, or an unknown length when null.</summary>
    public static void Write(Span<byte> destination, int sampleRate, long? dataBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        const short channels = 1;
        const short bitsPerSample = 16;
        const short blockAlign = channels * bitsPerSample / 8;

        var dataSize = dataBytes is { } known ? checked((uint)known) : UnknownLength;
        var riffSize = dataBytes is { } n ? checked((uint)(n + Size - 8)) : UnknownLength;

        "RIFF"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], riffSize);
        "WAVE"u8.CopyTo(destination[8..]);
        "fmt "u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(destination[20..], 1); // WAVE_FORMAT_PCM
        BinaryPrimitives.WriteInt16LittleEndian(destination[22..], channels);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], sampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(destination[32..], blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(destination[34..], bitsPerSample);
        "data"u8.CopyTo(destination[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], dataSize);
    }
}
