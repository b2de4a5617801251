namespace Hearsay.Core.Audio.Input;

/// <summary>One compressed packet of the chosen audio track, as a container hands it to a codec.</summary>
/// <param name="Data">The packet; valid until the source's next read.</param>
/// <param name="EndGranule">
/// Ogg's granule position at the end of this packet (for Opus, 48 kHz samples counted from the start, pre-skip
/// included), when its page gives one; -1 when unknown.
/// </param>
/// <param name="IsLast">The container says no packet follows (Ogg's end-of-stream page).</param>
/// <param name="DiscardPaddingNs">Matroska's DiscardPadding: nanoseconds of decoded audio to drop at the packet's end.</param>
internal readonly record struct EncodedPacket(ReadOnlyMemory<byte> Data, long EndGranule, bool IsLast, long DiscardPaddingNs);

/// <summary>The packets of one audio track, in order, read from a forward-only container.</summary>
internal interface IPacketSource
{
    /// <summary>The next packet; null at the end of the track.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a malformed container.</exception>
    ValueTask<EncodedPacket?> ReadAsync(CancellationToken cancellationToken);
}
