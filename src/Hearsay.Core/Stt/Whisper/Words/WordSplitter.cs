using System.Text;
using Hearsay.Core.Stt.Whisper.Model;

namespace Hearsay.Core.Stt.Whisper.Words;

/// <summary>
/// Cuts tokens into words as OpenAI's tokenizer does (<c>split_to_word_tokens</c>): first into the shortest runs that
/// decode to whole characters, then, for languages written with spaces, those runs joined into words that start at a
/// space, a punctuation mark or a special token. Chinese, Japanese, Thai, Lao, Burmese and Cantonese keep the runs,
/// one character or so each.
/// </summary>
internal static class WordSplitter
{
    private const char Replacement = '\uFFFD';

    // Python's string.punctuation; OpenAI tests "subword.strip() in string.punctuation", a substring test.
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static readonly HashSet<string> Unspaced = new(StringComparer.Ordinal) { "zh", "ja", "th", "lo", "my", "yue" };

    /// <summary>The words of <paramref name="tokens"/> (text tokens, then end-of-text, which becomes a word of its own).</summary>
    public static List<TimedWord> Split(IReadOnlyList<int> tokens, WhisperTokenizer tokenizer, int eot, string language)
    {
        var pieces = SplitOnUnicode(tokens, tokenizer, eot);
        if (Unspaced.Contains(language))
        {
            return pieces;
        }

        var words = new List<TimedWord>();
        foreach (var piece in pieces)
        {
            var special = piece.Tokens[0] >= eot;
            var withSpace = piece.Word.StartsWith(' ');
            var punctuation = AsciiPunctuation.Contains(piece.Word.Trim(), StringComparison.Ordinal);
            if (special || withSpace || punctuation || words.Count == 0)
            {
                words.Add(piece);
            }
            else
            {
                words[^1].Word += piece.Word;
                words[^1].Tokens.AddRange(piece.Tokens);
            }
        }

        return words;
    }

    /// <summary>The shortest runs of tokens that decode without a replacement character, unless the whole text has
    /// that replacement character there too (bytes that never form a character).</summary>
    private static List<TimedWord> SplitOnUnicode(IReadOnlyList<int> tokens, WhisperTokenizer tokenizer, int eot)
    {
        var full = Decode(tokens, tokenizer, eot);
        var pieces = new List<TimedWord>();
        var current = new List<int>();
        var offset = 0;
        foreach (var token in tokens)
        {
            current.Add(token);
            var decoded = Decode(current, tokenizer, eot);
            var replacement = decoded.IndexOf(Replacement, StringComparison.Ordinal);
            if (replacement < 0 || (offset + replacement < full.Length && full[offset + replacement] == Replacement))
            {
                pieces.Add(new TimedWord(decoded, current));
                current = [];
                offset += decoded.Length;
            }
        }

        return pieces;
    }

    /// <summary>tiktoken's decoding of text tokens and end-of-text (as its name), bytes joined before UTF-8.</summary>
    private static string Decode(IReadOnlyList<int> tokens, WhisperTokenizer tokenizer, int eot)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            if (token == eot)
            {
                bytes.AddRange("<|endoftext|>"u8);
            }
            else
            {
                bytes.AddRange(tokenizer.BytesOf(token));
            }
        }

        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }
}
