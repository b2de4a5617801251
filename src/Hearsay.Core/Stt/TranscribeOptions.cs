using Hearsay.Core.Vad;

namespace Hearsay.Core.Stt;

/// <summary>Options of one transcription. The defaults are OpenAI's.</summary>
public sealed record TranscribeOptions
{
    /// <summary>The spoken language as an ISO 639-1 code (<c>en</c>) or Whisper's name for it (<c>english</c>), or null
    /// to detect it on the first 30 s.</summary>
    /// <value>Default null. English-only models always use <c>en</c>.</value>
    public string? Language { get; init; }

    /// <summary>Transcribe, or translate to English.</summary>
    public TranscriptionTask Task { get; init; } = TranscriptionTask.Transcribe;

    /// <summary>
    /// The longest <see cref="Prompt"/> accepted, in UTF-16 code units. Whisper reads only a prompt's last 223 tokens
    /// (about 1,000 characters of English), so this leaves ten times that while bounding the work of encoding it.
    /// </summary>
    public const int MaxPromptLength = 10_000;

    /// <summary>
    /// Text that precedes the audio (names, spelling, style); fed to the first window as previous text. Only its end
    /// is used: the last 223 tokens, as OpenAI's Whisper keeps them. At most <see cref="MaxPromptLength"/> long.
    /// </summary>
    public string? Prompt { get; init; }

    /// <summary>
    /// The first sampling temperature. When a window's result looks like a failure (see the thresholds), it is decoded
    /// again at this plus 0.2, 0.4, … up to 1.0.
    /// </summary>
    /// <value>Default 0 (greedy first).</value>
    public double Temperature { get; init; }

    /// <summary>Whether failed windows are retried at higher temperatures.</summary>
    /// <value>Default true.</value>
    public bool TemperatureFallback { get; init; } = true;

    /// <summary>A result whose text compresses better than this is repetitive, so it counts as failed.</summary>
    /// <value>Default 2.4.</value>
    public double CompressionRatioThreshold { get; init; } = 2.4;

    /// <summary>A result whose average log-probability is below this counts as failed.</summary>
    /// <value>Default -1.</value>
    public double LogProbThreshold { get; init; } = -1.0;

    /// <summary>A window whose no-speech probability is above this, and whose log-probability failed, is silence.</summary>
    /// <value>Default 0.6.</value>
    public double NoSpeechThreshold { get; init; } = 0.6;

    /// <summary>Whether each window sees the previous window's text as its prompt.</summary>
    /// <value>Default true.</value>
    public bool ConditionOnPreviousText { get; init; } = true;

    /// <summary>
    /// The most tokens sampled in one 30 s window (OpenAI's <c>sample_len</c>); a window that reaches it ends there, as
    /// one that reaches the model's own limit does. A preview can cap it so that a decode that loops (Whisper's known
    /// failure, and every window of a model with random weights) ends early.
    /// </summary>
    /// <value>Default null: half the model's text context, 224 tokens.</value>
    public int? MaxTokensPerWindow { get; init; }

    /// <summary>The latest time, in seconds, the first timestamp of a window may have.</summary>
    /// <value>Default 1.0.</value>
    public double MaxInitialTimestamp { get; init; } = 1.0;

    /// <summary>
    /// Whether voice activity detection picks the speech first: silence is skipped, speech is packed into 30 s windows
    /// and times are mapped back to the input's timeline. Off: the input is read in consecutive windows.
    /// </summary>
    /// <value>Default true.</value>
    public bool UseVad { get; init; } = true;

    /// <summary>
    /// Voice activity detection settings when <see cref="UseVad"/> is on; null for Silero's defaults with speech
    /// segments split at 30 s, so each fits one window.
    /// </summary>
    public VadOptions? Vad { get; init; }

    /// <summary>
    /// Whether each segment gets its words with their times, aligned with Whisper's cross-attention as OpenAI's
    /// <c>word_timestamps</c> does; segment times are then refined from the words, and a window that does not end
    /// with a lone timestamp is followed by one starting at its last word's end, so the segments can differ from a
    /// transcription without words. Needs Hearsay's own text decoder: a model whose decoder runs on ONNX Runtime
    /// refuses it.
    /// </summary>
    /// <value>Default false.</value>
    public bool WordTimestamps { get; init; }

    /// <summary>Seed for sampling at temperatures above 0, for reproducible results; null for a random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="HearsayException">
    /// A value is out of range (<see cref="HearsayErrorCode.InvalidInput"/>, with <see cref="HearsayException.OptionName"/>).
    /// </exception>
    public void Validate()
    {
        if (!(Temperature is >= 0 and <= 1))
        {
            throw Invalid(nameof(Temperature), $"temperature must be between 0 and 1, not {Temperature}");
        }

        if (!(NoSpeechThreshold is >= 0 and <= 1))
        {
            throw Invalid(nameof(NoSpeechThreshold), $"the no-speech threshold must be between 0 and 1, not {NoSpeechThreshold}");
        }

        if (MaxInitialTimestamp < 0 || double.IsNaN(MaxInitialTimestamp))
        {
            throw Invalid(nameof(MaxInitialTimestamp), "the maximum initial timestamp cannot be negative");
        }

        if (MaxTokensPerWindow is < 1)
        {
            throw Invalid(nameof(MaxTokensPerWindow), $"a window needs at least one token, not {MaxTokensPerWindow}");
        }

        if (Prompt is { Length: > MaxPromptLength })
        {
            throw Invalid(nameof(Prompt), $"the prompt is {Prompt.Length} characters long, more than the {MaxPromptLength} accepted; Whisper reads only its last 170 words or so");
        }

        if (Language is { } language && !WhisperLanguages.TryNormalize(language, out _))
        {
            throw Invalid(nameof(Language), $"'{language}' is not a language Whisper knows; use a code such as en, de or fr");
        }
    }

    private static HearsayException Invalid(string option, string message) => new(HearsayErrorCode.InvalidInput, message) { OptionName = option };
}
