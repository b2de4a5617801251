using System.Text.Json;

namespace Hearsay.Testing;

/// <summary>One synthesis case computed by the generator's PyTorch reference (tools/testmodels).</summary>
public sealed record ExpectedSynthesis(
    string Voice, string Text, int SentenceIndex, string Phonemes, long[] Ids, int? SpeakerId, float LengthScale, float[] Samples);

/// <summary>Piper's sentences for one text, computed by the reference phonemizer (tools/testmodels).</summary>
public sealed record ExpectedPhonemes(
    string Name, string Text, string? EspeakVoice, string? KnownDifference, IReadOnlyList<(string Phonemes, long[] Ids)> Sentences);

/// <summary>Loads the expectations committed under <c>tests/assets/piper</c>.</summary>
public static class PiperExpectations
{
    /// <summary>The generated single-speaker voice (22050 Hz).</summary>
    public static string SingleSpeakerVoice => TestPaths.RepoAsset("piper", "tiny-single.onnx");

    /// <summary>The generated four-speaker voice (16000 Hz): alba, bryce, cori, dane.</summary>
    public static string MultiSpeakerVoice => TestPaths.RepoAsset("piper", "tiny-multi.onnx");

    /// <summary>Every synthesis case.</summary>
    public static IReadOnlyList<ExpectedSynthesis> Synthesis()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestPaths.RepoAsset("piper", "expected-synthesis.json")));
        var cases = new List<ExpectedSynthesis>();
        foreach (var voice in document.RootElement.GetProperty("voices").EnumerateObject())
        {
            foreach (var item in voice.Value.GetProperty("cases").EnumerateArray())
            {
                var bytes = Convert.FromBase64String(item.GetProperty("samples_f32le_base64").GetString()!);
                var samples = new float[bytes.Length / sizeof(float)];
                Buffer.BlockCopy(bytes, 0, samples, 0, bytes.Length);
                cases.Add(new ExpectedSynthesis(
                    item.GetProperty("voice").GetString()!,
                    item.GetProperty("text").GetString()!,
                    item.GetProperty("sentence_index").GetInt32(),
                    item.GetProperty("phonemes").GetString()!,
                    item.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                    item.GetProperty("speaker_id").ValueKind == JsonValueKind.Null ? null : item.GetProperty("speaker_id").GetInt32(),
                    item.GetProperty("length_scale").GetSingle(),
                    samples));
            }
        }

        return cases;
    }

    /// <summary>The espeak-ng version the phoneme table was computed with.</summary>
    public static string PhonemeTableEspeakVersion()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestPaths.RepoAsset("piper", "expected-phonemes.json")));
        return document.RootElement.GetProperty("espeak_ng_version").GetString()!;
    }

    /// <summary>Every phoneme table case.</summary>
    public static IReadOnlyList<ExpectedPhonemes> Phonemes()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestPaths.RepoAsset("piper", "expected-phonemes.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(item => new ExpectedPhonemes(
            item.GetProperty("name").GetString()!,
            item.GetProperty("text").GetString()!,
            item.TryGetProperty("espeak_voice", out var voice) ? voice.GetString() : null,
            item.TryGetProperty("known_difference", out var difference) ? difference.GetString() : null,
            item.GetProperty("sentences").EnumerateArray()
                .Select(s => (s.GetProperty("phonemes").GetString()!, s.GetProperty("phoneme_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray()))
                .ToList())).ToList();
    }
}
