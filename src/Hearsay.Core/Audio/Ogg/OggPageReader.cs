using System.Buffers.Binary;
using System.Globalization;
using Hearsay.Core.Audio.Input;

namespace Hearsay.Core.Audio.Ogg;

/// <summary>
/// Reads Ogg pages (RFC 3533) one at a time from a forward-only input, checking each one's checksum. A page is at most
/// <see cref="OggPage.MaxSize"/> bytes by construction, so a page never holds more than that in memory.
/// </summary>
/// <remarks>
/// An input that ends in the middle of a page is an error rather than a quiet end (ffmpeg decodes up to the cut with a
/// warning): a cut-off upload should be said, not transcribed as if complete. An input that ends between pages ends cleanly.
/// </remarks>
internal sealed class OggPageReader(BufferedInput input)
{
    private const byte Version = 0;

    /// <summary>The page last read; valid until the next <see cref="ReadAsync"/>.</summary>
    public OggPage Page { get; } = new();

    /// <summary>Reads the next page into <see cref="Page"/>; false at a clean end of input.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a page that is cut short, malformed or corrupt.</exception>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var offset = input.Position;
        var available = await input.FillAsync(OggPage.HeaderSize, cancellationToken).ConfigureAwait(false);
        if (available == 0)
        {
            return false;
        }

        if (available < OggPage.HeaderSize)
        {
            throw Truncated(offset);
        }

        var header = input.Buffered;
        if (!header.StartsWith("OggS"u8))
        {
            throw Invalid(offset, "does not start an Ogg page (no \"OggS\")");
        }

        if (header[4] != Version)
        {
            throw Invalid(offset, string.Create(CultureInfo.InvariantCulture, $"is an Ogg page of version {header[4]}, not 0"));
        }

        var segments = header[26];
        if (await input.FillAsync(OggPage.HeaderSize + segments, cancellationToken).ConfigureAwait(false) < OggPage.HeaderSize + segments)
        {
            throw Truncated(offset);
        }

        var payloadSize = 0;
        foreach (var lacing in input.Buffered.Slice(OggPage.HeaderSize, segments))
        {
            payloadSize += lacing;
        }

        var pageSize = OggPage.HeaderSize + segments + payloadSize;
        if (await input.FillAsync(pageSize, cancellationToken).ConfigureAwait(false) < pageSize)
        {
            throw Truncated(offset);
        }

        var page = input.Buffered[..pageSize];
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(page[22..]);
        var computed = OggCrc.Update(OggCrc.Update(OggCrc.Update(0, page[..22]), [0, 0, 0, 0]), page[26..]);
        if (stored != computed)
        {
            throw Invalid(offset, "is an Ogg page whose checksum is wrong (the data is corrupt)");
        }

        Page.Set(
            headerType: page[5],
            granule: BinaryPrimitives.ReadInt64LittleEndian(page[6..]),
            serial: BinaryPrimitives.ReadUInt32LittleEndian(page[14..]),
            sequence: BinaryPrimitives.ReadUInt32LittleEndian(page[18..]),
            lacing: page.Slice(OggPage.HeaderSize, segments),
            payload: page[(OggPage.HeaderSize + segments)..]);
        input.Consume(pageSize);
        return true;
    }

    private static HearsayException Truncated(long offset) =>
        new(HearsayErrorCode.InvalidInput, string.Create(CultureInfo.InvariantCulture, $"The Ogg audio ends in the middle of the page at byte {offset}: it is cut short."));

    private static HearsayException Invalid(long offset, string what) =>
        new(HearsayErrorCode.InvalidInput, string.Create(CultureInfo.InvariantCulture, $"The data at byte {offset} {what}."));
}
