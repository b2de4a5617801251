using System.Text.Json;

namespace Hearsay.Testing;

/// <summary>One segment as the Python reference decoder produced it (OpenAI's ten verbose_json fields).</summary>
public sealed record ExpectedSegment(
    int Id, long Seek, double Start, double End, string Text, int[] Tokens, double Temperature, double AvgLogprob,
    double CompressionRatio, double NoSpeechProb);

/// <summary>One 30 s window as the Python reference decoded it (the last temperature tried).</summary>
/// <param name="Seek">The window's first mel frame.</param>
/// <param name="SegmentSize">Frames of audio in the window (at most 3000).</param>
/// <param name="PromptTokens">The decoder's initial tokens: start-of-previous and the prompt, then the start-of-transcript sequence.</param>
/// <param name="SampledTokens">The tokens chosen, without the end-of-text that closed them.</param>
/// <param name="AvgLogprob">The average log-probability of the chosen tokens, end-of-text included.</param>
/// <param name="NoSpeechProb">The no-speech probability at the start-of-transcript position.</param>
/// <param name="CompressionRatio">The text's compression ratio.</param>
/// <param name="NeedsFallback">Whether OpenAI's thresholds call for a hotter retry.</param>
/// <param name="SkippedAsNoSpeech">Whether the window was skipped as silence.</param>
/// <param name="NextSeek">The next window's first frame.</param>
public sealed record ExpectedWindow(
    long Seek, int SegmentSize, int[] PromptTokens, int[] SampledTokens, double AvgLogprob, double NoSpeechProb, double CompressionRatio,
    bool NeedsFallback, bool SkippedAsNoSpeech, long NextSeek);

/// <summary>The language the reference detected on the first window, and its token.</summary>
public sealed record ExpectedLanguageDetection(string Language, int Token);

/// <summary>One word of the reference's word timestamps, as OpenAI's <c>add_word_timestamps</c> gives it.</summary>
public sealed record ExpectedWord(string Word, double Start, double End);

/// <summary>A segment of the transcription with word timestamps: its fields (times refined) and its words.</summary>
public sealed record ExpectedWordSegment(ExpectedSegment Segment, IReadOnlyList<ExpectedWord> Words);

/// <summary>The same case transcribed with word timestamps (OpenAI's <c>word_timestamps=True</c>), whose windows
/// start at the last word's end.</summary>
/// <param name="Text">The whole text.</param>
/// <param name="Segments">The segments with their words.</param>
/// <param name="WindowSeeks">Each window's first frame.</param>
public sealed record ExpectedWordTranscription(string Text, IReadOnlyList<ExpectedWordSegment> Segments, IReadOnlyList<long> WindowSeeks);

/// <summary>One transcription case computed by the generator's PyTorch reference (tools/testmodels).</summary>
public sealed record ExpectedTranscription(
    string Id, string Model, string Precision, string Clip, string? Language, string Task, string? Prompt,
    bool ConditionOnPreviousText, string DetectedLanguage, ExpectedLanguageDetection? LanguageDetection, double Duration, string Text,
    IReadOnlyList<ExpectedSegment> Segments, IReadOnlyList<ExpectedWindow> Windows, ExpectedWordTranscription WordTimestamps)
{
    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>Loads the expectations committed under <c>tests/assets/whisper</c>.</summary>
public static class WhisperExpectations
{
    /// <summary>The folder of a generated model (<c>tiny-en</c>, <c>tiny-multi</c>).</summary>
    public static string ModelDirectory(string model) => Path.GetDirectoryName(TestPaths.RepoAsset("whisper", model, model + "-tokens.txt"))!;

    /// <summary>
    /// Writes into <paramref name="folder"/> the tiny-en model with a decoder graph Hearsay's own decoder cannot read (a
    /// random decoder of another shape than the encoder's metadata), so it loads on ONNX Runtime's decoder, the
    /// fallback; ONNX Runtime only checks the interface, so the mismatch would surface only at the first step.
    /// </summary>
    public static string WriteModelOnOnnxRuntimeDecoder(string folder)
    {
        var model = ModelDirectory("tiny-en");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(model, "tiny-en-encoder.onnx"), Path.Combine(folder, "tiny-en-encoder.onnx"));
        File.Copy(Path.Combine(model, "tiny-en-tokens.txt"), Path.Combine(folder, "tiny-en-tokens.txt"));
        File.Copy(TestPaths.RepoAsset("whisper", "decoder-check", "opset13", "decoder.onnx"), Path.Combine(folder, "tiny-en-decoder.onnx"));
        return folder;
    }

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
                item.GetProperty("language_detection") is { ValueKind: JsonValueKind.Object } detection
                    ? new ExpectedLanguageDetection(detection.GetProperty("language").GetString()!, detection.GetProperty("token").GetInt32())
                    : null,
                item.GetProperty("duration").GetDouble(),
                item.GetProperty("text").GetString()!,
                item.GetProperty("segments").EnumerateArray().Select(Segment).ToArray(),
                item.GetProperty("windows").EnumerateArray().Select(Window).ToArray(),
                Words(item.GetProperty("word_timestamps")));
        }).ToArray();
    }

    private static ExpectedWordTranscription Words(JsonElement words) => new(
        words.GetProperty("text").GetString()!,
        words.GetProperty("segments").EnumerateArray().Select(segment => new ExpectedWordSegment(
            Segment(segment),
            segment.GetProperty("words").EnumerateArray().Select(word => new ExpectedWord(
                word.GetProperty("word").GetString()!, word.GetProperty("start").GetDouble(), word.GetProperty("end").GetDouble())).ToArray())).ToArray(),
        words.GetProperty("windows").EnumerateArray().Select(window => window.GetProperty("seek").GetInt64()).ToArray());

    private static ExpectedSegment Segment(JsonElement segment) => new(
        segment.GetProperty("id").GetInt32(),
        segment.GetProperty("seek").GetInt64(),
        segment.GetProperty("start").GetDouble(),
        segment.GetProperty("end").GetDouble(),
        segment.GetProperty("text").GetString()!,
        Integers(segment.GetProperty("tokens")),
        segment.GetProperty("temperature").GetDouble(),
        segment.GetProperty("avg_logprob").GetDouble(),
        segment.GetProperty("compression_ratio").GetDouble(),
        segment.GetProperty("no_speech_prob").GetDouble());

    private static ExpectedWindow Window(JsonElement window)
    {
        var sampled = Integers(window.GetProperty("sampled_tokens"));
        return new ExpectedWindow(
            window.GetProperty("seek").GetInt64(),
            window.GetProperty("segment_size").GetInt32(),
            Integers(window.GetProperty("prompt_tokens")),
            window.GetProperty("ended_with_eot").GetBoolean() ? sampled[..^1] : sampled,
            window.GetProperty("avg_logprob").GetDouble(),
            window.GetProperty("no_speech_prob").GetDouble(),
            window.GetProperty("compression_ratio").GetDouble(),
            window.GetProperty("needs_fallback").GetBoolean(),
            window.GetProperty("skipped_as_no_speech").GetBoolean(),
            window.GetProperty("next_seek").GetInt64());
    }

    private static int[] Integers(JsonElement array) => array.EnumerateArray().Select(item => item.GetInt32()).ToArray();

    private static string? NullableString(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetString();
}
