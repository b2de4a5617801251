using System.Text.Json.Serialization;

namespace Hearsay.Contracts.Realtime;

/// <summary><c>session.created</c> / <c>session.updated</c> of a GA transcription session.</summary>
/// <param name="Type">The event type.</param>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="Session">The whole effective configuration.</param>
public sealed record RealtimeSessionEvent(string Type, string EventId, RealtimeTranscriptionSession Session) : IRealtimeServerEvent;

/// <summary><c>transcription_session.created</c> / <c>transcription_session.updated</c> of a beta session.</summary>
/// <param name="Type">The event type.</param>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="Session">The whole effective configuration.</param>
public sealed record RealtimeBetaSessionEvent(string Type, string EventId, RealtimeBetaTranscriptionSession Session) : IRealtimeServerEvent;

/// <summary><c>input_audio_buffer.speech_started</c>.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="AudioStartMs">Where the utterance starts in the session's audio, prefix padding included.</param>
/// <param name="ItemId">The item the utterance becomes.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeSpeechStartedEvent(string EventId, long AudioStartMs, string ItemId, [property: JsonPropertyOrder(-1)] string Type = "input_audio_buffer.speech_started") : IRealtimeServerEvent;

/// <summary><c>input_audio_buffer.speech_stopped</c>.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="AudioEndMs">Where the utterance ends in the session's audio, the silence that ended it included.</param>
/// <param name="ItemId">The item the utterance becomes.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeSpeechStoppedEvent(string EventId, long AudioEndMs, string ItemId, [property: JsonPropertyOrder(-1)] string Type = "input_audio_buffer.speech_stopped") : IRealtimeServerEvent;

/// <summary><c>input_audio_buffer.committed</c>.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="ItemId">The item created from the buffer.</param>
/// <param name="PreviousItemId">The item before it, null for the first.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeCommittedEvent(
    string EventId,
    string ItemId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PreviousItemId,
    [property: JsonPropertyOrder(-1)] string Type = "input_audio_buffer.committed") : IRealtimeServerEvent;

/// <summary><c>input_audio_buffer.cleared</c>.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeClearedEvent(string EventId, [property: JsonPropertyOrder(-1)] string Type = "input_audio_buffer.cleared") : IRealtimeServerEvent;

/// <summary>
/// <c>conversation.item.added</c> and <c>conversation.item.done</c> (GA), <c>conversation.item.created</c> (beta): the user
/// message a committed buffer becomes.
/// </summary>
/// <param name="Type">The event type.</param>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="Item">The item.</param>
/// <param name="PreviousItemId">The item before it, null for the first.</param>
public sealed record RealtimeItemEvent(
    string Type,
    string EventId,
    RealtimeItem Item,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PreviousItemId) : IRealtimeServerEvent;

/// <summary>A user message item (<c>object: realtime.item</c>) holding one <c>input_audio</c> part.</summary>
/// <param name="Id">The item id.</param>
/// <param name="Status"><c>completed</c>.</param>
/// <param name="Content">The one audio part, with its transcript once known.</param>
/// <param name="Kind">Always <c>realtime.item</c> (<c>object</c> on the wire).</param>
/// <param name="Type">Always <c>message</c>.</param>
/// <param name="Role">Always <c>user</c>.</param>
public sealed record RealtimeItem(
    string Id, string Status, IReadOnlyList<RealtimeItemContent> Content, [property: JsonPropertyName("object")] string Kind = "realtime.item", string Type = "message", string Role = "user");

/// <summary>An <c>input_audio</c> content part; the audio itself is never sent back.</summary>
/// <param name="Transcript">The transcript, null until it is known.</param>
/// <param name="Type">Always <c>input_audio</c>.</param>
public sealed record RealtimeItemContent([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Transcript, string Type = "input_audio");

/// <summary><c>conversation.item.input_audio_transcription.delta</c>: text of the item that will not change.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="ItemId">The item.</param>
/// <param name="Delta">The next piece of the transcript; the pieces concatenate to the completed transcript.</param>
/// <param name="ContentIndex">Always 0.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeTranscriptionDeltaEvent(
    string EventId, string ItemId, string Delta, int ContentIndex = 0, [property: JsonPropertyOrder(-1)] string Type = "conversation.item.input_audio_transcription.delta") : IRealtimeServerEvent;

/// <summary><c>conversation.item.input_audio_transcription.completed</c>.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="ItemId">The item.</param>
/// <param name="Transcript">The whole transcript of the item.</param>
/// <param name="Usage">The audio's duration, as OpenAI reports it for whisper-1.</param>
/// <param name="ContentIndex">Always 0.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeTranscriptionCompletedEvent(
    string EventId,
    string ItemId,
    string Transcript,
    RealtimeDurationUsage Usage,
    int ContentIndex = 0,
    [property: JsonPropertyOrder(-1)] string Type = "conversation.item.input_audio_transcription.completed") : IRealtimeServerEvent;

/// <summary>Usage billed by audio duration.</summary>
/// <param name="Seconds">The item's audio, in seconds.</param>
/// <param name="Type">Always <c>duration</c>.</param>
public sealed record RealtimeDurationUsage(double Seconds, string Type = "duration");

/// <summary>
/// Hearsay's extension, <c>hearsay.input_audio_transcription.interim</c>: the end of the latest interim decode that
/// is not stable yet (it follows the deltas sent so far and may still change), for a UI to show in grey. OpenAI's
/// clients ignore event types they do not know.
/// </summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="ItemId">The item.</param>
/// <param name="Text">The unstable tail.</param>
/// <param name="ContentIndex">Always 0.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeInterimEvent(
    string EventId, string ItemId, string Text, int ContentIndex = 0, [property: JsonPropertyOrder(-1)] string Type = "hearsay.input_audio_transcription.interim") : IRealtimeServerEvent;

/// <summary>OpenAI's Realtime <c>error</c> event; the session goes on after it.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="Type">Always <c>error</c>.</param>
public sealed record RealtimeErrorEvent(string EventId, RealtimeError Error, [property: JsonPropertyOrder(-1)] string Type = "error") : IRealtimeServerEvent;

/// <summary>The <c>error</c> of a Realtime <c>error</c> event.</summary>
/// <param name="Type"><c>invalid_request_error</c> or <c>server_error</c>.</param>
/// <param name="Code">A machine-readable code.</param>
/// <param name="Message">What went wrong, for people.</param>
/// <param name="Param">The field at fault, if any.</param>
/// <param name="EventId">The id of the client event that caused it, if it had one.</param>
public sealed record RealtimeError(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? EventId);

/// <summary><c>conversation.item.input_audio_transcription.failed</c>: an item that could not be transcribed.</summary>
/// <param name="EventId">The server's id for the event.</param>
/// <param name="ItemId">The item.</param>
/// <param name="Error">Why (its <c>event_id</c> is null: no client event caused it).</param>
/// <param name="ContentIndex">Always 0.</param>
/// <param name="Type">The event type.</param>
public sealed record RealtimeTranscriptionFailedEvent(
    string EventId, string ItemId, RealtimeError Error, int ContentIndex = 0, [property: JsonPropertyOrder(-1)] string Type = "conversation.item.input_audio_transcription.failed") : IRealtimeServerEvent;
