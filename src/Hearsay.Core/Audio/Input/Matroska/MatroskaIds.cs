namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>The EBML and Matroska element IDs Hearsay reads (Matroska specification, RFC 9559), marker bits included.</summary>
internal static class MatroskaIds
{
    public const uint EbmlHeader = 0x1A45DFA3;
    public const uint Segment = 0x18538067;
    public const uint Cluster = 0x1F43B675;
    public const uint Tracks = 0x1654AE6B;
    public const uint TrackEntry = 0xAE;
    public const uint TrackNumber = 0xD7;
    public const uint CodecId = 0x86;
    public const uint CodecPrivate = 0x63A2;
    public const uint ContentEncodings = 0x6D80;
    public const uint Audio = 0xE1;
    public const uint Channels = 0x9F;
    public const uint SamplingFrequency = 0xB5;
    public const uint SimpleBlock = 0xA3;
    public const uint BlockGroup = 0xA0;
    public const uint Block = 0xA1;
    public const uint DiscardPadding = 0x75A2;
}
