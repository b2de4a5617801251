using System.Globalization;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Errors;
using Hearsay.Core;
using Hearsay.Core.Audio;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.ExternalPrograms;
using Hearsay.Core.Tts;
using Hearsay.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearsay.Server.Endpoints;

/// <summary>A speech request that passed every check that needs no engine.</summary>
/// <param name="Input">The text to speak.</param>
/// <param name="Voice">The voice as the client named it (resolved against the loaded voice later).</param>
/// <param name="Format">The encoding of the audio.</param>
/// <param name="Ffmpeg">The ffmpeg program, when <paramref name="Format"/> needs it.</param>
/// <param name="Options">The checked synthesis settings (the speaker is chosen from <paramref name="Voice"/> later).</param>
/// <param name="Sse">True for <c>stream_format=sse</c>.</param>
internal sealed record SpeechPlan(string Input, string Voice, AudioFormat Format, FfmpegProgram? Ffmpeg, SpeakOptions Options, bool Sse);

/// <summary>
/// Reads the JSON body of <c>POST /v1/audio/speech</c> and checks its fields as OpenAI does, so a client learns of a bad
/// field from a 400 naming it before any engine time is spent.
/// </summary>
internal static class SpeechRequestValidation
{
    private const string Audio = "audio";
    private const string Sse = "sse";

    /// <summary>OpenAI's models that do not stream events; OpenAI refuses <c>stream_format=sse</c> with them.</summary>
    private static readonly string[] ModelsWithoutSse = ["tts-1", "tts-1-hd"];

    /// <summary>Deserializes the body; anything but a JSON object of the request's fields is a 400.</summary>
    /// <exception cref="ApiException">400 for a body that is not a speech request.</exception>
    public static async Task<SpeechRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, HearsayJsonContext.Web.SpeechRequest, cancellationToken)
                ?? throw new ApiException(400, ErrorCodes.InvalidValue, "The body is JSON null; send an object with input, voice and model.");
        }
        catch (JsonException e)
        {
            throw new ApiException(
                400,
                ErrorCodes.InvalidValue,
                $"The body is not a valid speech request (a JSON object with input, voice, model and optional response_format, speed, stream_format): {e.Message}");
        }
    }

    /// <summary>Checks every field that needs no engine, in the order a client would fix them.</summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The server's limits.</param>
    /// <param name="configuredVoice">The voice the server serves (what <c>model</c> may name besides OpenAI's models).</param>
    /// <param name="ffmpeg">ffmpeg as the server's table of programs has it: the one lookup this request gets.</param>
    /// <exception cref="ApiException">400 naming the field; 404 for a model not served here.</exception>
    public static SpeechPlan Validate(SpeechRequest request, HearsayServerOptions options, string configuredVoice, ExternalTool ffmpeg)
    {
        ModelAliases.Check(request.Model, configuredVoice, ModelAliases.Tts, "--tts");
        var input = CheckInput(request.Input, options.MaxSpeechInputCharacters);
        var voice = CheckVoice(request.Voice);
        var speak = CheckOptions(request.Speed);
        var sse = CheckStreamFormat(request.StreamFormat, request.Model);
        var format = ChooseFormat(request.ResponseFormat, ffmpeg);
        return new SpeechPlan(input, voice, format, AudioFormats.NeedsFfmpeg(format) ? new FfmpegProgram(ffmpeg.ExecutablePath!, ffmpeg.Source!) : null, speak, sse);
    }

    private static string CheckInput(string? input, int limit)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw ApiException.Invalid("input", "input is required: the text to speak.");
        }

        return input.Length <= limit
            ? input
            : throw new ApiException(
                400,
                ErrorCodes.InputTooLong,
                string.Create(CultureInfo.InvariantCulture, $"input is {input.Length} characters long; this server speaks at most {limit} per request (--max-input-chars). Split the text and send it in parts."),
                "input");
    }

    private static string CheckVoice(string? voice)
    {
        if (string.IsNullOrWhiteSpace(voice))
        {
            throw ApiException.Invalid("voice", $"voice is required: an OpenAI voice name ({string.Join(", ", ModelAliases.Voices)}), the served voice's id, or one of its speakers.");
        }

        // Voices are names, never paths: refuse anything a file system could read as one before it is compared to anything.
        if (voice.AsSpan().IndexOfAny('/', '\\') >= 0 || voice.Contains("..", StringComparison.Ordinal) || voice.Any(char.IsControl))
        {
            throw ApiException.Invalid("voice", $"'{Printable(voice)}' is not a voice name: names have no path in them.");
        }

        return voice.Trim();
    }

    /// <summary>The settings the engine takes, checked by their owner before any wait for the engine.</summary>
    private static SpeakOptions CheckOptions(double? speed)
    {
        var options = new SpeakOptions { Speed = (float)(speed ?? 1d) };
        try
        {
            options.Validate();
        }
        catch (HearsayException e)
        {
            throw HearsayErrorMapping.ToApi(e);
        }

        return options;
    }

    private static bool CheckStreamFormat(string? streamFormat, string? model)
    {
        if (streamFormat is null || streamFormat == Audio)
        {
            return false;
        }

        if (streamFormat != Sse)
        {
            throw ApiException.Invalid("stream_format", $"'{Printable(streamFormat)}' is not a stream format: use audio (the default) or sse.");
        }

        // OpenAI documents that these two models do not stream events; a client must not come to depend on it here.
        if (ModelsWithoutSse.Contains(model, StringComparer.Ordinal))
        {
            throw ApiException.Invalid("stream_format", $"stream_format sse is not supported with {model}, as with OpenAI: use gpt-4o-mini-tts or the voice's id as the model.");
        }

        return true;
    }

    /// <summary>The requested format, or the default: mp3 as OpenAI's when ffmpeg is there, else wav.</summary>
    private static AudioFormat ChooseFormat(string? requested, ExternalTool ffmpeg)
    {
        if (requested is null)
        {
            return ffmpeg.Found ? AudioFormat.Mp3 : AudioFormat.Wav;
        }

        if (!AudioFormats.TryParse(requested, out var format))
        {
            throw ApiException.Invalid(
                "response_format", $"'{Printable(requested)}' is not an audio format: use {string.Join(", ", AudioFormats.Names)}.");
        }

        return !AudioFormats.NeedsFfmpeg(format) || ffmpeg.Found
            ? format
            : throw ApiException.Invalid(
                "response_format", $"response_format {requested} needs ffmpeg, which this server cannot use: {ffmpeg.Problem} wav, pcm and opus work without it.");
    }

    /// <summary>A client's value fit to quote in a message: control characters replaced, long values cut.</summary>
    private static string Printable(string value)
    {
        var cleaned = new string([.. value.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return value.Length > 64 ? cleaned + "…" : cleaned;
    }
}
