using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Hearsay.Server.Web;

/// <summary>
/// One file of the first-run page, embedded in the assembly (so the single-file binary carries it) and served with a
/// strict content security policy. The files hold no secret, so they need no token; the page asks for it.
/// </summary>
internal sealed class PageFile
{
    /// <summary>Only the page's own files run and load; audio plays from blobs the page made; nothing may frame it.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob:; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The prefix of the page's resource names, set by the project file's <c>EmbeddedResource</c> items.</summary>
    private const string ResourcePrefix = "Hearsay.Page.";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly byte[] _content;

    private PageFile(string name, string contentType, byte[] content)
    {
        Name = name;
        ContentType = contentType;
        _content = content;
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"";
    }

    /// <summary>The file name, e.g. <c>app.js</c>.</summary>
    public string Name { get; }

    /// <summary>The URL path it is served at: <c>/</c> for <c>index.html</c>, else <c>/NAME</c>.</summary>
    public string Route => Name == "index.html" ? "/" : "/" + Name;

    public string ContentType { get; }

    /// <summary>A strong validator from the content, so a reload after an upgrade never shows stale files.</summary>
    public string ETag { get; }

    /// <summary>Reads every embedded page file.</summary>
    /// <exception cref="InvalidOperationException">A file has a type the page does not serve, or there is no index.html.</exception>
    public static IReadOnlyList<PageFile> LoadAll()
    {
        var assembly = typeof(PageFile).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(resource => Load(assembly, resource))
            .ToList();
        return files.Any(file => file.Route == "/")
            ? files
            : throw new InvalidOperationException("The page's index.html is not embedded in Hearsay.Server.");
    }

    private static PageFile Load(Assembly assembly, string resource)
    {
        var name = resource[ResourcePrefix.Length..];
        if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            throw new InvalidOperationException($"The page file {name} has no known content type.");
        }

        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new PageFile(name, contentType, copy.ToArray());
    }

    /// <summary>Answers GET or HEAD: the content, or 304 when the client's copy is current.</summary>
    public Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidate every time: the ETag makes that a cheap 304, and an upgraded sidecar never serves yesterday's script.
        headers.CacheControl = "no-cache";
        headers.ETag = ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = ContentType;
        response.ContentLength = _content.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(_content, context.RequestAborted).AsTask();
    }
}
