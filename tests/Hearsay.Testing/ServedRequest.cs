namespace Hearsay.Testing;

/// <summary>One request <see cref="FaultyFileServer"/> answered, in the order they arrived.</summary>
/// <param name="Method">The HTTP method, e.g. <c>GET</c> or <c>HEAD</c>.</param>
/// <param name="Path">The URL path, unescaped.</param>
/// <param name="Range">The request's <c>Range</c> header, or null when it had none.</param>
/// <param name="StatusCode">
/// The status the server answered with. A response cut short by <see cref="FaultyFileServer.DropAfter"/> still shows
/// the status its headers carried.
/// </param>
/// <param name="UserAgent">The request's <c>User-Agent</c> header, or null when it had none.</param>
public sealed record ServedRequest(string Method, string Path, string? Range, int StatusCode, string? UserAgent = null);
