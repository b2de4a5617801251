namespace Hearsay.Core.Tts.Phonemization;

/// <summary>What ended a clause: the classes espeak-ng's clause reader reports.</summary>
internal enum ClauseEnd
{
    /// <summary>No punctuation: the clause was cut because it grew too long.</summary>
    None,
    Period,
    Question,
    Exclamation,
    Comma,
    Colon,
    Semicolon,

    /// <summary>An en or em dash between spaces; espeak-ng classes it as a semicolon.</summary>
    Dash,

    /// <summary>"…" or three or more dots.</summary>
    Ellipsis,

    /// <summary>A blank line.</summary>
    Paragraph,

    /// <summary>The end of the text without closing punctuation.</summary>
    EndOfText,
}

/// <summary>A piece of text that espeak-ng phonemizes as one unit, and what ended it.</summary>
/// <param name="Text">The clause as it appears in the input, punctuation included.</param>
/// <param name="End">The kind of boundary that closed it.</param>
internal readonly record struct Clause(string Text, ClauseEnd End)
{
    /// <summary>True when the clause ends a sentence: "." "?" "!", a blank line, or the end of the text.</summary>
    public bool EndsSentence => End is ClauseEnd.Period or ClauseEnd.Question or ClauseEnd.Exclamation
        or ClauseEnd.Paragraph or ClauseEnd.EndOfText;
}
