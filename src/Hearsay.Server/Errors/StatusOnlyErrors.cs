using Hearsay.Contracts;
using Hearsay.Contracts.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Hearsay.Server.Errors;

/// <summary>
/// The words for an error that routing answers with a status alone: a path no endpoint has (404), a method the path
/// does not take (405), a body type the endpoint does not read (415). Under <c>/v1</c> every error carries OpenAI's
/// envelope, since that is what the clients there parse; other routes (the page, health) keep their own answers.
/// </summary>
internal static class StatusOnlyErrors
{
    public static bool IsApi(PathString path) => path.StartsWithSegments(HearsayRoutes.Api, StringComparison.OrdinalIgnoreCase);

    public static ApiException Describe(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        return status switch
        {
            StatusCodes.Status404NotFound => new ApiException(
                status, ErrorCodes.UnknownUrl, $"There is no {request.Method} {request.Path} in Hearsay's API; /openapi/v1.json lists the endpoints."),
            StatusCodes.Status405MethodNotAllowed => new ApiException(
                status, ErrorCodes.MethodNotAllowed, $"{request.Path} does not take {request.Method}; it takes {context.Response.Headers.Allow}."),
            StatusCodes.Status415UnsupportedMediaType => new ApiException(
                status,
                ErrorCodes.UnsupportedMediaType,
                $"{request.Method} {request.Path} does not read a body of type {(string.IsNullOrEmpty(request.ContentType) ? "(none)" : request.ContentType)}; " +
                $"send {string.Join(" or ", Accepted(context))}, with that Content-Type."),
            < 500 => new ApiException(status, ErrorCodes.InvalidValue, ReasonPhrases.GetReasonPhrase(status)),
            _ => new ApiException(status, ErrorCodes.InternalError, ReasonPhrases.GetReasonPhrase(status)),
        };
    }

    /// <summary>
    /// The body types the endpoints at the request's path and method read. Routing answers a 415 with an endpoint of its
    /// own that says nothing of them, so they are looked up again.
    /// </summary>
    private static IEnumerable<string> Accepted(HttpContext context)
    {
        var request = context.Request;
        var endpoints = context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .Where(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase) != false)
            .Where(endpoint => new TemplateMatcher(TemplateParser.Parse(endpoint.RoutePattern.RawText ?? ""), []).TryMatch(request.Path, []))
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
