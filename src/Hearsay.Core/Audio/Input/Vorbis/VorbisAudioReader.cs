using NVorbis;

namespace Hearsay.Core.Audio.Input.Vorbis;

/// <summary>
/// Decodes Vorbis packets with NVorbis's stream decoder to mono at the stream's rate. NVorbis trims the end at Ogg's
/// last granule position, as ffmpeg does.
/// </summary>
internal sealed class VorbisAudioReader : PacketAudioReader
{
    /// <summary>Packets read ahead: each one after the first yields at least half a short block.</summary>
    private const int ReadAhead = 8;

    private readonly IPacketSource _packets;
    private readonly VorbisIdHeader _id;
    private readonly VorbisPacketQueue _queue;
    private readonly StreamDecoder _decoder;
    private readonly float[] _interleaved;
    private readonly float[] _mono;
    private long _position;
    private long? _endPosition;

    private VorbisAudioReader(IPacketSource packets, VorbisIdHeader id, VorbisPacketQueue queue, StreamDecoder decoder)
    {
        _packets = packets;
        _id = id;
        _queue = queue;
        _decoder = decoder;
        var perCall = ReadAhead * id.ShortBlock / 2;
        _interleaved = new float[perCall * id.Channels];
        _mono = new float[perCall];
    }

    public override int SampleRate => _id.SampleRate;

    /// <summary>Sets up the decoder from the three header packets; <paramref name="packets"/> then gives the audio packets.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> when a header is missing or malformed.</exception>
    public static VorbisAudioReader Create(IPacketSource packets, ReadOnlySpan<byte> identification, ReadOnlySpan<byte> comment, ReadOnlySpan<byte> setup)
    {
        var id = VorbisIdHeader.Parse(identification);
        if (!comment.StartsWith("\u0003vorbis"u8) || !setup.StartsWith("\u0005vorbis"u8))
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, "The Vorbis audio lacks its comment or setup header.");
        }

        VorbisCodebookBudget.Check(setup);
        var queue = new VorbisPacketQueue();
        queue.Enqueue(new VorbisPacket(identification, -1, false));
        queue.Enqueue(new VorbisPacket(comment, -1, false));
        queue.Enqueue(new VorbisPacket(setup, -1, false));
        var decoder = Guard(() => new StreamDecoder(queue));
        return new VorbisAudioReader(packets, id, queue, decoder);
    }

    protected override async ValueTask<ReadOnlyMemory<float>?> DecodeNextAsync(CancellationToken cancellationToken)
    {
        while (_queue.Count < ReadAhead && !_queue.SourceEnded)
        {
            if (await _packets.ReadAsync(cancellationToken).ConfigureAwait(false) is not { } packet)
            {
                _queue.EndSource();
                break;
            }

            _queue.Enqueue(new VorbisPacket(packet.Data.Span, packet.EndGranule, packet.IsLast));
            if (packet.IsLast)
            {
                _endPosition = packet.EndGranule >= 0 ? packet.EndGranule : null;
                _queue.EndSource();
            }
        }

        // Ask for no more than the queued packets surely hold, less one kept back: the decoder must never mistake "not
        // read yet" for the end, and the last packet must still be queued when the end is found, to be flagged so.
        var frames = _queue.SourceEnded ? _mono.Length : (_queue.Count - 2) * _id.ShortBlock / 2;
        var read = Guard(() => _decoder.Read(_interleaved, 0, frames * _id.Channels)) / _id.Channels;
        if (_queue.Starved)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, "The Vorbis audio holds packets that cannot be decoded.");
        }

        if (_endPosition is { } end)
        {
            // Ogg's last granule position is where the audio ends (NVorbis 0.10.5 does not always stop there).
            read = (int)Math.Clamp(end - _position, 0, read);
        }

        _position += read;
        if (read == 0 && _queue.SourceEnded)
        {
            return null;
        }

        MixToMono(_interleaved.AsSpan(0, read * _id.Channels), _id.Channels, 1f, _mono.AsSpan(0, read));
        return _mono.AsMemory(0, read);
    }

    /// <summary>
    /// Runs NVorbis, turning what it throws on malformed data into Hearsay's error: besides its own InvalidDataException,
    /// out-of-range indexes, null references and a division by zero (found by the fuzz target) from headers it does not check.
    /// </summary>
    private static T Guard<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or InvalidOperationException
                                      or ArithmeticException or NullReferenceException or NotSupportedException)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, $"The Vorbis audio is malformed ({e.Message}).", e);
        }
    }
}
