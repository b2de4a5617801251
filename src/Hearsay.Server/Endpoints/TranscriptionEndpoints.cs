using System.Text.Json.Nodes;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Errors;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Formats;
using Hearsay.Server.Capabilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// OpenAI's <c>POST /v1/audio/transcriptions</c> and <c>POST /v1/audio/translations</c>: a multipart upload in, the
/// text in OpenAI's json, text, srt, vtt or verbose_json shape out, or server-sent events with <c>stream=true</c>.
/// </summary>
internal static class TranscriptionEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        Document(v1.MapPost("/audio/transcriptions", TranscribeAsync), TranscriptionTask.Transcribe)
            .WithSummary("Transcribes speech: text in OpenAI's json, text, srt, vtt or verbose_json shape, or transcript.text.delta/done events with stream=true.");
        Document(v1.MapPost("/audio/translations", TranslateAsync), TranscriptionTask.Translate)
            .WithSummary("Translates speech to English text, in the same shapes as transcriptions; needs a multilingual model.");
    }

    private static Task TranscribeAsync(
        HttpContext context, [FromServices] ServedEngine<ISpeechToTextEngine> stt, [FromServices] HearsayServerOptions options, [FromServices] ILoggerFactory loggers) =>
        HandleAsync(context, TranscriptionTask.Transcribe, stt, options, loggers);

    private static Task TranslateAsync(
        HttpContext context, [FromServices] ServedEngine<ISpeechToTextEngine> stt, [FromServices] HearsayServerOptions options, [FromServices] ILoggerFactory loggers) =>
        HandleAsync(context, TranscriptionTask.Translate, stt, options, loggers);

    private static async Task HandleAsync(
        HttpContext context, TranscriptionTask task, ServedEngine<ISpeechToTextEngine> stt, HearsayServerOptions options, ILoggerFactory loggers)
    {
        // RequestAborted reaches the engine: a client that goes away stops its inference and frees its turn.
        var cancellationToken = context.RequestAborted;
        // The form is read here rather than bound, so that an oversized body reaches the error middleware as a 413.
        var request = await TranscriptionForm.ReadAsync(context.Request, task, stt.Capability.Model, options.SamplingSeed, cancellationToken);
        string body;
        using (var turn = await stt.AcquireAsync(cancellationToken))
        {
            await using var upload = request.File.OpenReadStream();
            var tools = context.RequestServices.GetRequiredService<ExternalTools>();
            await using var audio = await TranscriptionAudio.OpenAsync(upload, options, tools, loggers, cancellationToken);
            if (request.Stream)
            {
                var logger = loggers.CreateLogger(typeof(TranscriptionEndpoints).FullName!);
                await TranscriptionStreaming.WriteAsync(context.Response, turn.Engine, audio, request.Options, logger, cancellationToken);
                return;
            }

            var transcription = await turn.Engine.TranscribeAsync(audio, request.Options, progress: null, cancellationToken);
            body = TranscriptResponses.Format(transcription, request.Format, task, request.Options.WordTimestamps, request.Cues);
        }

        context.Response.ContentType = TranscriptResponses.ContentType(request.Format);
        await context.Response.WriteAsync(body, cancellationToken);
    }

    /// <summary>
    /// Describes an endpoint for the OpenAPI document. The form is read by hand and one status has several shapes, which
    /// endpoint metadata cannot say (a second <c>Produces</c> for 200 replaces the first), so the request body and the
    /// 200 response are written here.
    /// </summary>
    private static RouteHandlerBuilder Document(RouteHandlerBuilder endpoint, TranscriptionTask task) => endpoint
        .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
        .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
        .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
        .Produces<ErrorResponse>(StatusCodes.Status415UnsupportedMediaType)
        .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests)
        .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)
        .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = FormSchema(task) } },
            };
            var json = new OpenApiSchema
            {
                OneOf =
                [
                    await context.GetOrCreateSchemaAsync(typeof(TranscriptionText), cancellationToken: cancellationToken),
                    await context.GetOrCreateSchemaAsync(typeof(VerboseTranscription), cancellationToken: cancellationToken),
                ],
            };
            var content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = json },
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "text, srt and vtt" } },
            };
            if (task == TranscriptionTask.Transcribe)
            {
                content["text/event-stream"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(TranscriptTextEvent), cancellationToken: cancellationToken) };
            }

            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse { Description = "The text in the requested format.", Content = content };
        });

    private static OpenApiSchema FormSchema(TranscriptionTask task)
    {
        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["file"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = "binary",
                Description = $"The audio: {ExternalProgram.InProcessAudioFormats} in-process; m4a/aac and others through ffmpeg.",
            },
            ["model"] = Text($"{string.Join(", ", ModelAliases.Stt)} or the served model's id; optional."),
            ["prompt"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MaxLength = TranscribeOptions.MaxPromptLength,
                Description = "Text that precedes the audio: names, spellings, style. Whisper reads its last 223 tokens.",
            },
            ["response_format"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. TranscriptFormatter.Names.Select(name => JsonValue.Create(name))],
                Default = JsonValue.Create("json"),
            },
            ["temperature"] = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Maximum = "1", Default = JsonValue.Create(0) },
        };
        if (task == TranscriptionTask.Transcribe)
        {
            properties["language"] = Text("The spoken language as an ISO-639-1 code (en); detected when absent.");
            properties["timestamp_granularities[]"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("segment"), JsonValue.Create("word")] },
                Description = "word: verbose_json lists words[] (segment times refined from them), srt and vtt get a cue per word; json and text refuse it. Needs Hearsay's own Whisper decoder.",
            };
            properties["max_line_width"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Description = "Hearsay's: srt and vtt cues of whole words up to this many characters (aligned words, as timestamp_granularities[]=word).",
            };
            properties["stream"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Boolean,
                Default = JsonValue.Create(false),
                Description = "Send server-sent events as segments are decoded (json and text formats only).",
            };
        }

        return new OpenApiSchema { Type = JsonSchemaType.Object, Required = new HashSet<string> { "file" }, Properties = properties };
    }
}
