namespace Hearsay.Core.Tts.Piper;

/// <summary>One sentence ready for a Piper model.</summary>
/// <param name="Text">The sentence's source text, trimmed.</param>
/// <param name="Phonemes">
/// IPA phonemes in Unicode NFD (so "ç" is "c" + U+0327) with the punctuation that ended each clause; every code point
/// is one phoneme.
/// </param>
/// <param name="PhonemeIds">The model input: BOS, pads and EOS included, unknown phonemes skipped.</param>
public sealed record PiperSentence(string Text, string Phonemes, IReadOnlyList<long> PhonemeIds);
