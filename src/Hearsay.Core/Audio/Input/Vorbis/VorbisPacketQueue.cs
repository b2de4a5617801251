using NVorbis.Contracts;

namespace Hearsay.Core.Audio.Input.Vorbis;

/// <summary>
/// The packets read ahead for NVorbis, whose decoder pulls them synchronously: <see cref="VorbisAudioReader"/> fills
/// the queue asynchronously and asks for no more samples than the queued packets hold, so the decoder only finds the
/// queue empty at the real end, or when packets yield nothing (then <see cref="Starved"/> says so).
/// </summary>
internal sealed class VorbisPacketQueue : IPacketProvider
{
    private readonly Queue<VorbisPacket> _packets = new();
    private VorbisPacket? _newest;

    /// <summary>No packet follows those queued.</summary>
    public bool SourceEnded { get; private set; }

    /// <summary>The decoder asked for a packet the queue did not have before the source ended.</summary>
    public bool Starved { get; private set; }

    public int Count => _packets.Count;

    public bool CanSeek => false;

    public int StreamSerial => 0;

    public void Enqueue(VorbisPacket packet)
    {
        _packets.Enqueue(packet);
        _newest = packet;
    }

    /// <summary>
    /// Records that the source has ended and flags the newest packet as the last: NVorbis then stops after it, where
    /// finding no packet would make it also output the last block's overlap tail, which ffmpeg does not.
    /// </summary>
    public void EndSource()
    {
        SourceEnded = true;
        if (_newest is not null)
        {
            _newest.IsEndOfStream = true;
        }
    }

    public IPacket? GetNextPacket() => Take(_packets.TryDequeue(out var packet) ? packet : null);

    public IPacket? PeekNextPacket() => Take(_packets.TryPeek(out var packet) ? packet : null);

    public long SeekTo(long granulePos, int preRoll, GetPacketGranuleCount getPacketGranuleCount) =>
        throw new NotSupportedException("Hearsay reads Vorbis forward only.");

    public long GetGranuleCount() => throw new NotSupportedException("Hearsay reads Vorbis forward only.");

    private VorbisPacket? Take(VorbisPacket? packet)
    {
        Starved |= packet is null && !SourceEnded;
        return packet;
    }
}
