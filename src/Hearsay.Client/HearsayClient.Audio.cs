using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;

namespace Hearsay.Client;

/// <content>Speech-to-text and text-to-speech.</content>
public sealed partial class HearsayClient
{
    /// <summary>Each granularity and its value in OpenAI's form field.</summary>
    private static readonly (TimestampGranularities Granularity, string Name)[] Granularities =
        [(TimestampGranularities.Segment, "segment"), (TimestampGranularities.Word, "word")];

    /// <summary>Transcribes <paramref name="audio"/> and returns every detail (OpenAI's <c>verbose_json</c>).</summary>
    /// <param name="audio">The audio file's bytes (WAV natively; other formats when the server has ffmpeg).</param>
    /// <param name="fileName">Its name; the extension helps the server recognise the format.</param>
    /// <param name="options">Model, language, prompt, temperature.</param>
    /// <param name="cancellationToken">Cancelling stops the server's run too.</param>
    public async Task<VerboseTranscription> TranscribeAsync(
        Stream audio, string fileName, TranscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await PostAudioAsync(HearsayRoutes.Transcriptions, audio, fileName, options, "verbose_json", stream: false, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, HearsayJsonContext.Default.VerboseTranscription, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Transcribes <paramref name="audio"/> into <paramref name="format"/>: <c>text</c>, <c>srt</c>, <c>vtt</c>, <c>json</c> or <c>verbose_json</c>, as the server writes it.</summary>
    public async Task<string> TranscribeToAsync(
        Stream audio, string fileName, string format, TranscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await PostAudioAsync(HearsayRoutes.Transcriptions, audio, fileName, options, format, stream: false, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Transcribes <paramref name="audio"/>, yielding each segment's text as soon as it is decoded.</summary>
    public async IAsyncEnumerable<string> StreamTranscriptionAsync(
        Stream audio, string fileName, TranscriptionOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await PostAudioAsync(HearsayRoutes.Transcriptions, audio, fileName, options, "json", stream: true, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                var textEvent = JsonSerializer.Deserialize(item.Data, HearsayJsonContext.Default.TranscriptTextEvent);
                if (textEvent is { Type: TranscriptTextEvent.DeltaType, Delta: { } delta })
                {
                    yield return delta;
                }
                else if (textEvent?.Type == TranscriptTextEvent.DoneType)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Translates speech in any language into English text (<c>verbose_json</c>; multilingual models only).</summary>
    public async Task<VerboseTranscription> TranslateAsync(
        Stream audio, string fileName, TranscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await PostAudioAsync(HearsayRoutes.Translations, audio, fileName, (options ?? new TranscriptionOptions()) with { Language = null, TimestampGranularities = TimestampGranularities.None }, "verbose_json", stream: false, cancellationToken)
            .ConfigureAwait(false);
        return await ReadJsonAsync(response, HearsayJsonContext.Default.VerboseTranscription, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Speaks <see cref="SpeechRequest.Input"/>. The returned stream is the response body as it arrives: audio of the
    /// first sentence can play while later ones are synthesized. Dispose it to stop early (the server stops too).
    /// </summary>
    public async Task<Stream> SpeakAsync(SpeechRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new HttpRequestMessage(HttpMethod.Post, HearsayRoutes.Speech)
        {
            Content = JsonContent.Create(request, HearsayJsonContext.Default.SpeechRequest),
        };
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        try
        {
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> PostAudioAsync(
        string path, Stream audio, string fileName, TranscriptionOptions? options, string format, bool stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        options ??= new TranscriptionOptions();
        var form = new MultipartFormDataContent
        {
            { new StreamContent(audio), "file", fileName },
            { new StringContent(options.Model), "model" },
            { new StringContent(format), "response_format" },
        };
        if (options.Language is { } language)
        {
            form.Add(new StringContent(language), "language");
        }

        if (options.Prompt is { } prompt)
        {
            form.Add(new StringContent(prompt), "prompt");
        }

        if (options.Temperature is { } temperature)
        {
            form.Add(new StringContent(temperature.ToString(CultureInfo.InvariantCulture)), "temperature");
        }

        foreach (var (granularity, name) in Granularities)
        {
            if (options.TimestampGranularities.HasFlag(granularity))
            {
                form.Add(new StringContent(name), "timestamp_granularities[]");
            }
        }

        if (options.MaxLineWidth is { } width)
        {
            form.Add(new StringContent(width.ToString(CultureInfo.InvariantCulture)), "max_line_width");
        }

        if (stream)
        {
            form.Add(new StringContent("true"), "stream");
        }

        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = form }, cancellationToken).ConfigureAwait(false);
    }
}
