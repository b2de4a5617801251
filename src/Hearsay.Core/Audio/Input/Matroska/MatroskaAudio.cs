using Hearsay.Core.Audio.Input.Opus;
using Hearsay.Core.Audio.Input.Vorbis;
using Hearsay.Core.Audio.Ogg;

namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>Opens the first Opus or Vorbis track of a WebM/Matroska file; other tracks are skipped.</summary>
internal static class MatroskaAudio
{
    /// <summary>Reads the EBML header and the Segment up to its Tracks; returns the track's decoder and a description for the log.</summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.UnsupportedFormat"/> when no track is Opus or Vorbis (AAC, video only...), naming the
    /// codecs; <see cref="HearsayErrorCode.InvalidInput"/> for malformed or cut-short elements.
    /// </exception>
    public static async ValueTask<(MonoAudioReader Reader, string Description)> OpenAsync(BufferedInput input, CancellationToken cancellationToken)
    {
        var reader = new EbmlStreamReader(input);
        var header = await ReadExpectedAsync(reader, MatroskaIds.EbmlHeader, "an EBML header", cancellationToken).ConfigureAwait(false);
        await reader.SkipBodyAsync(MatroskaIds.EbmlHeader, header, cancellationToken).ConfigureAwait(false);
        var segmentSize = await ReadExpectedAsync(reader, MatroskaIds.Segment, "a Segment after the EBML header", cancellationToken).ConfigureAwait(false);
        long? segmentEnd = segmentSize == EbmlVarInt.UnknownSize ? null : reader.Position + segmentSize;

        while (await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false) is var (id, size))
        {
            switch (id)
            {
                case MatroskaIds.Tracks:
                    var tracks = MatroskaTrack.ParseAll((await reader.ReadBodyAsync(id, size, cancellationToken).ConfigureAwait(false)).Span);
                    return Open(tracks, new MatroskaDemuxer(reader, ChooseTrack(tracks).Number, segmentEnd));
                case MatroskaIds.Cluster or MatroskaIds.SimpleBlock or MatroskaIds.BlockGroup:
                    throw Invalid("its audio starts before its Tracks say what it is");
                default:
                    await reader.SkipBodyAsync(id, size, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        throw Invalid("it ends before its Tracks");
    }

    /// <summary>The error for malformed Matroska, in plain words.</summary>
    internal static HearsayException Invalid(string why) => new(HearsayErrorCode.InvalidInput, $"The WebM/Matroska audio is malformed: {why}.");

    private static async ValueTask<long> ReadExpectedAsync(EbmlStreamReader reader, uint expected, string what, CancellationToken cancellationToken) =>
        await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false) is var (id, size) && id == expected
            ? size
            : throw Invalid($"it lacks {what}");

    private static MatroskaTrack ChooseTrack(List<MatroskaTrack> tracks) =>
        tracks.Find(track => track.IsReadInProcess && !track.IsEncoded)
        ?? throw new HearsayException(
            HearsayErrorCode.UnsupportedFormat,
            $"This WebM/Matroska file holds no Opus or Vorbis audio that Hearsay reads ({(tracks.Count == 0 ? "no tracks" : string.Join(", ", tracks.Select(Name)))}).");

    private static string Name(MatroskaTrack track) => track.IsEncoded ? track.CodecId + " (compressed or encrypted)" : track.CodecId;

    private static (MonoAudioReader, string) Open(List<MatroskaTrack> tracks, MatroskaDemuxer demuxer)
    {
        var track = tracks.Find(t => t.Number == demuxer.Track)!;
        if (track.CodecId == MatroskaTrack.Opus)
        {
            var head = OpusHead.Parse(track.CodecPrivate);
            return (new OpusAudioReader(demuxer, head), OggAudio.Describe("WebM Opus", head.Channels, OpusHead.SampleRate));
        }

        var headers = XiphHeaders(track.CodecPrivate);
        var vorbis = VorbisAudioReader.Create(demuxer, headers[0].Span, headers[1].Span, headers[2].Span);
        return (vorbis, OggAudio.Describe("WebM Vorbis", headers[0].Span[11], vorbis.SampleRate));
    }

    /// <summary>Vorbis's CodecPrivate: the three headers, Xiph-laced behind a count byte of 2.</summary>
    private static ReadOnlyMemory<byte>[] XiphHeaders(byte[] codecPrivate)
    {
        if (codecPrivate.Length < 3 || codecPrivate[0] != 2)
        {
            throw Invalid("its Vorbis track's CodecPrivate does not hold three headers");
        }

        var position = 1;
        int[] sizes = [MatroskaBlock.XiphSize(codecPrivate, ref position), MatroskaBlock.XiphSize(codecPrivate, ref position)];
        if (sizes[0] + sizes[1] > codecPrivate.Length - position)
        {
            throw Invalid("its Vorbis track's CodecPrivate is cut short");
        }

        var memory = codecPrivate.AsMemory(position);
        return [memory[..sizes[0]], memory.Slice(sizes[0], sizes[1]), memory[(sizes[0] + sizes[1])..]];
    }
}
