using System.Text.Json;

namespace Hearsay.Contracts.Realtime;

/// <summary>
/// Any event a client sends on <c>/v1/realtime?intent=transcription</c>, read as one shape: <c>type</c> says which of the
/// other fields count (<c>audio</c> for <c>input_audio_buffer.append</c>, <c>session</c> for <c>session.update</c> and
/// <c>transcription_session.update</c>).
/// </summary>
/// <param name="Type">The event type.</param>
/// <param name="EventId">The client's id for the event, echoed in an <c>error</c> it causes.</param>
/// <param name="Audio">Base64 PCM16 little-endian mono audio.</param>
/// <param name="Session">The session update: the GA shape (<c>type</c>, <c>audio.input</c>) or the beta one
/// (<c>input_audio_format</c>, <c>input_audio_transcription</c>, <c>turn_detection</c>).</param>
public sealed record RealtimeClientEvent(string? Type, string? EventId = null, string? Audio = null, JsonElement Session = default);
