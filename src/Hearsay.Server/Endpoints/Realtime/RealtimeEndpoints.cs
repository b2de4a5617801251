using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Status;
using Hearsay.Core.Stt;
using Hearsay.Server.Capabilities;
using Hearsay.Server.Errors;
using Hearsay.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// OpenAI's Realtime transcription over a WebSocket: <c>GET /v1/realtime?intent=transcription</c> (ADR 0013). The
/// token, the Host check and the Origin check apply to the upgrade; the session then speaks the GA protocol, or the beta
/// one when the client sends <c>OpenAI-Beta: realtime=v1</c>.
/// </summary>
internal static class RealtimeEndpoints
{
    /// <summary>The subprotocol OpenAI's browser form offers beside the key; it is the one chosen.</summary>
    public const string Subprotocol = "realtime";

    /// <summary>The subprotocol a browser offers for the beta protocol, since it cannot send the header.</summary>
    private const string BetaSubprotocol = "openai-beta.realtime-v1";

    public static void Map(IEndpointRouteBuilder v1) =>
        v1.MapGet("/realtime", RunAsync)
            .WithSummary("OpenAI's Realtime transcription session over a WebSocket (?intent=transcription): PCM16 in, transcripts out as people speak.")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);

    private static async Task RunAsync(
        HttpContext context,
        [FromServices] ServedEngine<ISpeechToTextEngine> stt,
        [FromServices] SharedVadModel vad,
        [FromServices] RealtimeDecodePriority priority,
        [FromServices] HearsayServerOptions options,
        [FromServices] IHostApplicationLifetime lifetime,
        [FromServices] ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new ApiException(400, ErrorCodes.InvalidValue, "This is a WebSocket endpoint: connect with ws://HOST/v1/realtime?intent=transcription.");
        }

        if (!string.Equals(context.Request.Query["intent"], "transcription", StringComparison.Ordinal))
        {
            throw ApiException.Invalid("intent", "Hearsay serves Realtime transcription sessions only: connect with ?intent=transcription.");
        }

        WebSocketOriginCheck.ThrowUnlessAllowed(context.Request, options);
        var status = stt.Capability.Status;
        if (status.State != CapabilityState.Ready)
        {
            // Refused before the upgrade, so the client sees why in the handshake's answer.
            throw new ApiException(503, ErrorCodes.CapabilityNotReady, $"Speech-to-text is not ready ({status.State}).{(status.Reason is { } why ? " " + why : "")}");
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var dialect = IsBeta(context.Request, offered) ? RealtimeDialect.Beta : RealtimeDialect.Ga;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(
            new WebSocketAcceptContext { SubProtocol = offered.Contains(Subprotocol) ? Subprotocol : null });
        var logger = loggers.CreateLogger(typeof(RealtimeSession).FullName!);
        var session = new RealtimeSession(socket, dialect, new RealtimeContext(stt, vad, priority, options.SamplingSeed, logger));
        await session.RunAsync(context.RequestAborted, lifetime.ApplicationStopping);
    }

    private static bool IsBeta(HttpRequest request, IList<string> offered) =>
        request.Headers["OpenAI-Beta"].Any(value => value?.Contains("realtime=v1", StringComparison.OrdinalIgnoreCase) == true)
        || offered.Contains(BetaSubprotocol);
}
