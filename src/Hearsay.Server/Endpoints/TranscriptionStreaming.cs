using System.Text;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Errors;
using Hearsay.Core;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Stt;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// A transcription with <c>stream=true</c>, as OpenAI sends it: server-sent events of bare <c>data:</c> lines, one
/// <c>transcript.text.delta</c> per segment as it is decoded, then one <c>transcript.text.done</c> with the whole text.
/// </summary>
internal static partial class TranscriptionStreaming
{
    /// <summary>Transcribes <paramref name="audio"/> into <paramref name="response"/> as events.</summary>
    /// <remarks>
    /// The status line waits for the first segment, so a failure at the start (a language the model cannot
    /// transcribe, audio that cannot be decoded) is still an ordinary error response. A failure after that cannot
    /// change the status any more: it is logged, sent as an event in OpenAI's error envelope
    /// (<c>data: {"error": {…}}</c>, which OpenAI's SDKs raise), and the stream ends without a done event.
    /// </remarks>
    public static async Task WriteAsync(
        HttpResponse response, ISpeechToTextEngine engine, MonoAudioReader audio, TranscribeOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        await using var segments = engine.StreamAsync(audio, options, progress: null, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await segments.MoveNextAsync();

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var text = new StringBuilder();
        try
        {
            while (more)
            {
                // Whisper starts each segment with a space; the first one is dropped so that the deltas add up to the
                // text exactly as the json format writes it.
                var delta = text.Length == 0 ? segments.Current.Text.TrimStart() : segments.Current.Text;
                if (delta.Length > 0)
                {
                    text.Append(delta);
                    await WriteEventAsync(response, new TranscriptTextEvent(TranscriptTextEvent.DeltaType, Delta: delta), cancellationToken);
                }

                more = await segments.MoveNextAsync();
            }

            await WriteEventAsync(response, new TranscriptTextEvent(TranscriptTextEvent.DoneType, Text: text.ToString()), cancellationToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            LogStreamFailed(logger, e);
            var error = e is HearsayException hearsay
                ? HearsayErrorMapping.ToApi(hearsay)
                : new ApiException(500, ErrorCodes.InternalError, "Something went wrong inside Hearsay; its log has the details.");
            var envelope = new ErrorResponse(new ErrorDetail(error.Message, error.Type, error.Param, error.Code));
            await WriteDataAsync(response, JsonSerializer.Serialize(envelope, HearsayJsonContext.Web.ErrorResponse), cancellationToken);
        }
    }

    private static Task WriteEventAsync(HttpResponse response, TranscriptTextEvent item, CancellationToken cancellationToken) =>
        WriteDataAsync(response, JsonSerializer.Serialize(item, HearsayJsonContext.Web.TranscriptTextEvent), cancellationToken);

    /// <summary>One event: a single <c>data:</c> line (the JSON has no line breaks), a blank line, and a flush so it leaves now.</summary>
    private static async Task WriteDataAsync(HttpResponse response, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync("data: " + json + "\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "A streamed transcription failed after its first event; the stream was ended with an error event")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception);
}
