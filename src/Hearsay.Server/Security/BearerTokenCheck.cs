using System.Security.Cryptography;
using System.Text;
using Hearsay.Contracts;
using Hearsay.Contracts.Errors;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearsay.Server.Security;

/// <summary>Requires <c>Authorization: Bearer TOKEN</c> on every <c>/v1</c> call; the health routes stay open.</summary>
internal sealed class BearerTokenCheck(RequestDelegate next, ServerToken token)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(HearsayRoutes.Api, StringComparison.OrdinalIgnoreCase) || HttpMethods.IsOptions(context.Request.Method))
        {
            return next(context);
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && token.Matches(header.AsSpan(Scheme.Length).Trim()))
        {
            return next(context);
        }

        if (header.Length == 0 && SubprotocolKey(context) is { } key)
        {
            if (token.Matches(key))
            {
                return next(context);
            }

            header = key;
        }

        var message = header.Length == 0
            ? "This call needs the server's token: send 'Authorization: Bearer TOKEN' (the ready line of 'hearsay serve' gives it)."
            : "The token is not this server's: use the one from the ready line of 'hearsay serve'.";
        return ErrorResponses.WriteAsync(context, new ApiException(401, ErrorCodes.InvalidApiKey, message));
    }

    /// <summary>
    /// The key of OpenAI's browser form for WebSockets, which cannot set headers: a subprotocol
    /// <c>openai-insecure-api-key.KEY</c> offered beside <c>realtime</c>.
    /// </summary>
    private static string? SubprotocolKey(HttpContext context)
    {
        const string Prefix = "openai-insecure-api-key.";
        return context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(protocol => protocol.StartsWith(Prefix, StringComparison.Ordinal))?[Prefix.Length..];
    }
}

/// <summary>The server's bearer token: given, or generated per start.</summary>
internal sealed class ServerToken(string? given)
{
    private readonly byte[] _bytes = Encoding.UTF8.GetBytes(given ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    public string Value => Encoding.UTF8.GetString(_bytes);

    /// <summary>Compares in constant time, so response timing says nothing about the token.</summary>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        var bytes = Encoding.UTF8.GetBytes(candidate.ToArray());
        return CryptographicOperations.FixedTimeEquals(bytes, _bytes);
    }
}
