using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.Server.Capabilities;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearsay.Server.Endpoints;

/// <summary><c>/health/live</c> and <c>/health/ready</c>, for process supervisors and readiness probes; no token needed.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(HearsayRoutes.Live, () => Results.Text("""{"status":"live"}""", "application/json"))
            .WithSummary("200 while the process runs.");
        app.MapGet(HearsayRoutes.Ready, Ready)
            .WithSummary("200 when the capabilities named in ?require=stt,tts (default: every enabled one) are ready, else 503; the body is the status.");
    }

    private static IResult Ready(StatusHub hub, string? require)
    {
        var status = hub.Current;
        var required = Required(require, status);
        var ready = required.All(capability => capability.State == CapabilityState.Ready);
        return Results.Text(
            JsonSerializer.Serialize(status, HearsayJsonContext.Web.HearsayStatus),
            "application/json",
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static List<CapabilityStatus> Required(string? require, HearsayStatus status)
    {
        if (string.IsNullOrWhiteSpace(require))
        {
            return [.. new[] { status.Stt, status.Tts }.Where(capability => capability.State != CapabilityState.Disabled)];
        }

        return [.. require.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => name switch
        {
            "stt" => status.Stt,
            "tts" => status.Tts,
            _ => throw ApiException.Invalid("require", $"'{name}' is not a capability: require takes stt, tts or both (stt,tts)."),
        })];
    }
}
