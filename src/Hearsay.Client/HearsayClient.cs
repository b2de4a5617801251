using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Sidecar;
using Hearsay.Contracts.Status;

namespace Hearsay.Client;

/// <summary>
/// A typed client for one Hearsay server. Every call sends the server's bearer token; every error answer becomes a
/// <see cref="HearsayApiException"/> carrying the server's status and error code.
/// </summary>
/// <remarks>Thread-safe: one instance serves the whole app, as <see cref="HttpClient"/> does.</remarks>
public sealed partial class HearsayClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client for the server at <paramref name="baseUrl"/> with <paramref name="token"/>.</summary>
    /// <param name="baseUrl">The ready line's <c>url</c>.</param>
    /// <param name="token">The ready line's <c>token</c>.</param>
    /// <param name="http">An HTTP client to use (not disposed with this one); null creates one without an overall timeout, since speech streams and event streams are long.</param>
    public HearsayClient(Uri baseUrl, string token, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        BaseUrl = baseUrl;
        Token = token;
    }

    /// <summary>The server's base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The bearer token sent with every call.</summary>
    public string Token { get; }

    /// <summary>A client for the server that printed <paramref name="readyLine"/> (<c>{"event":"ready","url":…,"token":…}</c>).</summary>
    /// <exception cref="FormatException">The line is not a ready line.</exception>
    public static HearsayClient FromReadyLine(string readyLine, HttpClient? http = null)
    {
        ReadyLine? ready;
        try
        {
            ready = JsonSerializer.Deserialize(readyLine, HearsayJsonContext.Default.ReadyLine);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a Hearsay ready line: {readyLine}", e);
        }

        return ready is { Event: "ready", Url.Length: > 0, Token.Length: > 0 }
            ? new HearsayClient(new Uri(ready.Url), ready.Token, http)
            : throw new FormatException($"Not a Hearsay ready line: {readyLine}");
    }

    /// <summary>The state of speech-to-text and text-to-speech, and downloads in progress.</summary>
    public Task<HearsayStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync(HearsayRoutes.Status, HearsayJsonContext.Default.HearsayStatus, cancellationToken);

    /// <summary>The current status, then one per change (download progress included), until cancelled or the server stops.</summary>
    public async IAsyncEnumerable<HearsayStatus> WatchStatusAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, HearsayRoutes.StatusEvents), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.EventType == "status")
                {
                    yield return JsonSerializer.Deserialize(item.Data, HearsayJsonContext.Default.HearsayStatus)!;
                }
            }
        }
    }

    /// <summary>Whether every capability in <paramref name="capabilities"/> (<c>stt</c>, <c>tts</c>; none: every enabled one) is ready.</summary>
    public async Task<bool> IsReadyAsync(IEnumerable<string>? capabilities = null, CancellationToken cancellationToken = default)
    {
        var require = capabilities is null ? "" : "?require=" + Uri.EscapeDataString(string.Join(',', capabilities));
        using var response = await _http.GetAsync(new Uri(BaseUrl, HearsayRoutes.Ready + require), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return response.IsSuccessStatusCode;
        }

        throw await ErrorFromAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The models the server answers to (OpenAI's list).</summary>
    public Task<ModelList> ListModelsAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync(HearsayRoutes.Models, HearsayJsonContext.Default.ModelList, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
        ?? throw new HearsayApiException(response.StatusCode, "The server sent an empty body.");

    /// <summary>Sends with the token; returns once headers arrive (bodies may stream); throws for error statuses.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.RequestUri = new Uri(BaseUrl, request.RequestUri!);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await ErrorFromAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<HearsayApiException> ErrorFromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        try
        {
            if (JsonSerializer.Deserialize(text, HearsayJsonContext.Default.ErrorResponse)?.Error is { } error)
            {
                return new HearsayApiException(response.StatusCode, error.Message, error.Type, error.Code, error.Param, retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not Hearsay's envelope (a proxy, or another server on the port): report the text as it is.
        }

        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        return new HearsayApiException(response.StatusCode, $"HTTP {status}: {(text.Length > 500 ? text[..500] : text)}", retryAfter: retryAfter);
    }
}
