using System.Buffers.Binary;
using Hearsay.Core.Audio.Ogg;

namespace Hearsay.Core.Tests.Audio;

/// <summary>Builds Ogg pages byte by byte, for inputs no encoder would write.</summary>
internal sealed class OggBytes
{
    private readonly List<byte> _bytes = [];
    private uint _sequence;

    /// <summary>Appends one page holding <paramref name="packets"/>, each ended; <paramref name="lacing"/> overrides the lacing values.</summary>
    public OggBytes Page(byte flags, long granule, byte[][] packets, byte[]? lacing = null, uint serial = 1)
    {
        var lacingValues = lacing ?? [.. packets.SelectMany(LacingOf)];
        var payload = packets.SelectMany(p => p).ToArray();
        var page = new byte[OggPage.HeaderSize + lacingValues.Length + payload.Length];
        "OggS"u8.CopyTo(page);
        page[5] = flags;
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), _sequence++);
        page[26] = (byte)lacingValues.Length;
        lacingValues.CopyTo(page, OggPage.HeaderSize);
        payload.CopyTo(page, OggPage.HeaderSize + lacingValues.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Update(0, page));
        _bytes.AddRange(page);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private static IEnumerable<byte> LacingOf(byte[] packet)
    {
        var rest = packet.Length;
        for (; rest >= 255; rest -= 255)
        {
            yield return 255;
        }

        yield return (byte)rest;
    }
}
