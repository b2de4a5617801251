using NVorbis;

namespace Hearsay.Core.Audio.Input.Vorbis;

/// <summary>A packet from Hearsay's container readers, in the form NVorbis's decoder reads bits from.</summary>
internal sealed class VorbisPacket : DataPacket
{
    private readonly byte[] _data;
    private int _next;

    public VorbisPacket(ReadOnlySpan<byte> data, long endGranule, bool isLast)
    {
        _data = data.ToArray();
        GranulePosition = endGranule >= 0 ? endGranule : null;
        IsEndOfStream = isLast;
    }

    protected override int TotalBits => _data.Length * 8;

    protected override int ReadNextByte() => _next < _data.Length ? _data[_next++] : -1;

    public override void Reset()
    {
        base.Reset();
        _next = 0;
    }
}
