using System.Globalization;
using System.Runtime.ExceptionServices;
using Hearsay.Contracts.Audio;
using Hearsay.Core;
using Hearsay.Core.Audio;
using Hearsay.Core.Tts;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// Streams synthesized speech to the client sentence by sentence: as a chunked audio body, or as OpenAI's
/// <c>speech.audio.delta</c>/<c>speech.audio.done</c> events. The response starts with the first sentence, so any
/// failure before it is an ordinary error response; a failure after it cuts the response off.
/// </summary>
internal static partial class SpeechStreaming
{
    /// <summary>The response header that gives the sample rate of <c>wav</c> and <c>pcm</c> audio (the voice's own rate).</summary>
    public const string SampleRateHeader = "X-Sample-Rate";

    private const string EventStream = "text/event-stream";

    /// <summary>Synthesizes <see cref="SpeechPlan.Input"/> and writes it to the response.</summary>
    /// <exception cref="ApiException">Before the response started: 400 when the input has nothing to speak.</exception>
    /// <exception cref="HearsayException">Before the response started: the engine failed.</exception>
    public static async Task WriteAsync(HttpContext context, ITextToSpeechEngine engine, SpeechPlan plan, SpeakOptions options, ILogger logger)
    {
        var cancellationToken = context.RequestAborted;
        await using var chunks = engine.SynthesizeAsync(plan.Input, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        // Synthesize the first sentence before answering: until then an error can still be a proper status code.
        await FirstSentenceAsync(chunks);

        var response = context.Response;
        StartResponse(response, plan, engine.SampleRate);
        using var events = plan.Sse ? new SseAudioStream(response.Body) : null;
        var output = events ?? response.Body;
        var sentences = 0;
        var failure = await TryWriteAllAsync();
        if (failure is null)
        {
            return;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the token stopped synthesis (and ffmpeg), and there is no one left to answer.
            LogClientGone(logger, sentences);
        }
        else if (response.HasStarted)
        {
            // Ending normally would make a truncated file look complete: abort, so the client sees a broken transfer.
            LogStreamFailed(logger, failure, sentences);
            context.Abort();
        }
        else
        {
            // Nothing was sent yet (ffmpeg failed before its first bytes): the error can still be a proper response.
            ExceptionDispatchInfo.Throw(failure);
        }

        // Caught rather than left to propagate so that the writer, and any ffmpeg it runs, is gone before deciding
        // how to end the response: its output pump could otherwise start the response behind an error handler's back.
        async Task<Exception?> TryWriteAllAsync()
        {
            var writer = AudioStreamWriter.Create(plan.Format, output, engine.SampleRate, plan.Ffmpeg, logger);
            try
            {
                long samples = 0;
                do
                {
                    await writer.WriteAsync(chunks.Current.Samples, cancellationToken);
                    // One flush per sentence: the client can play it while the next one is synthesized.
                    await writer.FlushAsync(cancellationToken);
                    sentences++;
                    samples += chunks.Current.Samples.Length;
                }
                while (await chunks.MoveNextAsync());

                await writer.CompleteAsync(cancellationToken);
                if (events is not null)
                {
                    await events.CompleteAsync(new SpeechUsage(plan.Input.Length, samples, plan.Input.Length + samples), cancellationToken);
                }

                return null;
            }
            catch (Exception e)
            {
                return e;
            }
            finally
            {
                await writer.DisposeAsync();
            }
        }
    }

    private static async Task FirstSentenceAsync(IAsyncEnumerator<AudioChunk> chunks)
    {
        bool any;
        try
        {
            any = await chunks.MoveNextAsync();
        }
        catch (HearsayException e) when (e.Code == HearsayErrorCode.InvalidInput)
        {
            // An option the engine refused names itself; anything else is about the text.
            throw HearsayErrorMapping.ToApi(e, e.OptionName is null ? "input" : null);
        }

        if (!any)
        {
            throw ApiException.Invalid("input", "The input has nothing to speak: no words or numbers.");
        }
    }

    private static void StartResponse(HttpResponse response, SpeechPlan plan, int sampleRate)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = plan.Sse ? EventStream : AudioFormats.ContentType(plan.Format);
        response.Headers.CacheControl = "no-store";
        if (plan.Format is AudioFormat.Wav or AudioFormat.Pcm)
        {
            // Raw PCM has no header to carry its rate, and it is the voice's, not OpenAI's fixed 24 kHz: say it here.
            response.Headers[SampleRateHeader] = sampleRate.ToString(CultureInfo.InvariantCulture);
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Speech stopped after {Sentences} sentence(s): the client went away")]
    private static partial void LogClientGone(ILogger logger, int sentences);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Error, Message = "Speech failed after {Sentences} sentence(s) were sent; the response was cut off")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception, int sentences);
}
