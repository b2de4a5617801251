using System.Globalization;

namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>
/// Reads a FLAC stream from its <c>fLaC</c> marker through its metadata blocks (RFC 9639 §8), keeping STREAMINFO and
/// skipping the rest by reading: nothing seeks, and the whole metadata region is capped.
/// </summary>
internal static class FlacMetadataReader
{
    /// <summary>The most metadata bytes (pictures, tags, padding) read before the first frame.</summary>
    public const int MaxMetadataBytes = 16 * 1024 * 1024;

    private const int StreamInfoType = 0;
    private const int InvalidType = 127;

    public static bool IsFlac(ReadOnlySpan<byte> prefix) => prefix.StartsWith("fLaC"u8);

    /// <summary>Consumes the marker and the metadata; on return the input is at the first frame.</summary>
    public static async ValueTask<FlacStreamInfo> ReadAsync(BufferedInput input, CancellationToken cancellationToken)
    {
        if (await input.FillAsync(4, cancellationToken).ConfigureAwait(false) < 4 || !IsFlac(input.Buffered))
        {
            throw FlacErrors.Invalid("it does not start with fLaC");
        }

        input.Consume(4);
        FlacStreamInfo? info = null;
        var last = false;
        while (!last)
        {
            if (input.Position > MaxMetadataBytes)
            {
                throw FlacErrors.Invalid(string.Create(
                    CultureInfo.InvariantCulture, $"its metadata runs past {MaxMetadataBytes / (1024 * 1024)} MiB"));
            }

            if (await input.FillAsync(4, cancellationToken).ConfigureAwait(false) < 4)
            {
                throw FlacErrors.Invalid("it ends inside its metadata");
            }

            var header = input.Buffered;
            last = (header[0] & 0x80) != 0;
            var type = header[0] & 0x7F;
            var length = (header[1] << 16) | (header[2] << 8) | header[3];
            input.Consume(4);

            if (type == InvalidType)
            {
                throw FlacErrors.Invalid("it has a metadata block of the forbidden type 127");
            }

            if (type == StreamInfoType)
            {
                if (info is not null || length != FlacStreamInfo.Length)
                {
                    throw FlacErrors.Invalid("its STREAMINFO block is repeated or has the wrong length");
                }

                if (await input.FillAsync(length, cancellationToken).ConfigureAwait(false) < length)
                {
                    throw FlacErrors.Invalid("it ends inside its STREAMINFO block");
                }

                info = FlacStreamInfo.Parse(input.Buffered);
                input.Consume(length);
            }
            else if (info is null)
            {
                throw FlacErrors.Invalid("its first metadata block is not STREAMINFO");
            }
            else if (await input.SkipAsync(length, cancellationToken).ConfigureAwait(false) < length)
            {
                throw FlacErrors.Invalid("a metadata block runs past the end of the input");
            }
        }

        return info ?? throw FlacErrors.Invalid("it has no STREAMINFO block");
    }
}
