using System.Text;

namespace Hearsay.Testing;

/// <summary>
/// Texts that make a byte-pair encoder work hardest, for the tests and the benchmark of Whisper's prompt encoding:
/// each (but the last) is a single pre-tokenizer piece, so no split bounds the merging.
/// </summary>
public static class HostilePrompts
{
    /// <summary>Each kind of text, <paramref name="length"/> characters long.</summary>
    public static IReadOnlyList<(string Kind, string Text)> All(int length) =>
    [
        ("one letter repeated", new string('a', length)),
        ("a word without spaces", Letters(length, "abcdefghijklmnopqrstuvwxyz", seed: 1)),
        ("two letters alternating", Letters(length, "ab", seed: 2)),
        ("digits", Letters(length, "0123456789", seed: 3)),
        ("punctuation", Letters(length, "!?.,;:-_*#", seed: 4)),
        ("CJK (3 UTF-8 bytes each)", Letters(length, "東京都日本語漢字中文", seed: 5)),
        ("spaces, then a letter", new string(' ', length - 1) + "a"),
        ("ordinary text", Repeat("And so, my fellow Americans: ask not what your country can do for you. ", length)),
    ];

    private static string Letters(int length, string alphabet, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    private static string Repeat(string sentence, int length)
    {
        var text = new StringBuilder(length + sentence.Length);
        while (text.Length < length)
        {
            text.Append(sentence);
        }

        return text.ToString(0, length);
    }
}
