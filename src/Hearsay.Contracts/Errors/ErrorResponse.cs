using System.Text.Json.Serialization;

namespace Hearsay.Contracts.Errors;

/// <summary>OpenAI's error envelope: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
/// <param name="Error">The error.</param>
public sealed record ErrorResponse(ErrorDetail Error);

/// <summary>The error inside <see cref="ErrorResponse"/>.</summary>
/// <param name="Message">What went wrong and what to do, for people.</param>
/// <param name="Type">OpenAI's class: <c>invalid_request_error</c>, <c>authentication_error</c>, <c>rate_limit_error</c>, <c>server_error</c>, <c>service_unavailable</c>.</param>
/// <param name="Param">The request field at fault, or null.</param>
/// <param name="Code">A stable code to branch on (see <see cref="ErrorCodes"/>), or null.</param>
public sealed record ErrorDetail(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
