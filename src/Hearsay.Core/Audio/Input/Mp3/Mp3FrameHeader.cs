namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>The 4-byte header of an MPEG audio frame (ISO/IEC 11172-3 §2.4.2.3, 13818-3, and MPEG-2.5).</summary>
internal readonly record struct Mp3FrameHeader(
    MpegVersion Version,
    MpegLayer Layer,
    int BitRateIndex,
    int SampleRateIndex,
    bool HasCrc,
    bool Padding,
    MpegChannelMode ChannelMode,
    int ChannelModeExtension,
    bool IsCopyrighted)
{
    public const int Length = 4;

    /// <summary>The longest frame a standard bit rate gives: MPEG-2.5 Layer II at 160 kbit/s and 8 kHz, padded.</summary>
    public const int MaxFrameLength = 2881;

    // Bit rates in kbit/s by [table, index]: MPEG-1 Layers I, II, III; MPEG-2/2.5 Layer I; MPEG-2/2.5 Layers II and III.
    private static readonly short[,] BitRates =
    {
        { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 },
        { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 },
        { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 },
        { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 },
        { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },
    };

    private static readonly int[] Mpeg1SampleRates = [44100, 48000, 32000];

    public int SampleRate => Mpeg1SampleRates[SampleRateIndex] >> (Version switch
    {
        MpegVersion.Version1 => 0,
        MpegVersion.Version2 => 1,
        _ => 2,
    });

    /// <summary>Bits per second; 0 for free format.</summary>
    public int BitRate => 1000 * BitRates[
        (Version, Layer) switch
        {
            (MpegVersion.Version1, MpegLayer.LayerI) => 0,
            (MpegVersion.Version1, MpegLayer.LayerII) => 1,
            (MpegVersion.Version1, _) => 2,
            (_, MpegLayer.LayerI) => 3,
            _ => 4,
        },
        BitRateIndex];

    /// <summary>A free-format frame: its bit rate, and so its length, is not in the header.</summary>
    public bool IsFreeFormat => BitRateIndex == 0;

    public int Channels => ChannelMode == MpegChannelMode.Mono ? 1 : 2;

    public int SamplesPerFrame => Layer switch
    {
        MpegLayer.LayerI => 384,
        MpegLayer.LayerIII when Version != MpegVersion.Version1 => 576,
        _ => 1152,
    };

    /// <summary>The whole frame's length in bytes, header included (not for free format).</summary>
    public int FrameLength => Layer == MpegLayer.LayerI
        ? ((12 * BitRate / SampleRate) + (Padding ? 1 : 0)) * 4
        : (SamplesPerFrame / 8 * BitRate / SampleRate) + (Padding ? 1 : 0);

    /// <summary>Reads a header from the first 4 bytes; false unless they hold a sync word and no reserved values.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out Mp3FrameHeader header)
    {
        header = default;
        if (data.Length < Length || data[0] != 0xFF || (data[1] & 0xE0) != 0xE0)
        {
            return false;
        }

        var version = ((data[1] >> 3) & 3) switch
        {
            0 => MpegVersion.Version25,
            2 => MpegVersion.Version2,
            3 => MpegVersion.Version1,
            _ => MpegVersion.Unknown,
        };
        var layer = ((data[1] >> 1) & 3) switch
        {
            1 => MpegLayer.LayerIII,
            2 => MpegLayer.LayerII,
            3 => MpegLayer.LayerI,
            _ => MpegLayer.Unknown,
        };
        var bitRateIndex = data[2] >> 4;
        var sampleRateIndex = (data[2] >> 2) & 3;
        if (version == MpegVersion.Unknown || layer == MpegLayer.Unknown || bitRateIndex == 15 || sampleRateIndex == 3)
        {
            return false;
        }

        header = new Mp3FrameHeader(
            version,
            layer,
            bitRateIndex,
            sampleRateIndex,
            HasCrc: (data[1] & 1) == 0,
            Padding: ((data[2] >> 1) & 1) != 0,
            ChannelMode: (MpegChannelMode)(data[3] >> 6),
            ChannelModeExtension: (data[3] >> 4) & 3,
            IsCopyrighted: ((data[3] >> 3) & 1) != 0);
        return true;
    }

    /// <summary>True when <paramref name="other"/> can follow this frame in one stream (same version, layer and rate).</summary>
    public bool Continues(Mp3FrameHeader other) =>
        other.Version == Version && other.Layer == Layer && other.SampleRateIndex == SampleRateIndex;
}
