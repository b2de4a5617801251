using System.Collections.Frozen;
using System.Text;

namespace Hearsay.Core.Tts.Piper;

/// <summary>
/// Phonemes to model input ids as piper-phonemize's <c>phonemes_to_ids</c> builds them: BOS <c>^</c>, then pad
/// <c>_</c>, then each phoneme's ids followed by a pad, then EOS <c>$</c>. Phonemes the voice does not know are
/// skipped and reported.
/// </summary>
internal static class PiperPhonemeIds
{
    private const int Bos = '^';
    private const int Eos = '$';
    private const int Pad = '_';

    /// <param name="phonemes">Phonemes, one per Unicode code point (NFD).</param>
    /// <param name="idMap">The voice's <c>phoneme_id_map</c>; must contain BOS, EOS and pad.</param>
    /// <param name="onMissing">Called once per occurrence of a phoneme absent from the map.</param>
    public static long[] Map(string phonemes, FrozenDictionary<int, long[]> idMap, Action<Rune>? onMissing = null)
    {
        var pad = idMap[Pad];
        var ids = new List<long>(2 + (phonemes.Length * 2) + 1);
        ids.AddRange(idMap[Bos]);
        ids.AddRange(pad);
        foreach (var phoneme in phonemes.EnumerateRunes())
        {
            if (!idMap.TryGetValue(phoneme.Value, out var phonemeIds))
            {
                onMissing?.Invoke(phoneme);
                continue;
            }

            ids.AddRange(phonemeIds);
            ids.AddRange(pad);
        }

        ids.AddRange(idMap[Eos]);
        return [.. ids];
    }
}
