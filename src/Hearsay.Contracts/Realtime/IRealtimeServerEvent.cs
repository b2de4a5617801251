namespace Hearsay.Contracts.Realtime;

/// <summary>An event the Realtime transcription WebSocket sends: every one has a type and the server's id for it.</summary>
public interface IRealtimeServerEvent
{
    /// <summary>The event type, e.g. <c>conversation.item.input_audio_transcription.delta</c>.</summary>
    string Type { get; }

    /// <summary>The server's id for the event.</summary>
    string EventId { get; }
}
