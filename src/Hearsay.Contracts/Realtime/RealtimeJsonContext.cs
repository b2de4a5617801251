using System.Text.Json.Serialization;

namespace Hearsay.Contracts.Realtime;

/// <summary>
/// Source-generated JSON for the Realtime transcription events, in OpenAI's snake_case. Strict about types: a number
/// sent as a string is an error event, not a guess.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(RealtimeClientEvent))]
[JsonSerializable(typeof(RealtimeAudioFormat))]
[JsonSerializable(typeof(RealtimeTranscriptionSettings))]
[JsonSerializable(typeof(RealtimeTurnDetection))]
[JsonSerializable(typeof(RealtimeSessionEvent))]
[JsonSerializable(typeof(RealtimeBetaSessionEvent))]
[JsonSerializable(typeof(RealtimeSpeechStartedEvent))]
[JsonSerializable(typeof(RealtimeSpeechStoppedEvent))]
[JsonSerializable(typeof(RealtimeCommittedEvent))]
[JsonSerializable(typeof(RealtimeClearedEvent))]
[JsonSerializable(typeof(RealtimeItemEvent))]
[JsonSerializable(typeof(RealtimeTranscriptionDeltaEvent))]
[JsonSerializable(typeof(RealtimeTranscriptionCompletedEvent))]
[JsonSerializable(typeof(RealtimeInterimEvent))]
[JsonSerializable(typeof(RealtimeTranscriptionFailedEvent))]
[JsonSerializable(typeof(RealtimeErrorEvent))]
public sealed partial class RealtimeJsonContext : JsonSerializerContext;

/// <content>The context for the socket.</content>
public sealed partial class RealtimeJsonContext
{
    private static RealtimeJsonContext? _wire;

    /// <summary>
    /// Like <see cref="Default"/>, but escaping only what JSON itself requires, so transcripts keep their apostrophes and
    /// non-ASCII letters as they are.
    /// </summary>
    public static RealtimeJsonContext Wire => _wire ??= new(WireJsonOptions.Create());
}
