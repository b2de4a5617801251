using Hearsay.Core.Audio.Input;
using Hearsay.Core.Audio.Input.Opus;
using Hearsay.Core.Audio.Input.Vorbis;

namespace Hearsay.Core.Audio.Ogg;

/// <summary>Opens the first Opus or Vorbis stream of an Ogg file (RFC 7845; Vorbis I section A).</summary>
internal static class OggAudio
{
    /// <summary>Reads the stream's headers and returns its decoder and a description for the log.</summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.UnsupportedFormat"/> when the file holds no Opus or Vorbis stream (FLAC, Speex,
    /// video...), naming what it holds; <see cref="HearsayErrorCode.InvalidInput"/> for malformed pages or headers.
    /// </exception>
    public static async ValueTask<(MonoAudioReader Reader, string Description)> OpenAsync(BufferedInput input, CancellationToken cancellationToken)
    {
        var (packets, found) = await OggPacketReader.OpenAsync(
            input, static first => OpusHead.Matches(first) || VorbisIdHeader.Matches(first), NameStream, cancellationToken).ConfigureAwait(false);
        if (packets is null)
        {
            throw new HearsayException(HearsayErrorCode.UnsupportedFormat, $"This Ogg file holds no Opus or Vorbis audio ({found}).");
        }

        var first = await NextHeaderAsync(packets, cancellationToken).ConfigureAwait(false);
        if (OpusHead.Matches(first.Span))
        {
            var head = OpusHead.Parse(first.Span);
            // OpusTags carries nothing the decoder needs; it only has to be there.
            if (!(await NextHeaderAsync(packets, cancellationToken).ConfigureAwait(false)).Span.StartsWith("OpusTags"u8))
            {
                throw new HearsayException(HearsayErrorCode.InvalidInput, "The Ogg Opus stream lacks its OpusTags header.");
            }

            return (new OpusAudioReader(packets, head), Describe("Ogg Opus", head.Channels, OpusHead.SampleRate));
        }

        var identification = first.ToArray();
        var comment = (await NextHeaderAsync(packets, cancellationToken).ConfigureAwait(false)).ToArray();
        var setup = await NextHeaderAsync(packets, cancellationToken).ConfigureAwait(false);
        var vorbis = VorbisAudioReader.Create(packets, identification, comment, setup.Span);
        return (vorbis, Describe("Ogg Vorbis", identification[11], vorbis.SampleRate));
    }

    /// <summary>Names a codec by its first packet, for the message when none is read in-process.</summary>
    internal static string NameStream(ReadOnlySpan<byte> first) => first switch
    {
        _ when first.StartsWith("\u007fFLAC"u8) => "FLAC",
        _ when first.StartsWith("Speex   "u8) => "Speex",
        _ when first.StartsWith("\u0080theora"u8) => "Theora video",
        _ when first.StartsWith("fishead\0"u8) => "a Skeleton index",
        _ => "an unknown codec",
    };

    internal static string Describe(string format, int channels, int sampleRate) =>
        FormattableString.Invariant($"{format}, {channels} ch, {sampleRate} Hz");

    private static async ValueTask<ReadOnlyMemory<byte>> NextHeaderAsync(OggPacketReader packets, CancellationToken cancellationToken) =>
        await packets.ReadAsync(cancellationToken).ConfigureAwait(false) is { } packet
            ? packet.Data
            : throw new HearsayException(HearsayErrorCode.InvalidInput, "The Ogg stream ends before its headers do.");
}
