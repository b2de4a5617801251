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

    /// <summary>How often a quiet stream looks again for programs installed meanwhile, so an open page shows them.</summary>
    private static readonly TimeSpan LookAgain = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/status", (StatusHub hub) =>
            {
                hub.Refresh();
                return TypedResults.Text(Json(hub.Current), "application/json");
            })
            .WithSummary("The state of speech-to-text and text-to-speech, and downloads in progress.")
            .Produces<HearsayStatus>();
        v1.MapGet("/status/events", (StatusHub hub, TimeProvider time, CancellationToken cancellationToken) =>
                TypedResults.ServerSentEvents(Events(hub, time, cancellationToken)))
            .WithSummary("Server-sent 'status' events: the current status at once, then one per change (download progress included).");
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(StatusHub hub, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var statuses = hub.Subscribe(cancellationToken);
        var lastSent = time.GetTimestamp();
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(LookAgain);
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
                // Quiet for a while: a change this finds is published, and read on the next turn.
                hub.Refresh();
            }

            if (status is not null)
            {
                lastSent = time.GetTimestamp();
                yield return new SseItem<string>(Json(status), "status");
            }
            else if (time.GetElapsedTime(lastSent) >= KeepAlive)
            {
                lastSent = time.GetTimestamp();
                yield return new SseItem<string>(string.Empty, "keep-alive");
            }
        }
    }

    private static string Json(HearsayStatus status) => JsonSerializer.Serialize(status, HearsayJsonContext.Web.HearsayStatus);
}
