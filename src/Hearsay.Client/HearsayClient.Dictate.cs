using System.Net;
using System.Net.WebSockets;

namespace Hearsay.Client;

/// <content>Live dictation over the Realtime transcription WebSocket.</content>
public sealed partial class HearsayClient
{
    /// <summary>
    /// Opens a live dictation session (<c>GET /v1/realtime?intent=transcription</c>, OpenAI's Realtime transcription
    /// session over <see cref="ClientWebSocket"/>) and returns it once it runs with <paramref name="options"/>.
    /// </summary>
    /// <param name="options">Rate, language, prompt and turn detection; null: OpenAI's defaults (24 kHz, server VAD).</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <returns>The session: push PCM16, read its events.</returns>
    /// <exception cref="HearsayApiException">The upgrade was refused (503: speech-to-text is not ready), or the options were.</exception>
    public async Task<HearsayDictation> DictateAsync(DictationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + Token);
            socket.Options.CollectHttpResponseDetails = true;
            var url = new UriBuilder(new Uri(BaseUrl, "/v1/realtime?intent=transcription"))
            {
                Scheme = BaseUrl.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs,
            }.Uri;
            try
            {
                await socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
            {
                throw await RefusedAsync(socket.HttpStatusCode, cancellationToken).ConfigureAwait(false);
            }

            return await HearsayDictation.StartAsync(socket, options ?? new DictationOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // A WebSocket client does not see the body of a refused upgrade: the status says why speech-to-text is not ready.
    private async Task<HearsayApiException> RefusedAsync(HttpStatusCode status, CancellationToken cancellationToken)
    {
        if (status != HttpStatusCode.ServiceUnavailable)
        {
            return new HearsayApiException(status, $"Hearsay refused the dictation session with {(int)status} {status}.");
        }

        var stt = (await GetStatusAsync(cancellationToken).ConfigureAwait(false)).Stt;
        return new HearsayApiException(
            status, $"Speech-to-text is not ready ({stt.State}){(stt.Reason is { } reason ? ": " + reason : ".")}", type: "service_unavailable");
    }
}
