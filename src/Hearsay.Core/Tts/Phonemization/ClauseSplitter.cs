using System.Text;

namespace Hearsay.Core.Tts.Phonemization;

/// <summary>
/// Splits text into clauses at the places espeak-ng's own clause reader does, and records which punctuation
/// ended each one: Piper appends that punctuation to the clause's phonemes and starts a new sentence after
/// "." "?" "!". Running the espeak-ng program (rather than linking its library) hides the terminator, so Hearsay
/// finds the boundaries itself, following espeak-ng's rules:
/// <list type="bullet">
/// <item>clause punctuation ends a clause only when followed by a space, a bracket or quote, or the end;</item>
/// <item>"." followed by a lowercase word is an abbreviation, not an end ("St. in London");</item>
/// <item>punctuation before any letter or digit does not end a clause;</item>
/// <item>a blank line ends a sentence; a clause is cut after its first non-alphanumeric character past 725 bytes,
/// where espeak-ng's clause buffer cuts it.</item>
/// </list>
/// </summary>
internal static class ClauseSplitter
{
    /// <summary>
    /// espeak-ng's clause buffer (800 bytes) ends a clause at the first non-alphanumeric character once it holds
    /// more than 800 - 75 bytes, counted from the clause's first non-space character.
    /// </summary>
    internal const int LongClauseBytes = 725;

    public static IReadOnlyList<Clause> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clauses = new List<Clause>();
        var start = 0;
        var contentBytes = 0;
        var anyLetterOrDigit = false;
        var i = 0;

        void Close(int end, ClauseEnd kind)
        {
            clauses.Add(new Clause(text[start..end], kind));
            start = end;
            contentBytes = 0;
            anyLetterOrDigit = false;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (TryClassify(c, out _))
            {
                var runEnd = i;
                while (runEnd + 1 < text.Length && TryClassify(text[runEnd + 1], out _))
                {
                    runEnd++;
                }

                var afterRun = runEnd + 1;
                var kind = ClassifyRun(text, i, runEnd);
                var end = afterRun;
                while (end < text.Length && IsBracketOrQuote(text[end]))
                {
                    end++;
                }

                if (anyLetterOrDigit && IsBoundaryAfter(text, afterRun, kind) && !IsAbbreviationDot(text, i, afterRun, end))
                {
                    Close(end, kind);
                    i = end;
                    continue;
                }

                contentBytes += Encoding.UTF8.GetByteCount(text.AsSpan(i, afterRun - i));
                i = afterRun;
                continue;
            }

            if (c == '\n' && anyLetterOrDigit && IsBlankLineAt(text, i, out var afterBlank))
            {
                Close(afterBlank, ClauseEnd.Paragraph);
                i = afterBlank;
                continue;
            }

            var isLetterOrDigit = char.IsLetterOrDigit(text, i);
            var length = char.IsSurrogatePair(text, i) ? 2 : 1;
            if (!isLetterOrDigit && anyLetterOrDigit && contentBytes >= LongClauseBytes)
            {
                Close(i + length, ClauseEnd.None);
                i += length;
                continue;
            }

            anyLetterOrDigit |= isLetterOrDigit;
            if (contentBytes > 0 || !char.IsWhiteSpace(c))
            {
                contentBytes += Encoding.UTF8.GetByteCount(text.AsSpan(i, length));
            }

            i += length;
        }

        if (start < text.Length && !string.IsNullOrWhiteSpace(text[start..]))
        {
            clauses.Add(new Clause(text[start..], ClauseEnd.EndOfText));
        }

        return clauses;
    }

    private static ClauseEnd ClassifyRun(string text, int first, int last)
    {
        var dots = 0;
        for (var k = last; k >= first && text[k] == '.'; k--)
        {
            dots++;
        }

        if (dots >= 3)
        {
            return ClauseEnd.Ellipsis;
        }

        TryClassify(text[last], out var kind);
        return kind;
    }

    private static bool TryClassify(char c, out ClauseEnd kind)
    {
        kind = c switch
        {
            '.' or '\u3002' or '\uFF0E' or '\u06D4' or '\u0964' => ClauseEnd.Period,
            '?' or '\uFF1F' or '\u061F' or '\u037E' => ClauseEnd.Question,
            '!' or '\uFF01' => ClauseEnd.Exclamation,
            ',' or '\uFF0C' or '\u3001' or '\u060C' => ClauseEnd.Comma,
            ':' or '\uFF1A' => ClauseEnd.Colon,
            ';' or '\uFF1B' or '\u061B' or '\u0387' => ClauseEnd.Semicolon,
            '\u2013' or '\u2014' => ClauseEnd.Dash,
            '\u2026' => ClauseEnd.Ellipsis,
            _ => ClauseEnd.None,
        };
        return kind != ClauseEnd.None;
    }

    /// <summary>Punctuation ends a clause only before a space, a bracket or quote, or the end of the text.</summary>
    private static bool IsBoundaryAfter(string text, int afterRun, ClauseEnd kind)
    {
        if (afterRun >= text.Length || kind == ClauseEnd.Ellipsis || NeedsNoSpaceAfter(text[afterRun - 1]))
        {
            return true;
        }

        var next = text[afterRun];
        return char.IsWhiteSpace(next) || IsBracketOrQuote(next);
    }

    /// <summary>
    /// Punctuation that starts with "." (but is not three dots) followed by a space and a word in lowercase is
    /// taken for an abbreviation, as espeak-ng does: "St. in London", "a.m., then". A bracket or quote after the
    /// dot ends the clause whatever follows: "(Mr.) what".
    /// </summary>
    private static bool IsAbbreviationDot(string text, int runStart, int afterRun, int end)
    {
        if (text[runStart] != '.' || end != afterRun || text.AsSpan(runStart).StartsWith("..."))
        {
            return false;
        }

        // espeak-ng looks past spaces and tabs, not past a line break: "The.\ncafé" ends a clause.
        var next = end;
        while (next < text.Length && char.IsWhiteSpace(text[next]) && text[next] is not ('\n' or '\r'))
        {
            next++;
        }

        return next < text.Length && char.IsLower(text[next]);
    }

    /// <summary>True at a newline that starts a run of whitespace containing at least two newlines.</summary>
    private static bool IsBlankLineAt(string text, int newline, out int afterWhitespace)
    {
        var newlines = 0;
        var k = newline;
        while (k < text.Length && char.IsWhiteSpace(text[k]))
        {
            if (text[k] == '\n')
            {
                newlines++;
            }

            k++;
        }

        afterWhitespace = k;
        return newlines >= 2;
    }

    private static bool IsBracketOrQuote(char c) =>
        c is '"' or '\'' or ')' or ']' or '}' or '»' or '«' or '`' || c is >= '\u2018' and <= '\u201F';

    /// <summary>CJK and fullwidth punctuation, and the Devanagari danda, need no space after them.</summary>
    private static bool NeedsNoSpaceAfter(char c) => c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' or '\u0964';

    /// <summary>
    /// Text as input for the espeak-ng program, which (unlike the library Piper calls) reads "[[" as the start of raw
    /// phoneme input and control characters as embedded commands: the pair is kept apart and controls become spaces.
    /// </summary>
    public static string ToEspeakInput(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '[' && builder.Length > 0 && builder[^1] == '[')
            {
                builder.Append(' ');
            }

            builder.Append(char.IsControl(c) && c is not ('\n' or '\r' or '\t') ? ' ' : c);
        }

        return builder.ToString();
    }
}
