using System.Buffers.Binary;
using System.Globalization;

namespace Hearsay.Core.Audio.Input.Opus;

/// <summary>
/// The Opus identification header (RFC 7845 section 5.1), the first packet of an Ogg Opus stream and the CodecPrivate
/// of Matroska's <c>A_OPUS</c> track.
/// </summary>
/// <param name="Channels">Output channels: 1 or 2 (more are refused: see <see cref="Parse"/>).</param>
/// <param name="PreSkip">48 kHz samples to drop from the start of the decoded audio (the encoder's delay).</param>
/// <param name="OutputGain">Linear factor from the Q7.8 dB gain to apply to every sample.</param>
internal sealed record OpusHead(int Channels, int PreSkip, float OutputGain)
{
    /// <summary>Opus always decodes at 48 kHz whatever rate the encoder was fed (which the header only records).</summary>
    public const int SampleRate = 48000;

    /// <summary>The size of a mapping-family-0 header, as <see cref="Write"/> makes it.</summary>
    public const int MinSize = 19;

    /// <summary>Whether <paramref name="packet"/> starts like an identification header.</summary>
    public static bool Matches(ReadOnlySpan<byte> packet) => packet.StartsWith("OpusHead"u8);

    /// <summary>Reads and checks the header.</summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> for a malformed header; <see cref="HearsayErrorCode.UnsupportedFormat"/>
    /// for a newer major version or more than two channels (surround, which ffmpeg reads when it is there).
    /// </exception>
    public static OpusHead Parse(ReadOnlySpan<byte> packet)
    {
        if (!Matches(packet) || packet.Length < MinSize)
        {
            throw Invalid("it is too short or lacks its \"OpusHead\" signature");
        }

        var version = packet[8];
        if (version >> 4 != 0)
        {
            throw Unsupported(string.Create(CultureInfo.InvariantCulture, $"its version {version >> 4}.{version & 15} is newer than 0.x"));
        }

        int channels = packet[9];
        if (channels == 0)
        {
            throw Invalid("it declares 0 channels");
        }

        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(packet[10..]);
        var gainQ8 = BinaryPrimitives.ReadInt16LittleEndian(packet[16..]);
        var family = packet[18];
        if (family != 0 && !IsPlainMonoOrStereo(packet, channels))
        {
            throw Unsupported(string.Create(CultureInfo.InvariantCulture, $"it has {channels} channels in mapping family {family}; Hearsay decodes mono and stereo Opus"));
        }

        if (family == 0 && channels > 2)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"it declares {channels} channels in mapping family 0, which allows 1 or 2"));
        }

        return new OpusHead(channels, preSkip, MathF.Pow(10f, gainQ8 / (20f * 256f)));
    }

    /// <summary>Writes a mapping-family-0 header (mono or stereo) with no output gain.</summary>
    /// <param name="destination">At least <see cref="MinSize"/> bytes.</param>
    /// <param name="channels">1 or 2.</param>
    /// <param name="preSkip">48 kHz samples the decoder drops from the start.</param>
    /// <param name="inputSampleRate">The rate the audio had before encoding, for information only.</param>
    public static void Write(Span<byte> destination, int channels, int preSkip, int inputSampleRate)
    {
        "OpusHead"u8.CopyTo(destination);
        destination[8] = 1;
        destination[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(destination[16..], 0);
        destination[18] = 0;
    }

    /// <summary>Family 1 (or another) describing one stream of one or two channels in order: the same as family 0.</summary>
    private static bool IsPlainMonoOrStereo(ReadOnlySpan<byte> packet, int channels) =>
        channels <= 2 && packet.Length >= MinSize + 2 + channels
        && packet[19] == 1 && packet[20] == channels - 1
        && packet[21] == 0 && (channels == 1 || packet[22] == 1);

    private static HearsayException Invalid(string why) => new(HearsayErrorCode.InvalidInput, $"The Opus header is malformed: {why}.");

    private static HearsayException Unsupported(string why) => new(HearsayErrorCode.UnsupportedFormat, $"This Opus stream is not read in-process: {why}.");
}
