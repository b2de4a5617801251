using System.Globalization;
using Hearsay.Contracts.Errors;
using Hearsay.Core;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Formats;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Hearsay.Server.Endpoints;

/// <summary>A transcription or translation request, read from its form and checked field by field.</summary>
/// <param name="File">The uploaded audio.</param>
/// <param name="Options">Task, language, prompt and temperature for the engine.</param>
/// <param name="Format">The response format.</param>
/// <param name="Stream">Whether the text is sent as server-sent events while it is decoded.</param>
/// <param name="Cues">How srt and vtt are cut into cues.</param>
internal sealed record TranscriptionRequest(IFormFile File, TranscribeOptions Options, TranscriptFormat Format, bool Stream, SubtitleCues Cues);

/// <summary>
/// Reads OpenAI's multipart form for <c>/v1/audio/transcriptions</c> and <c>/v1/audio/translations</c>. Each field
/// that is wrong gives a 400 naming it; fields OpenAI defines that do not apply here, and unknown fields, are ignored
/// as OpenAI ignores them.
/// </summary>
internal static class TranscriptionForm
{
    /// <summary>OpenAI's SDKs send the list with brackets; plain form posts may not.</summary>
    private static readonly string[] GranularityFields = ["timestamp_granularities[]", "timestamp_granularities"];

    /// <summary>Hearsay's field for subtitle lines of whole words (openai-whisper's <c>--max_line_width</c>).</summary>
    private const string MaxLineWidthField = "max_line_width";

    /// <summary>The widest cue accepted: longer lines are no longer subtitles.</summary>
    private const int MaxLineWidth = 1000;

    /// <summary>Reads and checks the form.</summary>
    /// <param name="request">The HTTP request.</param>
    /// <param name="task">Transcribe (<c>/transcriptions</c>) or translate (<c>/translations</c>).</param>
    /// <param name="configuredModel">The model this server serves, which <c>model</c> must name (or alias).</param>
    /// <param name="samplingSeed">The server's seed for the temperature fallback's sampling; null for random.</param>
    /// <param name="cancellationToken">The request's.</param>
    /// <exception cref="ApiException">400 for a field that is missing or wrong, or a body that is not a multipart form; 404 for another model.</exception>
    /// <exception cref="BadHttpRequestException">413 when the body is larger than the server accepts.</exception>
    public static async Task<TranscriptionRequest> ReadAsync(
        HttpRequest request, TranscriptionTask task, string configuredModel, int? samplingSeed, CancellationToken cancellationToken)
    {
        var form = await ReadMultipartAsync(request, cancellationToken);
        var file = form.Files.GetFile("file")
            ?? throw ApiException.Invalid("file", "file is required: the audio, sent as a file part of a multipart/form-data body.");
        ModelAliases.Check(Field(form, "model"), configuredModel, ModelAliases.Stt, "--stt");
        var format = Format(Field(form, "response_format"));
        var options = new TranscribeOptions
        {
            Task = task,
            Language = task == TranscriptionTask.Transcribe ? Language(Field(form, "language")) : null,
            Prompt = Prompt(Field(form, "prompt")),
            Temperature = Temperature(Field(form, "temperature")),
            Seed = samplingSeed,
        };
        var stream = false;
        var cues = SubtitleCues.Segments;
        if (task == TranscriptionTask.Transcribe)
        {
            var words = WordsAskedFor(form);
            cues = Cues(form, format, words);
            options = options with { WordTimestamps = words || cues != SubtitleCues.Segments };
            stream = Stream(Field(form, "stream"));
            if (stream && format is not (TranscriptFormat.Json or TranscriptFormat.Text))
            {
                throw ApiException.Invalid(
                    "response_format", $"response_format {Field(form, "response_format")} cannot be streamed; with stream=true use json or text.");
            }
        }

        try
        {
            options.Validate();
        }
        catch (HearsayException e) when (e.Code == HearsayErrorCode.InvalidInput)
        {
            throw HearsayErrorMapping.ToApi(e);
        }

        return new TranscriptionRequest(file, options, format, stream, cues);
    }

    private static async Task<IFormCollection> ReadMultipartAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(
                400, ErrorCodes.InvalidValue, "The request must be multipart/form-data, with the audio in a part named file (as OpenAI's API takes it).");
        }

        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            // A form limit other than the body size (a huge text field, too many parts) or a malformed part.
            throw new ApiException(400, ErrorCodes.InvalidValue, $"The multipart form cannot be read: {e.Message}");
        }
        catch (IOException e) when (e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiException(400, ErrorCodes.InvalidValue, $"The multipart form is incomplete or malformed: {e.Message}");
        }
    }

    /// <summary>A text field; absent and empty are the same, as in OpenAI's form handling.</summary>
    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static TranscriptFormat Format(string? name)
    {
        if (name is null)
        {
            return TranscriptFormat.Json;
        }

        return TranscriptFormatter.TryParse(name, out var format)
            ? format
            : throw ApiException.Invalid("response_format", $"response_format {name} is not one of {string.Join(", ", TranscriptFormatter.Names)}.");
    }

    private static double Temperature(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var temperature) && temperature is >= 0 and <= 1
            ? temperature
            : throw ApiException.Invalid("temperature", $"temperature must be a number between 0 and 1, not {value}.");
    }

    /// <summary>Checked here, before the prompt is encoded, so that no request can make that work long.</summary>
    private static string? Prompt(string? value) =>
        value is not { Length: > TranscribeOptions.MaxPromptLength }
            ? value
            : throw ApiException.Invalid(
                "prompt",
                $"prompt is {value.Length} characters long; at most {TranscribeOptions.MaxPromptLength} are accepted. Whisper reads only the last 170 words or so of a prompt: send its end.");

    private static string? Language(string? value) =>
        value is null || WhisperLanguages.TryNormalize(value, out _)
            ? value
            : throw ApiException.Invalid("language", $"language {value} is not a language Whisper knows; use an ISO-639-1 code such as en, de or fr.");

    private static bool Stream(string? value) => value?.ToUpperInvariant() switch
    {
        null or "FALSE" => false,
        "TRUE" => true,
        _ => throw ApiException.Invalid("stream", $"stream must be true or false, not {value}."),
    };

    /// <summary>Whether <c>timestamp_granularities[]</c> holds <c>word</c>; <c>segment</c> asks for nothing more (segment
    /// times are always there, in verbose_json, srt and vtt).</summary>
    private static bool WordsAskedFor(IFormCollection form)
    {
        var words = false;
        foreach (var value in GranularityFields.SelectMany(name => form.TryGetValue(name, out var given) ? given : StringValues.Empty))
        {
            words |= value switch
            {
                "segment" => false,
                "word" => true,
                _ => throw ApiException.Invalid("timestamp_granularities", $"timestamp_granularities[] {value} is not segment or word."),
            };
        }

        return words;
    }

    /// <summary>
    /// How srt and vtt are cut: per segment, per word (<c>timestamp_granularities[]=word</c>), or in lines of whole words
    /// up to <c>max_line_width</c> characters (Hearsay's field). Words cannot be shown in json and text, so asking for them
    /// there is refused, as OpenAI refuses granularities outside verbose_json.
    /// </summary>
    private static SubtitleCues Cues(IFormCollection form, TranscriptFormat format, bool words)
    {
        var width = Field(form, MaxLineWidthField);
        if (format is TranscriptFormat.Json or TranscriptFormat.Text && words)
        {
            throw ApiException.Invalid(
                "timestamp_granularities", "Word timestamps appear only in verbose_json (words[]), srt and vtt (a cue per word); use one of those response formats.");
        }

        if (width is null)
        {
            return words && format is TranscriptFormat.Srt or TranscriptFormat.Vtt ? SubtitleCues.Words : SubtitleCues.Segments;
        }

        if (format is not (TranscriptFormat.Srt or TranscriptFormat.Vtt))
        {
            throw ApiException.Invalid(MaxLineWidthField, $"{MaxLineWidthField} cuts srt and vtt cues; it does not apply to {format.ToString().ToLowerInvariant()}.");
        }

        return int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out var characters) && characters is > 0 and <= MaxLineWidth
            ? SubtitleCues.Lines(characters)
            : throw ApiException.Invalid(MaxLineWidthField, $"{MaxLineWidthField} must be a whole number of characters from 1 to {MaxLineWidth}, not {width}.");
    }
}
