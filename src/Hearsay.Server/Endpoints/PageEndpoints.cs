using Hearsay.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// The first-run page at <c>/</c> and its files: voice status, the one-time download, and trying speech both ways.
/// No token is needed for the files; every other path outside <c>/v1</c> stays 404.
/// </summary>
internal static class PageEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var file in PageFile.LoadAll())
        {
            app.MapMethods(file.Route, [HttpMethods.Get, HttpMethods.Head], file.WriteAsync)
                .ExcludeFromDescription();
        }
    }
}
