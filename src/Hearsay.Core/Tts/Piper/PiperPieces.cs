using System.Text;

namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// Cuts a sentence's phonemes into the pieces a Piper model runs on one at a time, so that the memory of one inference
/// is bounded whatever the text (ADR 0009). A cut falls after a clause's punctuation where one is in reach, else at the
/// space between two words, else, inside a "word" longer than a piece, where the piece is full. A piece keeps the
/// punctuation of the clause it ends with and gets no other mark, so only the sentence's last piece ends as a sentence.
/// </summary>
internal static class PiperPieces
{
    /// <summary>
    /// The most phonemes in one piece at speed 1 (ADR 0009 has the measurements): a 300-character English sentence
    /// is about 330 phonemes, so ordinary sentences are not cut at the normal speed.
    /// </summary>
    internal const int MaxPhonemesAtNormalSpeed = 350;

    /// <summary>
    /// The most phonemes in one piece at <paramref name="speed"/>. A model's memory grows with the audio frames it
    /// makes, and slower speech makes more frames per phoneme, so slower speech gets proportionally shorter pieces;
    /// faster speech keeps the normal bound, since the text encoder's cost grows with phonemes too.
    /// </summary>
    public static int MaxPhonemes(float speed) =>
        Math.Max(1, (int)(MaxPhonemesAtNormalSpeed * Math.Clamp(speed, SpeakOptions.MinSpeed, 1f)));

    /// <param name="phonemes">A sentence's phonemes as <see cref="PiperSentence.Phonemes"/> has them: one per code point.</param>
    /// <param name="maxPhonemes">The most code points in one piece.</param>
    /// <returns>The pieces in order, none empty and none longer than <paramref name="maxPhonemes"/>; the whole sentence when it fits.</returns>
    public static List<string> Cut(string phonemes, int maxPhonemes)
    {
        ArgumentNullException.ThrowIfNull(phonemes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPhonemes, 1);
        var pieces = new List<string>();
        var start = SkipSpaces(phonemes, 0);
        while (start < phonemes.Length)
        {
            var limit = AfterRunes(phonemes, start, maxPhonemes);
            if (limit == phonemes.Length)
            {
                pieces.Add(phonemes[start..].TrimEnd());
                break;
            }

            var (end, next) = CutBefore(phonemes, start, limit);
            pieces.Add(phonemes[start..end].TrimEnd());
            start = SkipSpaces(phonemes, next);
        }

        return pieces;
    }

    /// <summary>Where the piece that starts at <paramref name="start"/> and may not reach past <paramref name="limit"/> ends, and where the next one starts.</summary>
    private static (int End, int Next) CutBefore(string phonemes, int start, int limit)
    {
        // Where the text goes on, the piece ends after a clause mark: a mark at the limit itself still counts.
        var clauseEnd = phonemes.AsSpan(start, limit - start).LastIndexOfAny(ClauseMarks);
        if (clauseEnd >= 0)
        {
            return (start + clauseEnd + 1, start + clauseEnd + 1);
        }

        var space = phonemes.AsSpan(start, limit - start + 1).LastIndexOf(' ');
        if (space > 0)
        {
            return (start + space, start + space + 1);
        }

        return (limit, limit);
    }

    /// <summary>The marks Piper appends to a clause that does not end its sentence (espeak-ng's phonemes hold no punctuation).</summary>
    private static ReadOnlySpan<char> ClauseMarks => ",:;";

    /// <summary>The index just after <paramref name="count"/> code points from <paramref name="start"/>, or the end of the text.</summary>
    private static int AfterRunes(string text, int start, int count)
    {
        var index = start;
        for (var n = 0; n < count && index < text.Length; n++)
        {
            Rune.DecodeFromUtf16(text.AsSpan(index), out _, out var length);
            index += length;
        }

        return index;
    }

    private static int SkipSpaces(string text, int index)
    {
        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        return index;
    }
}
