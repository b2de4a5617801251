using System.Text;

namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>An audio track of a Matroska/WebM file, as far as choosing and decoding it needs.</summary>
/// <param name="Number">The number blocks name it by.</param>
/// <param name="CodecId">Matroska's codec ID (<c>A_OPUS</c>, <c>A_VORBIS</c>, <c>V_VP8</c>...).</param>
/// <param name="CodecPrivate">The codec's setup: OpusHead for Opus, the three Xiph-laced headers for Vorbis.</param>
/// <param name="IsEncoded">The track's frames are compressed or encrypted (ContentEncodings), which Hearsay does not undo.</param>
internal sealed record MatroskaTrack(ulong Number, string CodecId, byte[] CodecPrivate, bool IsEncoded)
{
    public const string Opus = "A_OPUS";
    public const string Vorbis = "A_VORBIS";

    /// <summary>Whether the track is decoded in-process.</summary>
    public bool IsReadInProcess => CodecId is Opus or Vorbis;

    /// <summary>The tracks in a Tracks element's body, in order.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a malformed element.</exception>
    public static List<MatroskaTrack> ParseAll(ReadOnlySpan<byte> tracks)
    {
        var result = new List<MatroskaTrack>();
        var children = new EbmlChildren(tracks);
        while (children.MoveNext())
        {
            if (children.Id == MatroskaIds.TrackEntry)
            {
                result.Add(Parse(children.Body));
            }
        }

        return result;
    }

    private static MatroskaTrack Parse(ReadOnlySpan<byte> entry)
    {
        ulong number = 0;
        var codecId = string.Empty;
        byte[] codecPrivate = [];
        var encoded = false;
        var fields = new EbmlChildren(entry);
        while (fields.MoveNext())
        {
            switch (fields.Id)
            {
                case MatroskaIds.TrackNumber:
                    number = fields.ReadUnsigned();
                    break;
                case MatroskaIds.CodecId:
                    codecId = Encoding.ASCII.GetString(fields.Body).TrimEnd('\0');
                    break;
                case MatroskaIds.CodecPrivate:
                    codecPrivate = fields.Body.ToArray();
                    break;
                case MatroskaIds.ContentEncodings:
                    encoded = true;
                    break;
            }
        }

        return new MatroskaTrack(number, codecId, codecPrivate, encoded);
    }
}
