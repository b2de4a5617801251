using System.Net;

namespace Hearsay.Client;

/// <summary>The server answered with an error: its status and OpenAI-style error fields. Branch on <see cref="Code"/>.</summary>
public sealed class HearsayApiException : Exception
{
    /// <summary>Creates the exception from the server's answer.</summary>
    public HearsayApiException(HttpStatusCode status, string message, string? type = null, string? code = null, string? param = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = status;
        Type = type;
        Code = code;
        Param = param;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>OpenAI's error class (<c>invalid_request_error</c>…), when the body had one.</summary>
    public string? Type { get; }

    /// <summary>The stable code (<see cref="Contracts.Errors.ErrorCodes"/>), when the body had one.</summary>
    public string? Code { get; }

    /// <summary>The request field at fault.</summary>
    public string? Param { get; }

    /// <summary>When to retry (429 busy, 503 loading or downloading).</summary>
    public TimeSpan? RetryAfter { get; }
}
