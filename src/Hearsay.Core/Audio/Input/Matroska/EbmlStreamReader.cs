using System.Globalization;

namespace Hearsay.Core.Audio.Input.Matroska;

/// <summary>
/// Reads EBML element headers and bodies from a forward-only input. Bodies read into memory are bounded by
/// <see cref="MaxBodyBytes"/> whatever size the file declares; anything else is skipped by reading past it.
/// </summary>
internal sealed class EbmlStreamReader(BufferedInput input)
{
    /// <summary>Far above a block of Opus or Vorbis frames, a Tracks element or a CodecPrivate in practice.</summary>
    public const int MaxBodyBytes = 1 << 20;

    private const int MaxHeaderBytes = 4 + 8;

    private byte[] _body = new byte[4096];

    /// <summary>Where the next element starts, counted from the start of the input.</summary>
    public long Position => input.Position;

    /// <summary>Reads the next element's ID and size (<see cref="EbmlVarInt.UnknownSize"/> allowed); null at a clean end of input.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> for a cut-short or malformed header.</exception>
    public async ValueTask<(uint Id, long Size)?> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var offset = input.Position;
        if (await input.FillAsync(MaxHeaderBytes, cancellationToken).ConfigureAwait(false) == 0)
        {
            return null;
        }

        var header = input.Buffered;
        var idLength = EbmlVarInt.Read(header, 4, keepMarker: true, out var id);
        long size = 0;
        var sizeLength = idLength > 0 ? EbmlVarInt.Read(header[idLength..], 8, keepMarker: false, out size) : idLength;
        if (sizeLength == 0)
        {
            throw Truncated(offset);
        }

        if (sizeLength < 0)
        {
            throw MatroskaAudio.Invalid(string.Create(CultureInfo.InvariantCulture, $"the data at byte {offset} is not an EBML element"));
        }

        input.Consume(idLength + sizeLength);
        return ((uint)id, size);
    }

    /// <summary>Reads a body of <paramref name="size"/> bytes into memory, valid until the next call.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> when it is too large, of unknown size, or cut short.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(uint id, long size, CancellationToken cancellationToken)
    {
        if (size is < 0 or > MaxBodyBytes)
        {
            throw MatroskaAudio.Invalid(string.Create(
                CultureInfo.InvariantCulture,
                $"element 0x{id:X} declares {(size < 0 ? "an unknown size" : size + " bytes")}, where at most {MaxBodyBytes} bytes are read"));
        }

        var offset = input.Position;
        if (size > _body.Length)
        {
            _body = new byte[Math.Max(size, Math.Min(MaxBodyBytes, _body.Length * 2L))];
        }

        var body = _body.AsMemory(0, (int)size);
        var filled = 0;
        while (filled < body.Length)
        {
            var read = await input.ReadAsync(body[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Truncated(offset);
            }

            filled += read;
        }

        return body;
    }

    /// <summary>Skips a body of <paramref name="size"/> bytes by reading past it.</summary>
    /// <exception cref="HearsayException"><see cref="HearsayErrorCode.InvalidInput"/> when its size is unknown or the input ends first.</exception>
    public async ValueTask SkipBodyAsync(uint id, long size, CancellationToken cancellationToken)
    {
        if (size < 0)
        {
            throw MatroskaAudio.Invalid(string.Create(CultureInfo.InvariantCulture, $"element 0x{id:X} has an unknown size, which only Segment and Cluster may have"));
        }

        var offset = input.Position;
        if (await input.SkipAsync(size, cancellationToken).ConfigureAwait(false) < size)
        {
            throw Truncated(offset);
        }
    }

    private static HearsayException Truncated(long offset) =>
        MatroskaAudio.Invalid(string.Create(CultureInfo.InvariantCulture, $"it ends in the middle of the element at byte {offset}: it is cut short"));
}
