using System.Buffers.Binary;
using System.Globalization;

namespace Hearsay.Core.Audio.Input.Vorbis;

/// <summary>The Vorbis identification header (Vorbis I specification section 4.2.2), checked before NVorbis sees it.</summary>
/// <param name="Channels">Audio channels, 1 to 255.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="ShortBlock">The short block size: every audio packet after the first yields at least half of it per channel.</param>
internal sealed record VorbisIdHeader(int Channels, int SampleRate, int ShortBlock)
{
    private const int Size = 30;

    /// <summary>Whether <paramref name="packet"/> starts like an identification header.</summary>
    public static bool Matches(ReadOnlySpan<byte> packet) => packet.StartsWith("\u0001vorbis"u8);

    /// <summary>Reads and checks the header.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a malformed header.</exception>
    public static VorbisIdHeader Parse(ReadOnlySpan<byte> packet)
    {
        if (!Matches(packet) || packet.Length < Size)
        {
            throw Invalid("it is too short or lacks its signature");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(packet[7..]);
        int channels = packet[11];
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(packet[12..]);
        var shortExponent = packet[28] & 15;
        var longExponent = packet[28] >> 4;
        if (version != 0 || channels == 0 || sampleRate is < WavParser.MinSampleRate or > WavParser.MaxSampleRate
            || shortExponent < 6 || longExponent > 13 || shortExponent > longExponent || (packet[29] & 1) == 0)
        {
            throw Invalid(string.Create(
                CultureInfo.InvariantCulture,
                $"version {version}, {channels} channels, {sampleRate} Hz and block sizes 2^{shortExponent} and 2^{longExponent} are not all valid"));
        }

        return new VorbisIdHeader(channels, (int)sampleRate, 1 << shortExponent);
    }

    private static HearsayException Invalid(string why) => new(HearsayErrorCode.InvalidInput, $"The Vorbis header is malformed: {why}.");
}
