using System.Globalization;
using System.Text;

namespace Hearsay.Core.Tts.Phonemization.Portable;

/// <summary>An answer of the portable phonemizer's worker.</summary>
/// <param name="Succeeded">True for phonemes, false for espeak-ng's error message.</param>
/// <param name="Text">The phoneme lines, or the message.</param>
internal sealed record PhonemizerAnswer(bool Succeeded, string Text);

/// <summary>
/// The portable phonemizer's pipe protocol, as <c>tools/espeak-ng-wasm/hearsay-phonemizer.c</c> speaks it (ADR 0010):
/// after <c>READY version</c>, each request is <c>voice byte-count\n</c> and the UTF-8 text; each answer is
/// <c>OK byte-count\n</c> or <c>ERR byte-count\n</c> and that many bytes. Counted bytes keep any text intact.
/// </summary>
internal static class PhonemizerProtocol
{
    /// <summary>The longest header line either side writes, with room to spare.</summary>
    private const int MaxHeaderBytes = 64;

    /// <summary>The largest answer accepted: far above what 16 MB of text gives, far below what memory allows.</summary>
    private const int MaxAnswerBytes = 64 * 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Whether espeak-ng can be asked for <paramref name="voice"/>: 1-40 printable ASCII characters, no spaces.</summary>
    public static bool IsValidVoice(string voice) =>
        voice.Length is > 0 and <= 40 && voice.All(c => c is > ' ' and < (char)127);

    /// <summary>The request's bytes.</summary>
    public static byte[] Request(string voice, string text)
    {
        var body = Utf8.GetBytes(text);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{voice} {body.Length}\n"));
        return [.. header, .. body];
    }

    /// <summary>Reads the ready line's version.</summary>
    /// <exception cref="EndOfStreamException">The worker ended before it was ready.</exception>
    /// <exception cref="InvalidDataException">The first line is not a ready line.</exception>
    public static async Task<string> ReadReadyAsync(Stream output, CancellationToken cancellationToken)
    {
        var line = await ReadHeaderAsync(output, cancellationToken).ConfigureAwait(false)
            ?? throw new EndOfStreamException("The worker ended before it was ready.");
        return line.StartsWith("READY ", StringComparison.Ordinal) && line.Length > 6
            ? line[6..]
            : throw new InvalidDataException($"The worker's first line is not a ready line: '{line}'.");
    }

    /// <summary>Reads one answer.</summary>
    /// <exception cref="EndOfStreamException">The worker ended before or during the answer.</exception>
    /// <exception cref="InvalidDataException">The answer is malformed.</exception>
    public static async Task<PhonemizerAnswer> ReadAnswerAsync(Stream output, CancellationToken cancellationToken)
    {
        var header = await ReadHeaderAsync(output, cancellationToken).ConfigureAwait(false)
            ?? throw new EndOfStreamException("The worker ended before answering.");
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var kind = space < 0 ? header : header[..space];
        if (kind is not ("OK" or "ERR")
            || !int.TryParse(header.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > MaxAnswerBytes)
        {
            throw new InvalidDataException($"The worker's answer header is malformed: '{header}'.");
        }

        var body = new byte[length];
        await output.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return new PhonemizerAnswer(kind == "OK", Utf8.GetString(body));
    }

    /// <summary>One ASCII line without its newline; null at the end of the stream before any byte.</summary>
    private static async Task<string?> ReadHeaderAsync(Stream output, CancellationToken cancellationToken)
    {
        var line = new byte[MaxHeaderBytes];
        var one = new byte[1];
        for (var length = 0; length < MaxHeaderBytes; length++)
        {
            if (await output.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                return length == 0 ? null : throw new EndOfStreamException("The worker ended in the middle of a line.");
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.ASCII.GetString(line, 0, length);
            }

            line[length] = one[0];
        }

        throw new InvalidDataException($"The worker wrote a line longer than {MaxHeaderBytes} bytes where a header belongs.");
    }
}
