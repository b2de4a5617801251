namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>A client event that cannot be honoured: it becomes an <c>error</c> event and the session goes on.</summary>
internal sealed class RealtimeProtocolException(string code, string message, string? param = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Param { get; } = param;
}
