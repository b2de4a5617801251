using System.Globalization;

namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>What a FLAC stream's STREAMINFO block says (RFC 9639 §8.2), checked to be within the format's limits.</summary>
/// <param name="MaxBlockSize">The most samples per channel in one frame (16 to 65535); frames larger are refused.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Channels">1 to 8.</param>
/// <param name="BitsPerSample">4 to 32.</param>
internal sealed record FlacStreamInfo(int MaxBlockSize, int SampleRate, int Channels, int BitsPerSample)
{
    public const int Length = 34;

    /// <summary>
    /// The most bytes one frame may take: its uncompressed size (a side channel has one bit more) twice over plus room
    /// for headers. Encoders fall back to verbatim subframes long before this, so only a corrupt frame exceeds it.
    /// </summary>
    public int MaxFrameBytes => (int)Math.Min(int.MaxValue, 2L * MaxBlockSize * Channels * (BitsPerSample + 1) / 8 + 4096);

    /// <summary>Parses the 34-byte block body.</summary>
    public static FlacStreamInfo Parse(ReadOnlySpan<byte> body)
    {
        var bits = new FlacBitReader(body[..Length]);
        var minBlockSize = (int)bits.ReadBits(16);
        var maxBlockSize = (int)bits.ReadBits(16);
        bits.ReadBits(24); // minimum frame size
        bits.ReadBits(24); // maximum frame size: 0 for unknown, and not trusted anyway
        var sampleRate = (int)bits.ReadBits(20);
        var channels = (int)bits.ReadBits(3) + 1;
        var bitsPerSample = (int)bits.ReadBits(5) + 1;

        if (maxBlockSize < 16 || minBlockSize > maxBlockSize)
        {
            throw FlacErrors.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"its block sizes ({minBlockSize} to {maxBlockSize} samples) are impossible"));
        }

        if (sampleRate is < WavParser.MinSampleRate or > WavParser.MaxSampleRate)
        {
            throw FlacErrors.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"its sample rate, {sampleRate} Hz, is outside {WavParser.MinSampleRate} to {WavParser.MaxSampleRate} Hz"));
        }

        if (bitsPerSample < 4)
        {
            throw FlacErrors.Invalid(string.Create(CultureInfo.InvariantCulture, $"it has {bitsPerSample} bits per sample (4 to 32 are valid)"));
        }

        return new FlacStreamInfo(maxBlockSize, sampleRate, channels, bitsPerSample);
    }
}
