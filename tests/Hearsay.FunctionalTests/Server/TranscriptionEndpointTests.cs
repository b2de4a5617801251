using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Status;
using Hearsay.Core.Stt;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// <c>POST /v1/audio/transcriptions</c> and <c>/translations</c> on real Kestrel with the tiny English-only Whisper model;
/// the tests that only send requests share one server.
/// </summary>
public sealed partial class TranscriptionEndpointTests(InstalledServer fixture) : IClassFixture<InstalledServer>
{
    private static readonly string[] SegmentFields =
        ["id", "seek", "start", "end", "text", "tokens", "temperature", "avg_logprob", "compression_ratio", "no_speech_prob"];

    private static byte[] Jfk => File.ReadAllBytes(TestPaths.SharedFile("audio", "wav16k", "jfk.wav"));

    private HttpClient Http => fixture.Server.Http;

    [Theory]
    [InlineData("json")]
    [InlineData("text")]
    [InlineData("srt")]
    [InlineData("vtt")]
    [InlineData("verbose_json")]
    public async Task Transcriptions_EachResponseFormat_HasOpenAisContentTypeAndShape(string format)
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("model", "whisper-1"), ("response_format", format)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var contentType = response.Content.Headers.ContentType!.MediaType;
        switch (format)
        {
            case "json":
                Assert.Equal("application/json", contentType);
                using (var json = JsonDocument.Parse(body))
                {
                    var property = Assert.Single(json.RootElement.EnumerateObject());
                    Assert.Equal("text", property.Name);
                    Assert.NotEmpty(property.Value.GetString()!);
                }

                break;
            case "text":
                Assert.Equal("text/plain", contentType);
                Assert.EndsWith("\n", body, StringComparison.Ordinal);
                Assert.Equal(body.Trim() + "\n", body);
                break;
            case "srt":
                Assert.Equal("text/plain", contentType);
                AssertCues(body, SrtCue(), header: "", ',');
                break;
            case "vtt":
                Assert.Equal("text/plain", contentType);
                AssertCues(body, VttCue(), header: "WEBVTT\n\n", '.');
                break;
            default:
                Assert.Equal("application/json", contentType);
                AssertVerbose(body, "transcribe", expectedDuration: 11.0);
                break;
        }
    }

    [Fact]
    public async Task Transcriptions_OpenAiExtrasAndUnknownFields_AreAccepted()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(
            Jfk,
            ("model", ModelRegistry.Whisper),
            ("language", "en"),
            ("prompt", "President Kennedy, 1961."),
            ("temperature", "0.2"),
            ("timestamp_granularities[]", "segment"),
            ("include[]", "logprobs"),
            ("chunking_strategy", "auto"),
            ("something_new", "ignored")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("text", Assert.Single(json.RootElement.EnumerateObject()).Name);
    }

    [Fact]
    public async Task Transcriptions_StreamTrue_SendsDeltasThatAddUpToTheDoneText()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("model", "whisper-1"), ("stream", "true")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = ParseEvents(await response.Content.ReadAsStringAsync());
        Assert.True(events.Count >= 2, "expected at least one delta and the done event");
        var deltas = events[..^1];
        Assert.All(deltas, delta =>
        {
            Assert.Equal(TranscriptTextEvent.DeltaType, delta.Type);
            Assert.Null(delta.Text);
            Assert.NotEmpty(delta.Delta!);
        });
        var done = events[^1];
        Assert.Equal(TranscriptTextEvent.DoneType, done.Type);
        Assert.Null(done.Delta);
        Assert.Equal(string.Concat(deltas.Select(delta => delta.Delta)), done.Text);
        Assert.Equal(done.Text!.Trim(), done.Text);
    }

    [Fact]
    public async Task Transcriptions_StreamWithSubtitles_Is400NamingResponseFormat()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("stream", "true"), ("response_format", "srt")));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("response_format", error.Param);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
    }

    [Fact]
    public async Task Translations_EnglishOnlyModel_Is400SayingTranslationNeedsAMultilingualModel()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Translations, Form(Jfk, ("model", "whisper-1"), ("response_format", "verbose_json")));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Contains("English-only", error.Message, StringComparison.Ordinal);
        Assert.Contains("multilingual", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public async Task Transcriptions_LanguageAnEnglishOnlyModelCannotTranscribe_Is400EvenWhenStreamed(string stream)
    {
        // A streamed response starts with its first segment, so a failure before it is still an ordinary error.
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("language", "fr"), ("stream", stream)));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("English-only", error.Message, StringComparison.Ordinal);
        Assert.Equal("language", error.Param);
    }

    [Theory]
    [InlineData("response_format", "xml")]
    [InlineData("temperature", "3")]
    [InlineData("temperature", "warm")]
    [InlineData("language", "klingon")]
    [InlineData("stream", "maybe")]
    public async Task Transcriptions_FieldOutOfRange_Is400NamingTheField(string field, string value)
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, (field, value)));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, error.Param);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_PromptOverTheLimit_Is400NamingPrompt()
    {
        var prompt = string.Concat(Enumerable.Repeat("Names and spellings. ", 500))[..(TranscribeOptions.MaxPromptLength + 1)];

        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("prompt", prompt)));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("prompt", error.Param);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Contains(TranscribeOptions.MaxPromptLength.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_WordGranularityInVerboseJson_ListsWordsWithinTheSegments()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(
            Jfk, ("response_format", "verbose_json"), ("timestamp_granularities[]", "segment"), ("timestamp_granularities[]", "word")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var segments = json.RootElement.GetProperty("segments").EnumerateArray().ToList();
        var words = json.RootElement.GetProperty("words").EnumerateArray().ToList();
        Assert.NotEmpty(words);
        var (first, last) = (segments.Min(segment => segment.GetProperty("start").GetDouble()), segments.Max(segment => segment.GetProperty("end").GetDouble()));
        Assert.All(words, word =>
        {
            Assert.Equal(["word", "start", "end"], word.EnumerateObject().Select(property => property.Name));
            Assert.InRange(word.GetProperty("start").GetDouble(), first, word.GetProperty("end").GetDouble());
            Assert.InRange(word.GetProperty("end").GetDouble(), word.GetProperty("start").GetDouble(), last);
        });
    }

    [Fact]
    public async Task Transcriptions_SegmentGranularityOnly_HasNoWords()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(
            Jfk, ("response_format", "verbose_json"), ("timestamp_granularities[]", "segment")));

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.TryGetProperty("words", out _));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("text")]
    public async Task Transcriptions_WordGranularityInJsonOrText_Is400(string format)
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(
            Jfk, ("response_format", format), ("timestamp_granularities[]", "word")));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("timestamp_granularities", error.Param);
        Assert.Contains("verbose_json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_WordGranularityOnOnnxRuntimeDecoder_Is400NamingTheReason()
    {
        // The ONNX Runtime decoder's graph has no cross-attention output to align words with.
        using var folder = new TemporaryDirectory();
        var model = WhisperExpectations.WriteModelOnOnnxRuntimeDecoder(folder.File("model"));
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { SttModel = model });

        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(
            Jfk, ("response_format", "verbose_json"), ("timestamp_granularities[]", "word")));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Equal("timestamp_granularities", error.Param);
        Assert.Contains("word timestamps need Hearsay's own Whisper decoder", error.Message, StringComparison.Ordinal);
        Assert.Contains("no cross-attention output", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_MaxLineWidthInSrt_CutsCuesAtWords()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("response_format", "srt"), ("max_line_width", "12")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cues = Cues(await response.Content.ReadAsStringAsync());
        // The exact cutting is TranscriptFormatterTests'; here the field reaches it. A cue is a line of words within the
        // width, a longer single word, or a segment the alignment gave no words (its whole text).
        Assert.NotEmpty(cues);
        Assert.Contains(cues, cue => cue.Length <= 12);
    }

    [Fact]
    public async Task Transcriptions_MaxLineWidthNotANumber_Is400()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("response_format", "vtt"), ("max_line_width", "wide")));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("max_line_width", error.Param);
    }

    /// <summary>The text lines of SubRip cues.</summary>
    private static List<string> Cues(string srt) =>
        [.. srt.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(cue => cue.Split('\n')[2])];

    [Fact]
    public async Task Transcriptions_UnknownModel_Is404ModelNotFound()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("model", "whisper-large-v3")));

        var error = await ErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(ErrorCodes.ModelNotFound, error.Code);
        Assert.Equal("model", error.Param);
        Assert.Contains(ModelRegistry.Whisper, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_ModelWithAPath_Is400()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("model", "../x")));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("model", error.Param);
    }

    [Fact]
    public async Task Transcriptions_WithoutFile_Is400NamingFile()
    {
        using var form = new MultipartFormDataContent { { new StringContent("whisper-1"), "model" } };

        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, form);

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("file", error.Param);
    }

    [Fact]
    public async Task Transcriptions_JsonBody_Is400SayingItMustBeMultipart()
    {
        using var body = new StringContent("""{"model":"whisper-1","file":"jfk.wav"}""", Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, body);

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("multipart/form-data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_FlacUpload_IsDecodedAndTranscribed()
    {
        using var folder = new TemporaryDirectory();
        var flac = folder.File("jfk.flac");
        await ExternalTools.RunAsync("sox", [TestPaths.SharedFile("audio", "wav16k", "jfk.wav"), flac]);

        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form(await File.ReadAllBytesAsync(flac), ("response_format", "verbose_json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertVerbose(await response.Content.ReadAsStringAsync(), "transcribe", expectedDuration: 11.0);
    }

    [Fact]
    public async Task Transcriptions_NonAudioBytes_Is400InPlainWordsNamingFile()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form("this is not audio at all, just text pretending"u8.ToArray()));

        // What Hearsay cannot read itself goes to ffmpeg (these tests need it, as the CLI's M4A test does), which
        // rejects it as invalid input. Without ffmpeg it would be a 415 naming what is accepted. ffmpeg's own words
        // (pipe:0, its demuxers at memory addresses) stay in the log.
        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Equal("file", error.Param);
        Assert.StartsWith("The audio could not be decoded: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pipe:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_AudioLongerThanTheLimit_Is413NamingTheLimitBeforeAnyIsTranscribed()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { MaxAudioDuration = TimeSpan.FromSeconds(5) });
        using var folder = new TemporaryDirectory();
        var flac = folder.File("jfk.flac");
        await ExternalTools.RunAsync("sox", [TestPaths.SharedFile("audio", "wav16k", "jfk.wav"), flac]);

        // JFK lasts 11 s: the WAV is judged by its size, the FLAC by decoding it up to the limit. A streamed answer
        // would have begun with its first segment, so a 413 also shows that nothing was transcribed.
        foreach (var (audio, stream, lasts) in new[] { (Jfk, "false", "lasts 0:00:11,"), (await File.ReadAllBytesAsync(flac), "false", "is"), (Jfk, "true", "lasts 0:00:11,") })
        {
            using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(audio, ("stream", stream)));

            var error = await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal(ErrorCodes.AudioTooLong, error.Code);
            Assert.Equal("file", error.Param);
            Assert.Equal(
                $"The audio {lasts} longer than the 5-second limit: split it into shorter parts, or raise --max-audio-duration.", error.Message);
        }
    }

    [Fact]
    public async Task Transcriptions_EmptyFile_Is400SayingItIsEmpty()
    {
        using var response = await Http.PostAsync(HearsayRoutes.Transcriptions, Form([]));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HearsayRoutes.Transcriptions, new[] { "application/json", "text/plain", "text/event-stream" })]
    [InlineData(HearsayRoutes.Translations, new[] { "application/json", "text/plain" })]
    public async Task OpenApi_Document_DescribesTheFormAndEachResponseShape(string route, string[] contentTypes)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(HearsayRoutes.OpenApi));

        var post = document.RootElement.GetProperty("paths").GetProperty(route).GetProperty("post");
        var form = post.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("file", Assert.Single(form.GetProperty("required").EnumerateArray()).GetString());
        Assert.Equal("binary", form.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        var ok = post.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(contentTypes, ok.EnumerateObject().Select(property => property.Name));
        Assert.Equal(2, ok.GetProperty("application/json").GetProperty("schema").GetProperty("oneOf").GetArrayLength());
    }

    [Fact]
    public async Task Translations_MultilingualModel_ReportsTaskTranslate()
    {
        await using var server = await ServerUnderTest.StartAsync(
            configure: options => options with { SttModel = WhisperExpectations.ModelDirectory("tiny-multi") });

        using var response = await server.Http.PostAsync(HearsayRoutes.Translations, Form(
            Jfk, ("model", "whisper-1"), ("response_format", "verbose_json"), ("language", "ignored on translations")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertVerbose(await response.Content.ReadAsStringAsync(), "translate", expectedDuration: 11.0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Transcriptions_OverTheSizeLimit_Is413RequestTooLarge(bool chunked)
    {
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { MaxRequestBytes = 64 * 1024 });
        using var request = new HttpRequestMessage(HttpMethod.Post, HearsayRoutes.Transcriptions) { Content = Form(Jfk) };
        // Chunked, the size is not declared: the limit is met while the form is read. Declared, the server answers
        // before reading, so the client waits for the answer before sending the body, as curl does for large uploads;
        // otherwise the 413 can race the upload and arrive as a broken pipe.
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.ExpectContinue = !chunked;

        using var response = await server.Http.SendAsync(request);

        var error = await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(ErrorCodes.RequestTooLarge, error.Code);
    }

    [Fact]
    public async Task Transcriptions_ModelNotInstalled_Is503SayingNotInstalled()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await server.WaitForStatusAsync(status => status.Stt.State == CapabilityState.NotInstalled, "speech-to-text to be not_installed");

        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("model", "whisper-1")));

        var error = await ErrorAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ErrorCodes.CapabilityNotReady, error.Code);
        Assert.Contains("not_installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_WhileTheOnlyTurnIsTaken_Is429WithRetryAfter()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { SttConcurrency = 1, SttQueue = 0 });
        using var folder = new TemporaryDirectory();
        await using var running = await LongStreamAsync(server, folder);

        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk));

        var error = await ErrorAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal(ErrorCodes.EngineBusy, error.Code);
        Assert.Equal("rate_limit_error", error.Type);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After must give a delay in seconds");
    }

    [Fact]
    public async Task Transcriptions_ClientGoesAwayMidTranscription_FreesTheEngineAtOnce()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { SttConcurrency = 1, SttQueue = 0 });
        using var folder = new TemporaryDirectory();
        var running = await LongStreamAsync(server, folder);

        await running.DisposeAsync();

        // Uncancelled, the long run would hold the only turn for half a minute or more.
        Assert.Equal(HttpStatusCode.OK, await NextRequestStatusAsync(server, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Transcriptions_ClientGoesAwayBeforeTheAnswer_FreesTheEngineAtOnce()
    {
        // The longest prompt accepted, in the script that costs the most to encode, with minutes of audio: the client
        // gives up while the engine works on it, before any byte of the answer.
        using var logs = new CapturingLoggerFactory();
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { SttConcurrency = 1, SttQueue = 0 }, logs: logs);
        using var folder = new TemporaryDirectory();
        var prompt = HostilePrompts.All(TranscribeOptions.MaxPromptLength).Single(item => item.Kind.StartsWith("CJK", StringComparison.Ordinal)).Text;
        var audio = await LongCompressedAudioAsync(folder);
        using var cancel = new CancellationTokenSource();
        var running = server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(audio, ("prompt", prompt)), cancel.Token);

        // The Ogg Opus upload is decoded (in-process) only once it holds the engine's turn, so no probe is sent before
        // then: one read first would take the turn and the long request be refused.
        var clock = Stopwatch.StartNew();
        while (logs.Count(DecodingInProcessEvent) == 0 && !running.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        Assert.True(logs.Count(DecodingInProcessEvent) > 0, "the long request never got the engine's turn");
        using (var probe = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, probe.StatusCode);
        }

        Assert.False(running.IsCompleted, "the long request was answered before the client gave up");

        await HangUpAsync(running, cancel);

        Assert.Equal(HttpStatusCode.OK, await NextRequestStatusAsync(server, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Transcriptions_HugePromptAndTheClientGoesAway_TheNextRequestIsServed()
    {
        // What the adversarial probe sent: a 200,000-character word as the prompt, then it hung up. Encoding that
        // prompt held the only turn for longer than six minutes, and nothing stopped it.
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { SttConcurrency = 1, SttQueue = 0 });
        var prompt = HostilePrompts.All(200_000).Single(item => item.Kind == "a word without spaces").Text;
        using var cancel = new CancellationTokenSource();
        var running = server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk, ("prompt", prompt)), cancel.Token);
        await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(2)));

        await HangUpAsync(running, cancel);

        Assert.Equal(HttpStatusCode.OK, await NextRequestStatusAsync(server, TimeSpan.FromSeconds(30)));
    }

    /// <summary>Hearsay.Core's "Decoding in-process: …" log event (Ogg, WebM).</summary>
    private const int DecodingInProcessEvent = 1430;

    /// <summary>
    /// Sends short transcriptions, one at a time, until one is answered with something other than 429, for at most
    /// <paramref name="limit"/>; returns the last status.
    /// </summary>
    private static async Task<HttpStatusCode> NextRequestStatusAsync(ServerUnderTest server, TimeSpan limit)
    {
        static bool Done(HttpStatusCode status) => status != HttpStatusCode.TooManyRequests;

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Form(Jfk));
            status = response.StatusCode;
            if (!Done(status))
            {
                await Task.Delay(100);
            }
        }
        while (!Done(status) && clock.Elapsed < limit);

        return status;
    }

    /// <summary>Cancels a request in flight, which drops its connection, as a client that gives up does.</summary>
    private static async Task HangUpAsync(Task<HttpResponseMessage> running, CancellationTokenSource cancel)
    {
        await cancel.CancelAsync();
        try
        {
            (await running).Dispose();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A multipart form with <paramref name="audio"/> as its file part and the given text fields.</summary>
    private static MultipartFormDataContent Form(byte[] audio, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(audio);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "audio.wav");
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    private static async Task<ErrorDetail> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize(body, HearsayJsonContext.Default.ErrorResponse)!.Error;
    }

    /// <summary>Parses a server-sent event body as OpenAI frames it: each event one <c>data:</c> line, no event names.</summary>
    private static List<TranscriptTextEvent> ParseEvents(string body)
    {
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        return [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var line = Assert.Single(block.Split('\n'));
            Assert.StartsWith("data: ", line, StringComparison.Ordinal);
            return JsonSerializer.Deserialize(line["data: ".Length..], HearsayJsonContext.Default.TranscriptTextEvent)!;
        })];
    }

    private static void AssertVerbose(string body, string task, double expectedDuration)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(["task", "language", "duration", "text", "segments"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal(task, root.GetProperty("task").GetString());
        var language = root.GetProperty("language").GetString()!;
        Assert.True(language.Length > 2 && language.All(char.IsAsciiLetterLower), $"language should be a lower-case name, not {language}");
        if (task == "transcribe")
        {
            Assert.Equal("english", language);
        }

        Assert.Equal(expectedDuration, root.GetProperty("duration").GetDouble(), precision: 3);
        var segments = root.GetProperty("segments").EnumerateArray().ToList();
        Assert.NotEmpty(segments);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            Assert.Equal(SegmentFields, segment.EnumerateObject().Select(property => property.Name));
            Assert.Equal(i, segment.GetProperty("id").GetInt32());
            Assert.True(segment.GetProperty("start").GetDouble() <= segment.GetProperty("end").GetDouble());
            Assert.Equal(JsonValueKind.Array, segment.GetProperty("tokens").ValueKind);
        }

        Assert.Equal(string.Concat(segments.Select(segment => segment.GetProperty("text").GetString())).Trim(), root.GetProperty("text").GetString());
    }

    /// <summary>Checks that <paramref name="body"/> is nothing but well-formed cues, numbered from 1 in SubRip, in time order.</summary>
    private static void AssertCues(string body, Regex cue, string header, char marker)
    {
        Assert.StartsWith(header, body, StringComparison.Ordinal);
        var matches = cue.Matches(body, header.Length);
        Assert.NotEmpty(matches);
        Assert.Equal(body.Length - header.Length, matches.Sum(match => match.Length));
        var previousStart = TimeSpan.Zero;
        for (var i = 0; i < matches.Count; i++)
        {
            var match = matches[i];
            if (marker == ',')
            {
                Assert.Equal(i + 1, int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture));
            }

            var start = Time(match.Groups["start"].Value);
            Assert.True(start <= Time(match.Groups["end"].Value));
            Assert.True(start >= previousStart);
            previousStart = start;
        }

        TimeSpan Time(string value) => TimeSpan.ParseExact(value.Replace(marker, '.'), @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
    }

    /// <summary>Starts transcribing several minutes of speech with <c>stream=true</c> and returns once its first event is sent: the engine is busy.</summary>
    private static async Task<RunningRequest> LongStreamAsync(ServerUnderTest server, TemporaryDirectory folder)
    {
        var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, HearsayRoutes.Transcriptions)
        {
            Content = Form(await File.ReadAllBytesAsync(await LongAudioAsync(folder)), ("stream", "true")),
        };
        var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await response.Content.ReadAsStreamAsync(cancel.Token);
        var first = new byte[1];
        await events.ReadExactlyAsync(first, cancel.Token);
        return new RunningRequest(response, events, cancel);
    }

    /// <summary>Seven minutes of speech (the 107 s LJSpeech clip four times), minutes of work for the engine, as a WAV file.</summary>
    private static async Task<string> LongAudioAsync(TemporaryDirectory folder)
    {
        var clip = TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav");
        var longer = folder.File("long.wav");
        await ExternalTools.RunAsync("sox", [clip, clip, clip, clip, longer]);
        return longer;
    }

    /// <summary>The same seven minutes as Ogg Opus at 16 kbit/s, under 1 MB: its form is read about as fast as a probe's.</summary>
    private static async Task<byte[]> LongCompressedAudioAsync(TemporaryDirectory folder)
    {
        var wav = await LongAudioAsync(folder);
        var ogg = folder.File("long.ogg");
        await ExternalTools.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", wav, "-c:a", "libopus", "-b:a", "16k", ogg]);
        return await File.ReadAllBytesAsync(ogg);
    }

    [GeneratedRegex(@"\G(?<number>\d+)\n(?<start>\d\d:\d\d:\d\d,\d{3}) --> (?<end>\d\d:\d\d:\d\d,\d{3})\n(?:[^\n]+\n)+\n")]
    private static partial Regex SrtCue();

    [GeneratedRegex(@"\G(?<start>\d\d:\d\d:\d\d\.\d{3}) --> (?<end>\d\d:\d\d:\d\d\.\d{3})\n(?:[^\n]+\n)+\n")]
    private static partial Regex VttCue();

    /// <summary>A streamed transcription in progress; disposing it drops the connection mid-stream, as a client that goes away does.</summary>
    private sealed class RunningRequest(HttpResponseMessage response, Stream events, CancellationTokenSource cancel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // A read pending when its token is cancelled aborts the connection at once, where disposing the response
            // would first try to drain it.
            var pending = events.ReadAsync(new byte[4096], cancel.Token).AsTask();
            await cancel.CancelAsync();
            try
            {
                await pending;
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
            }

            await events.DisposeAsync();
            response.Dispose();
            cancel.Dispose();
        }
    }
}
