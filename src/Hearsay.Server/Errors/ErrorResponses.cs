using System.Globalization;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Errors;
using Hearsay.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Errors;

/// <summary>
/// Writes every failure in OpenAI's error envelope with the right status, and gives one to a <c>/v1</c> error status
/// that would otherwise go out with no body. Unexpected exceptions are logged and answered with a generic 500: no stack
/// trace or internal detail reaches a client.
/// </summary>
internal sealed partial class ErrorResponses(RequestDelegate next, ILogger<ErrorResponses> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && StatusOnlyErrors.IsApi(context.Request.Path))
            {
                await WriteEnvelopeAsync(context, StatusOnlyErrors.Describe(context));
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; its run was cancelled and there is no one to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var error = e switch
            {
                ApiException api => api,
                HearsayException hearsay => HearsayErrorMapping.ToApi(hearsay),
                BadHttpRequestException { StatusCode: 413 } => new ApiException(413, ErrorCodes.RequestTooLarge, TooLarge(context)),
                BadHttpRequestException bad => new ApiException(bad.StatusCode, ErrorCodes.InvalidValue, bad.Message),
                _ => null,
            };
            if (error is null)
            {
                LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
                error = new ApiException(500, ErrorCodes.InternalError, "Something went wrong inside Hearsay; its log has the details.");
            }

            await WriteAsync(context, error);
        }
    }

    public static Task WriteAsync(HttpContext context, ApiException error)
    {
        context.Response.Clear();
        return WriteEnvelopeAsync(context, error);
    }

    /// <summary>Writes the envelope over what the response already has (the <c>Allow</c> header of a 405).</summary>
    private static Task WriteEnvelopeAsync(HttpContext context, ApiException error)
    {
        context.Response.StatusCode = error.Status;
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        if (error.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var body = new ErrorResponse(new ErrorDetail(error.Message, error.Type, error.Param, error.Code));
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HearsayJsonContext.Web.ErrorResponse), context.RequestAborted);
    }

    public static string TooLarge(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return limit is { } bytes
            ? string.Create(CultureInfo.InvariantCulture, $"The request is larger than this server accepts ({bytes / (1024.0 * 1024):0.#} MiB).")
            : "The request is larger than this server accepts.";
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "Unexpected failure in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
