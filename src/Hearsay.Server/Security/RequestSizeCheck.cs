using Hearsay.Contracts.Errors;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearsay.Server.Security;

/// <summary>
/// Answers 413 at once when a request declares a body larger than the limit, before any endpoint looks at it (or at
/// the capability's state). Bodies without a declared length are cut off by Kestrel's own limit while being read.
/// </summary>
internal sealed class RequestSizeCheck(RequestDelegate next, HearsayServerOptions options)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            return ErrorResponses.WriteAsync(context, new ApiException(413, ErrorCodes.RequestTooLarge, ErrorResponses.TooLarge(context)));
        }

        return next(context);
    }
}
