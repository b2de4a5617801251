using System.Text.Json;

namespace Hearsay.Testing;

/// <summary>One segment as the Python reference decoder produced it (OpenAI's ten verbose_json fields).</summary>
public sealed record ExpectedSegment(
    int Id, long Seek, double Start, double End, string Text, int[] Tokens, double Temperature, double AvgLogprob,
    double CompressionRatio, double NoSpeechProb);

/// <summary>One transcription case computed by the generator's PyTorch reference (tools/testmodels).</summary>
public sealed record ExpectedTranscription(
    string Id, string Model, string Precision, string Clip, string? Language, string Task, string? Prompt,
    bool ConditionOnPreviousText, string DetectedLanguage, double Duration, string Text, IReadOnlyList<ExpectedSegment> Segments)
{
    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>Loads the expectations committed under <c>tests/assets/whisper</c>.</summary>
public static class WhisperExpectations
{
    /// <summary>The folder of a generated model (<c>tiny-en</c>, <c>tiny-multi</c>).</summary>
    public static string ModelDirectory(string model) => Path.GetDirectoryName(TestPaths.RepoAsset("whisper", model, model + "-tokens.txt"))!;

    /// <summary>The expected log-mel arrays (<c>expected-mel.npz</c>).</summary>
    public static string MelFile => TestPaths.RepoAsset("whisper", "expected-mel.npz");

    /// <summary>Every transcription case.</summary>
    public static IReadOnlyList<ExpectedTranscription> Transcriptions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestPaths.RepoAsset("whisper", "expected-transcripts.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(item =>
        {
            var options = item.GetProperty("options");
            return new ExpectedTranscription(
                item.GetProperty("id").GetString()!,
                item.GetProperty("model").GetString()!,
                item.GetProperty("precision").GetString()!,
                item.GetProperty("clip").GetString()!,
                NullableString(options.GetProperty("language")),
                options.GetProperty("task").GetString()!,
                NullableString(options.GetProperty("prompt")),
                options.GetProperty("condition_on_previous_text").GetBoolean(),
                item.GetProperty("language").GetString()!,
                item.GetProperty("duration").GetDouble(),
                item.GetProperty("text").GetString()!,
                item.GetProperty("segments").EnumerateArray().Select(segment => new ExpectedSegment(
                    segment.GetProperty("id").GetInt32(),
                    segment.GetProperty("seek").GetInt64(),
                    segment.GetProperty("start").GetDouble(),
                    segment.GetProperty("end").GetDouble(),
                    segment.GetProperty("text").GetString()!,
                    segment.GetProperty("tokens").EnumerateArray().Select(token => token.GetInt32()).ToArray(),
                    segment.GetProperty("temperature").GetDouble(),
                    segment.GetProperty("avg_logprob").GetDouble(),
                    segment.GetProperty("compression_ratio").GetDouble(),
                    segment.GetProperty("no_speech_prob").GetDouble())).ToArray());
        }).ToArray();
    }

    private static string? NullableString(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetString();
}
