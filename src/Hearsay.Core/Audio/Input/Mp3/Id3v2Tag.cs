using System.Globalization;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// ID3v2 tags at the start of an MP3, or of a FLAC whose tagger put them there (id3.org, ID3v2.4 §3.1): skipped by
/// reading, never buffered.
/// </summary>
internal static class Id3v2Tag
{
    private const int HeaderLength = 10;
    private const int FooterFlag = 0x10;

    public static bool StartsWithTag(ReadOnlySpan<byte> data) => data.StartsWith("ID3"u8);

    /// <summary>Skips every tag at the front of <paramref name="input"/>; returns the bytes skipped.</summary>
    public static async ValueTask<long> SkipAllAsync(BufferedInput input, CancellationToken cancellationToken)
    {
        long skipped = 0;
        while (await input.FillAsync(HeaderLength, cancellationToken).ConfigureAwait(false) >= 3 && StartsWithTag(input.Buffered))
        {
            var header = input.Buffered;
            if (header.Length < HeaderLength || header[3] == 0xFF || header[4] == 0xFF
                || ((header[6] | header[7] | header[8] | header[9]) & 0x80) != 0)
            {
                throw Mp3Errors.Invalid("its ID3 tag header is malformed");
            }

            // The size is "synchsafe": 7 bits per byte; it excludes the header and any footer.
            var size = (header[6] << 21) | (header[7] << 14) | (header[8] << 7) | header[9];
            long length = HeaderLength + size + ((header[5] & FooterFlag) != 0 ? HeaderLength : 0);
            if (await input.SkipAsync(length, cancellationToken).ConfigureAwait(false) < length)
            {
                throw Mp3Errors.Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"its ID3 tag says it is {length} bytes long, past the end of the input"));
            }

            skipped += length;
        }

        return skipped;
    }
}
