namespace Hearsay.Core.Audio.Ogg;

/// <summary>
/// One Ogg page (RFC 3533 section 6) as <see cref="OggPageReader"/> read it: its header fields, lacing values and
/// payload. The buffers are reused for the next page.
/// </summary>
internal sealed class OggPage
{
    /// <summary>The largest page: 27 header bytes, 255 lacing values, 255 segments of 255 bytes.</summary>
    public const int MaxSize = HeaderSize + 255 + (255 * 255);

    public const int HeaderSize = 27;

    private const byte ContinuedFlag = 0x01;
    private const byte FirstFlag = 0x02;
    private const byte LastFlag = 0x04;

    private readonly byte[] _lacing = new byte[255];
    private readonly byte[] _payload = new byte[255 * 255];

    public byte HeaderType { get; private set; }

    /// <summary>The stream's position at the end of the last packet that ends on this page; -1 when none does.</summary>
    public long GranulePosition { get; private set; }

    public uint Serial { get; private set; }

    public uint Sequence { get; private set; }

    /// <summary>The page continues a packet begun on an earlier page.</summary>
    public bool IsContinued => (HeaderType & ContinuedFlag) != 0;

    /// <summary>The first page of its logical stream.</summary>
    public bool IsFirst => (HeaderType & FirstFlag) != 0;

    /// <summary>The last page of its logical stream.</summary>
    public bool IsLast => (HeaderType & LastFlag) != 0;

    /// <summary>Segment sizes; a value below 255 ends a packet.</summary>
    public ReadOnlySpan<byte> Lacing => _lacing.AsSpan(0, LacingCount);

    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, PayloadSize);

    private int LacingCount { get; set; }

    private int PayloadSize { get; set; }

    internal void Set(byte headerType, long granule, uint serial, uint sequence, ReadOnlySpan<byte> lacing, ReadOnlySpan<byte> payload)
    {
        HeaderType = headerType;
        GranulePosition = granule;
        Serial = serial;
        Sequence = sequence;
        lacing.CopyTo(_lacing);
        payload.CopyTo(_payload);
        LacingCount = lacing.Length;
        PayloadSize = payload.Length;
    }
}
