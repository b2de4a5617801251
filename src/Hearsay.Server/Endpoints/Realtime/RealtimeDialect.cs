namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// Which form of OpenAI's Realtime transcription protocol a client speaks. Beta clients send
/// <c>OpenAI-Beta: realtime=v1</c> when they connect, as OpenAI's own SDKs do, and configure with
/// <c>transcription_session.update</c>; GA clients send <c>session.update</c> with <c>session.type = "transcription"</c>.
/// </summary>
internal enum RealtimeDialect
{
    /// <summary>The GA protocol: <c>session.*</c>, <c>conversation.item.added</c>/<c>.done</c>.</summary>
    Ga,

    /// <summary>The beta protocol: <c>transcription_session.*</c>, <c>conversation.item.created</c>.</summary>
    Beta,
}
