using System.Globalization;

namespace Hearsay.Core.Stt.Whisper.Model;

/// <summary>
/// A Whisper model's dimensions and special tokens, read from the encoder's ONNX metadata exactly as sherpa-onnx's
/// export writes it. Nothing is assumed from the model's name: English-only, multilingual and large-v3 layouts differ
/// in their special ids.
/// </summary>
public sealed record WhisperModelInfo
{
    /// <summary>E.g. <c>whisper-tiny.en</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary>80, or 128 for large-v3.</summary>
    public required int MelCount { get; init; }

    /// <summary>Encoder positions per 30 s window (1500).</summary>
    public required int AudioContext { get; init; }

    /// <summary>Attention heads per encoder layer.</summary>
    public required int AudioHeads { get; init; }

    /// <summary>Vocabulary size, special tokens included.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Maximum decoder positions (448).</summary>
    public required int TextContext { get; init; }

    /// <summary>Decoder width.</summary>
    public required int TextState { get; init; }

    /// <summary>Decoder layers.</summary>
    public required int TextLayers { get; init; }

    /// <summary>Attention heads per decoder layer.</summary>
    public required int TextHeads { get; init; }

    /// <summary>Whether the model knows languages other than English (and can detect them and translate).</summary>
    public required bool IsMultilingual { get; init; }

    /// <summary>The start-of-transcript sequence, e.g. [sot] or [sot, &lt;|en|&gt;, &lt;|transcribe|&gt;].</summary>
    public required IReadOnlyList<int> SotSequence { get; init; }

    /// <summary>Language codes (e.g. <c>en</c>), parallel to <see cref="LanguageTokens"/>.</summary>
    public required IReadOnlyList<string> LanguageCodes { get; init; }

    /// <summary>Language token ids, parallel to <see cref="LanguageCodes"/>.</summary>
    public required IReadOnlyList<int> LanguageTokens { get; init; }

    /// <summary>Start of transcript.</summary>
    public required int Sot { get; init; }

    /// <summary>End of text.</summary>
    public required int Eot { get; init; }

    /// <summary>The token of a single space, suppressed as the first sampled token.</summary>
    public required int BlankId { get; init; }

    /// <summary>The no-speech token whose probability says "silence".</summary>
    public required int NoSpeech { get; init; }

    /// <summary>Symbols Whisper suppresses by default (OpenAI's <c>non_speech_tokens</c>).</summary>
    public required IReadOnlyList<int> NonSpeechTokens { get; init; }

    /// <summary>The transcribe task token.</summary>
    public required int Transcribe { get; init; }

    /// <summary>The translate task token.</summary>
    public required int Translate { get; init; }

    /// <summary>Start of previous text (the prompt).</summary>
    public required int SotPrev { get; init; }

    /// <summary>Start of language-model-only decoding.</summary>
    public required int SotLm { get; init; }

    /// <summary>The no-timestamps token; the timestamp tokens follow it.</summary>
    public required int NoTimestamps { get; init; }

    /// <summary>The first timestamp token, &lt;|0.00|&gt;.</summary>
    public int TimestampBegin => NoTimestamps + 1;

    /// <summary>Seconds per timestamp step: 30 s over the encoder positions (0.02 s).</summary>
    public double TimePrecision => 30.0 / AudioContext;

    /// <summary>Mel frames per timestamp step (2).</summary>
    public int InputStride => Features.WhisperAudio.WindowFrames / AudioContext;

    /// <summary>Where <see cref="Sot"/> sits in <see cref="SotSequence"/>.</summary>
    public int SotIndex => SotSequence.ToList().IndexOf(Sot);

    /// <summary>The language token for <paramref name="code"/>, or null when the model does not know it.</summary>
    public int? LanguageToken(string code)
    {
        for (var i = 0; i < LanguageCodes.Count; i++)
        {
            if (string.Equals(LanguageCodes[i], code, StringComparison.OrdinalIgnoreCase))
            {
                return LanguageTokens[i];
            }
        }

        return null;
    }

    /// <summary>The decoder's cross-attention heads word timestamps are aligned with (see <see cref="AlignmentHeads"/>).</summary>
    internal IReadOnlyList<AlignmentHead> WordAlignmentHeads { get; init; } = [];

    /// <summary>The code of language token <paramref name="token"/>.</summary>
    public string LanguageCode(int token) => LanguageCodes[LanguageTokens.ToList().IndexOf(token)];

    /// <summary>Reads the metadata map of a sherpa-onnx Whisper encoder.</summary>
    /// <exception cref="ModelLoadException">A key is missing or malformed; the message names it.</exception>
    public static WhisperModelInfo FromMetadata(IReadOnlyDictionary<string, string> metadata, string encoderPath)
    {
        var reader = new MetadataReader(metadata, encoderPath);
        var info = new WhisperModelInfo
        {
            ModelType = reader.Text("model_type"),
            MelCount = reader.Integer("n_mels"),
            AudioContext = reader.Integer("n_audio_ctx"),
            AudioHeads = reader.Integer("n_audio_head"),
            VocabularySize = reader.Integer("n_vocab"),
            TextContext = reader.Integer("n_text_ctx"),
            TextState = reader.Integer("n_text_state"),
            TextLayers = reader.Integer("n_text_layer"),
            TextHeads = reader.Integer("n_text_head"),
            IsMultilingual = reader.Integer("is_multilingual") != 0,
            SotSequence = reader.Integers("sot_sequence"),
            LanguageCodes = reader.List("all_language_codes"),
            LanguageTokens = reader.Integers("all_language_tokens"),
            Sot = reader.Integer("sot"),
            Eot = reader.Integer("eot"),
            BlankId = reader.Integer("blank_id"),
            NoSpeech = reader.Integer("no_speech"),
            NonSpeechTokens = reader.Integers("non_speech_tokens"),
            Transcribe = reader.Integer("transcribe"),
            Translate = reader.Integer("translate"),
            SotPrev = reader.Integer("sot_prev"),
            SotLm = reader.Integer("sot_lm"),
            NoTimestamps = reader.Integer("no_timestamps"),
        };
        info.Validate(encoderPath);
        try
        {
            metadata.TryGetValue(AlignmentHeads.MetadataKey, out var declared);
            return info with { WordAlignmentHeads = AlignmentHeads.Resolve(declared, info.ModelType, info.TextLayers, info.TextHeads) };
        }
        catch (FormatException e)
        {
            throw new ModelLoadException(HearsayErrorCode.ModelInvalid, encoderPath, $"metadata '{AlignmentHeads.MetadataKey}' {e.Message}", e);
        }
    }

    private void Validate(string encoderPath)
    {
        string? problem = null;
        if (MelCount is not (80 or 128))
        {
            problem = $"n_mels is {MelCount}; Whisper uses 80 or 128";
        }
        else if (AudioContext <= 0 || Features.WhisperAudio.WindowFrames % AudioContext != 0)
        {
            problem = $"n_audio_ctx {AudioContext} does not divide the 3000 frames of a window";
        }
        else if (TextHeads <= 0 || TextState % TextHeads != 0)
        {
            problem = $"n_text_state {TextState} is not a multiple of n_text_head {TextHeads}";
        }
        else if (LanguageCodes.Count != LanguageTokens.Count)
        {
            problem = "all_language_codes and all_language_tokens differ in length";
        }
        else if (!SotSequence.Contains(Sot))
        {
            problem = "sot_sequence does not contain sot";
        }
        else if (TimestampBegin + AudioContext >= VocabularySize || Eot >= VocabularySize || TextContext < 2)
        {
            problem = $"the special tokens do not fit the vocabulary of {VocabularySize}";
        }

        if (problem is not null)
        {
            throw new ModelLoadException(HearsayErrorCode.ModelInvalid, encoderPath, $"is not a usable Whisper encoder: {problem}");
        }
    }

    private sealed class MetadataReader(IReadOnlyDictionary<string, string> metadata, string path)
    {
        public string Text(string key) =>
            metadata.TryGetValue(key, out var value) && value.Length > 0
                ? value
                : throw Invalid($"has no '{key}' in its metadata (is it a sherpa-onnx Whisper export?)");

        public int Integer(string key) =>
            int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid($"metadata '{key}' is not an integer");

        public string[] List(string key) =>
            metadata.TryGetValue(key, out var value)
                ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : throw Invalid($"has no '{key}' in its metadata");

        public int[] Integers(string key) =>
            List(key).Select(item => int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid($"metadata '{key}' holds '{item}', not an integer")).ToArray();

        private ModelLoadException Invalid(string problem) => new(HearsayErrorCode.ModelInvalid, path, problem);
    }
}
