using System.Text;
using System.Text.RegularExpressions;
using Hearsay.Core.Text;
using Hearsay.Core.Tts.Phonemization;

namespace Hearsay.Core.Tts.Piper;

/// <summary>A sentence's source text and its phonemes, before id mapping.</summary>
internal readonly record struct SentencePhonemes(string Text, string Phonemes);

/// <summary>
/// Joins phonemized clauses into sentences by Piper's rules: the clause's punctuation is kept (". ? !" end the
/// sentence; ", : ;" and dashes add the mark and a space); phonemes are NFD-decomposed; language-switch flags such as
/// "(fr)" are dropped, as piper1-gpl does.
/// </summary>
/// <remarks>
/// Deliberate differences from Piper, each where Piper would glue two words together or speak nothing: after an
/// ellipsis, or after a clause cut for length, the next clause follows a space; sentences without phonemes are dropped.
/// </remarks>
internal static partial class PiperSentenceAssembler
{
    public static List<SentencePhonemes> Assemble(IReadOnlyList<Clause> clauses, IReadOnlyList<string> clausePhonemes)
    {
        if (clauses.Count != clausePhonemes.Count)
        {
            throw new ArgumentException("Every clause needs its phonemes.", nameof(clausePhonemes));
        }

        var sentences = new List<SentencePhonemes>();
        var phonemes = new StringBuilder();
        var sourceText = new StringBuilder();
        var joiner = string.Empty;

        for (var i = 0; i < clauses.Count; i++)
        {
            if (sourceText.Length > 0)
            {
                phonemes.Append(joiner);
            }

            sourceText.Append(clauses[i].Text);
            phonemes.Append(LanguageSwitchFlag().Replace(clausePhonemes[i].Trim(), string.Empty));
            var (mark, nextJoiner) = Punctuation(clauses[i].End);
            phonemes.Append(mark);
            joiner = nextJoiner;

            if (clauses[i].EndsSentence || i == clauses.Count - 1)
            {
                var sentencePhonemes = UnicodeNfd.Normalize(phonemes.ToString());
                if (!string.IsNullOrWhiteSpace(sentencePhonemes))
                {
                    sentences.Add(new SentencePhonemes(sourceText.ToString().Trim(), sentencePhonemes));
                }

                phonemes.Clear();
                sourceText.Clear();
            }
        }

        return sentences;
    }

    /// <summary>What Piper appends after a clause, and what separates it from the next clause of the sentence.</summary>
    private static (string Mark, string Joiner) Punctuation(ClauseEnd end) => end switch
    {
        ClauseEnd.Period => (".", ""),
        ClauseEnd.Question => ("?", ""),
        ClauseEnd.Exclamation => ("!", ""),
        ClauseEnd.Comma => (", ", ""),
        ClauseEnd.Colon => (": ", ""),
        ClauseEnd.Semicolon or ClauseEnd.Dash => ("; ", ""),
        ClauseEnd.Ellipsis or ClauseEnd.None => ("", " "),
        ClauseEnd.Paragraph or ClauseEnd.EndOfText => ("", ""),
        _ => throw new ArgumentOutOfRangeException(nameof(end), end, null),
    };

    [GeneratedRegex(@"\([^)]+\)", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageSwitchFlag();
}
