using System.Net;
using Hearsay.FunctionalTests.Server;

namespace Hearsay.FunctionalTests.Page;

/// <summary>How the sidecar serves the page's files: no token, strict headers, validators, and nothing else outside /v1.</summary>
public class PageServingTests
{
    [Fact]
    public async Task Get_Root_ServesThePageWithoutATokenAndWithItsSecurityHeaders()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var anonymous = server.Client(token: null);

        using var response = await anonymous.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("media-src 'self' blob:;", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:;", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/app.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/app.js", "text/javascript; charset=utf-8")]
    [InlineData("/recorder-worklet.js", "text/javascript; charset=utf-8")]
    [InlineData("/app.css", "text/css; charset=utf-8")]
    [InlineData("/icon.svg", "image/svg+xml")]
    public async Task Get_AFileOfThePage_HasItsContentType(string path, string contentType)
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var anonymous = server.Client(token: null);

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_WithTheETagOfTheCurrentFile_Answers304()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var anonymous = server.Client(token: null);
        using var first = await anonymous.GetAsync("/app.js");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/app.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/nothing-here.js")]
    [InlineData("/index.html")]
    [InlineData("/Page/app.js")]
    [InlineData("/app.js/x")]
    public async Task Get_AnUnknownPath_Is404(string path)
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var anonymous = server.Client(token: null);

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_ThePageForAForeignHost_IsRefused()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var anonymous = server.Client(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "attacker.example";

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new InvalidOperationException($"No {name} header.");
}
