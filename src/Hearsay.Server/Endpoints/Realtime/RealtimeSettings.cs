namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>A transcription session's effective configuration.</summary>
/// <param name="InputRate">PCM16 sample rate: 24000 (OpenAI's only rate) or 16000 (Hearsay's option).</param>
/// <param name="Model">The transcription model as the client named it.</param>
/// <param name="Language">The spoken language, or null to detect it.</param>
/// <param name="Prompt">Text that precedes each utterance, or null.</param>
/// <param name="TurnDetection">Server VAD, or null when the client commits the buffer itself.</param>
internal sealed record RealtimeSettings(int InputRate, string Model, string? Language, string? Prompt, TurnDetectionSettings? TurnDetection)
{
    /// <summary>OpenAI's defaults for a transcription session: 24 kHz, server VAD.</summary>
    public static readonly RealtimeSettings Default = new(24000, "whisper-1", null, null, TurnDetectionSettings.Default);
}

/// <summary>Server VAD settings, with OpenAI's defaults.</summary>
/// <param name="Threshold">Speech probability at which speech starts.</param>
/// <param name="PrefixPaddingMs">Audio kept before the start of speech.</param>
/// <param name="SilenceDurationMs">Silence that ends an utterance.</param>
internal sealed record TurnDetectionSettings(float Threshold, int PrefixPaddingMs, int SilenceDurationMs)
{
    public static readonly TurnDetectionSettings Default = new(0.5f, 300, 500);
}
