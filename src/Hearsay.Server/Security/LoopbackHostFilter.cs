using System.Net;
using Hearsay.Contracts.Errors;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearsay.Server.Security;

/// <summary>
/// Refuses requests whose <c>Host</c> header is not a loopback name or address (or a configured host). A web page on
/// <c>attacker.example</c> whose DNS later points at 127.0.0.1 sends its own name as Host, so it never reaches the API
/// (DNS rebinding). A server deployment reached through a network name (a container behind a Service, probed at the
/// pod's address) configures <c>*</c>, which accepts any Host; the token still guards <c>/v1</c>.
/// </summary>
internal sealed class LoopbackHostFilter(RequestDelegate next, HearsayServerOptions options)
{
    /// <summary>The allowed host that stands for any host.</summary>
    public const string AnyHost = "*";

    private readonly HashSet<string> _allowed = new(options.AllowedHosts, StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        if (host.HasValue && IsAllowed(host.Host))
        {
            return next(context);
        }

        return ErrorResponses.WriteAsync(context, new ApiException(
            400, ErrorCodes.InvalidValue, $"Host '{host.Value}' is not served here: Hearsay answers only requests addressed to a loopback host.", "Host"));
    }

    private bool IsAllowed(string host)
    {
        if (_allowed.Contains(AnyHost) || _allowed.Contains(host) || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
