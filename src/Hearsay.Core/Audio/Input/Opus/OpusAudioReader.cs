using Concentus;
using Concentus.Structs;

namespace Hearsay.Core.Audio.Input.Opus;

/// <summary>
/// Decodes Opus packets with Concentus (managed libopus) to mono at 48 kHz, applying the header's pre-skip and output
/// gain, and trimming the end where the container says the audio ends (Ogg's last granule position, Matroska's
/// DiscardPadding), so the sample count equals ffmpeg's.
/// </summary>
internal sealed class OpusAudioReader : PacketAudioReader
{
    /// <summary>The longest Opus packet: 120 ms at 48 kHz (RFC 6716 section 3.2.5).</summary>
    private const int MaxFrameSamples = 5760;

    private readonly IPacketSource _packets;
    private readonly OpusHead _head;
    private readonly OpusDecoder _decoder;
    private readonly float[] _decoded;
    private readonly float[] _mono = new float[MaxFrameSamples];
    private long _position;
    private int _toSkip;
    private bool _ended;

    public OpusAudioReader(IPacketSource packets, OpusHead head)
    {
        _packets = packets;
        _head = head;
        _toSkip = head.PreSkip;
        _decoded = new float[MaxFrameSamples];
        // The managed decoder, deliberately: OpusCodecFactory would load a native libopus when one happens to be
        // installed, so results would differ from machine to machine. It decodes a stereo stream straight to mono
        // (Opus's own downmix, the mean of the channels), which spares one channel's synthesis.
#pragma warning disable CS0618 // Obsolete only to steer callers to that factory.
        _decoder = new OpusDecoder(OpusHead.SampleRate, 1);
#pragma warning restore CS0618
    }

    public override int SampleRate => OpusHead.SampleRate;

    protected override async ValueTask<ReadOnlyMemory<float>?> DecodeNextAsync(CancellationToken cancellationToken)
    {
        if (_ended || await _packets.ReadAsync(cancellationToken).ConfigureAwait(false) is not { } packet)
        {
            return null;
        }

        _ended = packet.IsLast;
        var frames = Decode(packet.Data.Span);
        var count = frames;
        if (packet.IsLast && packet.EndGranule >= 0)
        {
            count = (int)Math.Clamp(packet.EndGranule - _position, 0, frames);
        }

        if (packet.DiscardPaddingNs > 0)
        {
            count -= (int)Math.Min(count, packet.DiscardPaddingNs * OpusHead.SampleRate / 1_000_000_000L);
        }

        _position += frames;
        var skipped = Math.Min(_toSkip, count);
        _toSkip -= skipped;
        var length = count - skipped;
        MixToMono(_decoded.AsSpan(skipped, length), 1, _head.OutputGain, _mono.AsSpan(0, length));
        return _mono.AsMemory(0, length);
    }

    private int Decode(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, "The Opus audio holds an empty packet.");
        }

        try
        {
            return _decoder.Decode(packet, _decoded, MaxFrameSamples, false);
        }
        catch (OpusException e)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, $"The Opus audio holds a packet that cannot be decoded ({e.Message}).", e);
        }
    }
}
