using Hearsay.Contracts.Errors;

namespace Hearsay.Server.Errors;

/// <summary>A failure the client is told about, with its HTTP status and OpenAI error fields.</summary>
internal sealed class ApiException(int status, string code, string message, string? param = null, TimeSpan? retryAfter = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string? Param { get; } = param;

    /// <summary>Sent as <c>Retry-After</c> (429, 503).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>OpenAI's error class for the status.</summary>
    public string Type => Status switch
    {
        401 => "authentication_error",
        429 => "rate_limit_error",
        503 => "service_unavailable",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    public static ApiException Invalid(string param, string message) => new(400, ErrorCodes.InvalidValue, message, param);

    public static ApiException ModelNotFound(string param, string message) => new(404, ErrorCodes.ModelNotFound, message, param);
}
