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
/// <item>a blank line ends a sentence; very long clauses are cut at a space, as espeak-ng cuts them.</item>
/// </list>
/// </summary>
internal static class ClauseSplitter
{
    /// <summary>
    /// espeak-ng cuts a clause once its buffer holds about 725 bytes; cutting earlier, at a space, keeps each of our
    /// clauses one espeak-ng clause.
    /// </summary>
    internal const int MaxClauseBytes = 600;

    public static IReadOnlyList<Clause> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clauses = new List<Clause>();
        var start = 0;
        var clauseBytes = 0;
        var anyLetterOrDigit = false;
        var i = 0;

        void Close(int end, ClauseEnd kind)
        {
            clauses.Add(new Clause(text[start..end], kind));
            start = end;
            clauseBytes = 0;
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

                if (anyLetterOrDigit && IsBoundaryAfter(text, afterRun, kind) && !IsAbbreviationDot(text, runEnd, end))
                {
                    Close(end, kind);
                    i = end;
                    continue;
                }

                clauseBytes += afterRun - i;
                i = afterRun;
                continue;
            }

            if (c == '\n' && anyLetterOrDigit && IsBlankLineAt(text, i, out var afterBlank))
            {
                Close(afterBlank, ClauseEnd.Paragraph);
                i = afterBlank;
                continue;
            }

            if (char.IsWhiteSpace(c) && anyLetterOrDigit && clauseBytes >= MaxClauseBytes)
            {
                Close(i, ClauseEnd.None);
                continue;
            }

            if (char.IsLetterOrDigit(text, i))
            {
                anyLetterOrDigit = true;
            }

            clauseBytes += Utf8ByteCount(c);
            i++;
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

    /// <summary>A "." followed by a word in lowercase is taken for an abbreviation, as espeak-ng does.</summary>
    private static bool IsAbbreviationDot(string text, int runEnd, int end)
    {
        if (text[runEnd] != '.')
        {
            return false;
        }

        var next = end;
        while (next < text.Length && char.IsWhiteSpace(text[next]))
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

    private static int Utf8ByteCount(char c) => c switch
    {
        < '\u0080' => 1,
        < '\u0800' => 2,
        _ when char.IsSurrogate(c) => 2,
        _ => 3,
    };

    /// <summary>
    /// The clause as one line of input for the espeak-ng program: line breaks would split it, and the program
    /// (unlike the library Piper calls) reads "[[" as the start of raw phoneme input, so the pair is kept apart.
    /// </summary>
    public static string ToEspeakLine(string clauseText)
    {
        var builder = new StringBuilder(clauseText.Length);
        foreach (var c in clauseText.AsSpan().Trim())
        {
            var isBreak = char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';
            if (c == '[' && builder.Length > 0 && builder[^1] == '[')
            {
                builder.Append(' ');
            }

            builder.Append(isBreak ? ' ' : c);
        }

        return builder.ToString();
    }
}
