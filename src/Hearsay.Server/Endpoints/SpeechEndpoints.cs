using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Errors;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Tts;
using Hearsay.Server.Capabilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Endpoints;

/// <summary>OpenAI's <c>POST /v1/audio/speech</c>: text in, audio streamed out sentence by sentence.</summary>
internal static class SpeechEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/audio/speech", SpeakAsync)
            .WithSummary(
                "Speaks the input with the served voice. The body streams sentence by sentence (chunked), or as speech.audio.delta/done " +
                "events with stream_format=sse. wav and pcm (16-bit mono at the voice's rate, given in X-Sample-Rate) always work; " +
                "mp3 (the default), opus, aac and flac need ffmpeg, and without it the default is wav.")
            .Accepts<SpeechRequest>("application/json")
            // One call for every 200 type: a second Produces for the same status replaces the first's content types.
            // Stream makes them binary strings; without a type the document would list no content at all.
            .Produces<Stream>(StatusCodes.Status200OK, "audio/mpeg", "audio/wav", "audio/pcm", "audio/ogg", "audio/aac", "audio/flac", "text/event-stream")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task SpeakAsync(
        HttpContext context, ServedEngine<ITextToSpeechEngine> tts, HearsayServerOptions options, ExternalTools tools, ILoggerFactory loggers)
    {
        // RequestAborted throughout: a client that goes away stops synthesis before the next sentence.
        var cancellationToken = context.RequestAborted;
        var request = await SpeechRequestValidation.ReadAsync(context.Request, cancellationToken);
        var plan = SpeechRequestValidation.Validate(request, options, tts.Capability.Model, tools.Find(ExternalProgram.Ffmpeg));
        using var turn = await tts.AcquireAsync(cancellationToken);
        var speak = plan.Options with { Speaker = VoiceSelection.Resolve(plan.Voice, tts.Capability.Model, turn.Engine.Speakers) };
        await SpeechStreaming.WriteAsync(context, turn.Engine, plan, speak, loggers.CreateLogger("Hearsay.Server.Speech"));
    }
}
