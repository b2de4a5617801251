using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.Server.Capabilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearsay.Server.Endpoints;

/// <summary><c>GET /v1/status</c> and its event stream: each capability's state, and download progress.</summary>
internal static class StatusEndpoints
{
    /// <summary>A comment line this often keeps proxies and idle timeouts from closing a quiet stream.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/status", (StatusHub hub) => TypedResults.Text(Json(hub.Current), "application/json"))
            .WithSummary("The state of speech-to-text and text-to-speech, and downloads in progress.")
            .Produces<HearsayStatus>();
        v1.MapGet("/status/events", (StatusHub hub, CancellationToken cancellationToken) =>
                TypedResults.ServerSentEvents(Events(hub, cancellationToken)))
            .WithSummary("Server-sent 'status' events: the current status at once, then one per change (download progress included).");
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(StatusHub hub, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var statuses = hub.Subscribe(cancellationToken);
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(KeepAlive);
            HearsayStatus? status = null;
            try
            {
                if (!await statuses.WaitToReadAsync(quiet.Token))
                {
                    yield break;
                }

                statuses.TryRead(out status);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Quiet for a while: send a keep-alive instead.
            }

            yield return status is null ? new SseItem<string>(string.Empty, "keep-alive") : new SseItem<string>(Json(status), "status");
        }
    }

    private static string Json(HearsayStatus status) => JsonSerializer.Serialize(status, HearsayJsonContext.Web.HearsayStatus);
}
