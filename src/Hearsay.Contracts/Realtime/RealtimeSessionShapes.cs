using System.Text.Json.Serialization;

namespace Hearsay.Contracts.Realtime;

/// <summary>OpenAI's <c>audio/pcm</c> input format (GA): PCM16 little-endian mono.</summary>
/// <param name="Type">Always <c>audio/pcm</c>.</param>
/// <param name="Rate">24000 as OpenAI requires; Hearsay also takes 16000.</param>
public sealed record RealtimeAudioFormat(string? Type = "audio/pcm", int? Rate = 24000);

/// <summary>How input audio is transcribed (<c>audio.input.transcription</c> in GA, <c>input_audio_transcription</c> in beta).</summary>
/// <param name="Model">An OpenAI transcription model name or the served model's id.</param>
/// <param name="Language">ISO-639-1 code of the spoken language; detected when absent.</param>
/// <param name="Prompt">Text that precedes the audio: names, spellings, style.</param>
public sealed record RealtimeTranscriptionSettings(string? Model = null, string? Language = null, string? Prompt = null);

/// <summary>Server VAD turn detection: where utterances start and end.</summary>
/// <param name="Type">Always <c>server_vad</c>.</param>
/// <param name="Threshold">Silero's speech probability that starts speech (0 to 1).</param>
/// <param name="PrefixPaddingMs">Audio kept before the detected start of speech.</param>
/// <param name="SilenceDurationMs">Silence that ends an utterance.</param>
public sealed record RealtimeTurnDetection(string? Type = "server_vad", double? Threshold = null, int? PrefixPaddingMs = null, int? SilenceDurationMs = null);

/// <summary>A GA transcription session (<c>session.type = "transcription"</c>) as the server reports it.</summary>
/// <param name="Audio">The input audio settings.</param>
/// <param name="Type">Always <c>transcription</c>.</param>
public sealed record RealtimeTranscriptionSession(RealtimeTranscriptionSessionAudio Audio, string Type = "transcription");

/// <summary>The <c>audio</c> of a GA transcription session.</summary>
/// <param name="Input">The input side, the only one a transcription session has.</param>
public sealed record RealtimeTranscriptionSessionAudio(RealtimeTranscriptionSessionInput Input);

/// <summary>The <c>audio.input</c> of a GA transcription session.</summary>
/// <param name="Format">The PCM format.</param>
/// <param name="Transcription">The transcription settings.</param>
/// <param name="TurnDetection">Server VAD, or null when the client commits.</param>
public sealed record RealtimeTranscriptionSessionInput(
    RealtimeAudioFormat Format,
    RealtimeTranscriptionSettings Transcription,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RealtimeTurnDetection? TurnDetection);

/// <summary>A beta transcription session (<c>OpenAI-Beta: realtime=v1</c>) as the server reports it.</summary>
/// <param name="InputAudioFormat">Always <c>pcm16</c> (24 kHz).</param>
/// <param name="InputAudioTranscription">The transcription settings.</param>
/// <param name="TurnDetection">Server VAD, or null when the client commits.</param>
public sealed record RealtimeBetaTranscriptionSession(
    string InputAudioFormat,
    RealtimeTranscriptionSettings InputAudioTranscription,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RealtimeTurnDetection? TurnDetection);
