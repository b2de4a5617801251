namespace Hearsay.Contracts.Realtime;

/// <summary>The <c>code</c> of a Realtime <c>error</c> event; after each, the session goes on.</summary>
public static class RealtimeErrorCodes
{
    /// <summary>The message is not a JSON object with a string <c>type</c>.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The <c>type</c> is not an event a transcription session takes.</summary>
    public const string UnknownEvent = "unknown_event_type";

    /// <summary>A field has a value that is malformed or out of range (<c>param</c> names it).</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>A value OpenAI defines that Hearsay does not serve (G.711 audio, semantic VAD, a realtime session).</summary>
    public const string Unsupported = "unsupported_value";

    /// <summary>One message is larger than 15 MiB, OpenAI's limit per event; it was dropped.</summary>
    public const string EventTooLarge = "event_too_large";

    /// <summary>A commit found less than 100 ms of audio in the buffer (OpenAI's code).</summary>
    public const string CommitEmpty = "input_audio_buffer_commit_empty";

    /// <summary>The buffer reached the longest utterance Hearsay holds; the audio past it was refused (manual commits) or the
    /// utterance was cut there (server VAD).</summary>
    public const string BufferFull = "input_audio_buffer_full";

    /// <summary>The speech-to-text engine is not ready or failed on an item.</summary>
    public const string TranscriptionFailed = "transcription_failed";
}
