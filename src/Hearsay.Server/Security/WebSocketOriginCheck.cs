using Hearsay.Contracts.Errors;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearsay.Server.Security;

/// <summary>
/// A browser opens a WebSocket to any origin without CORS asking the server first, so the upgrade checks <c>Origin</c>
/// itself: absent (a program, not a page), the server's own page, or one of <c>--cors-origin</c>, as fetch would allow.
/// </summary>
internal static class WebSocketOriginCheck
{
    /// <exception cref="ApiException">403 for a page of another origin.</exception>
    public static void ThrowUnlessAllowed(HttpRequest request, HearsayServerOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return;
        }

        var own = $"{request.Scheme}://{request.Host}";
        if (string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || options.CorsOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        throw new ApiException(
            403, ErrorCodes.InvalidValue, $"Origin '{origin}' may not open a session: only this server's page and --cors-origin origins may.", "Origin");
    }
}
