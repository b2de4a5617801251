using System.Buffers.Binary;

namespace Hearsay.Core.Audio.Ogg;

/// <summary>
/// Collects the packets of one logical Ogg stream into pages (RFC 3533 section 6) and hands each page out as bytes with
/// its checksum. Packets are at most <see cref="MaxPacketBytes"/> here, so none spans pages.
/// </summary>
internal sealed class OggPageWriter(uint serial)
{
    /// <summary>The largest packet accepted: 16 lacing values, far above an Opus packet of 20 ms (at most 1275 bytes).</summary>
    public const int MaxPacketBytes = (16 * 255) - 1;

    private const byte FirstFlag = 0x02;
    private const byte LastFlag = 0x04;

    private readonly byte[] _lacing = new byte[255];
    private readonly byte[] _payload = new byte[255 * 255];
    private int _payloadLength;
    private int _lacingCount;
    private uint _sequence;
    private long _granule = -1;

    /// <summary>Packets waiting for the next page.</summary>
    public int PendingPackets { get; private set; }

    /// <summary>Whether <paramref name="size"/> more bytes still fit on the current page.</summary>
    public bool Fits(int size) => _lacingCount + (size / 255) + 1 <= _lacing.Length;

    /// <summary>Adds a packet to the current page.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="granule">The stream position at its end (for Opus, 48 kHz samples, pre-skip included).</param>
    public void Add(ReadOnlySpan<byte> packet, long granule)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packet.Length, MaxPacketBytes);
        if (!Fits(packet.Length))
        {
            throw new InvalidOperationException("The page is full: write it first.");
        }

        for (var rest = packet.Length; ; rest -= 255)
        {
            _lacing[_lacingCount++] = (byte)Math.Min(rest, 255);
            if (rest < 255)
            {
                break;
            }
        }

        packet.CopyTo(_payload.AsSpan(_payloadLength));
        _payloadLength += packet.Length;
        _granule = granule;
        PendingPackets++;
    }

    /// <summary>Writes the pending packets as one page; the first page of the stream is flagged as such.</summary>
    /// <param name="output">Where the page goes.</param>
    /// <param name="isLast">The stream's last page.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    public async ValueTask WritePageAsync(Stream output, bool isLast, CancellationToken cancellationToken)
    {
        var page = new byte[OggPage.HeaderSize + _lacingCount + _payloadLength];
        "OggS"u8.CopyTo(page);
        page[5] = (byte)((_sequence == 0 ? FirstFlag : 0) | (isLast ? LastFlag : 0));
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), _granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), _sequence++);
        page[26] = (byte)_lacingCount;
        _lacing.AsSpan(0, _lacingCount).CopyTo(page.AsSpan(OggPage.HeaderSize));
        _payload.AsSpan(0, _payloadLength).CopyTo(page.AsSpan(OggPage.HeaderSize + _lacingCount));
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Update(0, page));
        _lacingCount = 0;
        _payloadLength = 0;
        PendingPackets = 0;
        await output.WriteAsync(page, cancellationToken).ConfigureAwait(false);
    }
}
