using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Status;
using Hearsay.Core.Tts;
using Hearsay.Core.Tts.Piper;
using Hearsay.Server.Endpoints;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary><c>POST /v1/audio/speech</c> on real Kestrel with the tiny single-speaker voice (22050 Hz) unless a test says otherwise.</summary>
public sealed class SpeechEndpointTests(InstalledServer installed) : IClassFixture<InstalledServer>
{
    private const string ThreeSentences = "Hello there. This is the second sentence. And here is the third one!";
    private const string FfmpegHint = "Install it: apt-get install ffmpeg.";

    /// <summary>About 85 sentences, under the 4096-character limit: seconds of synthesis, far more at a quarter speed.</summary>
    private static readonly string LongInput = string.Join(' ', Enumerable.Range(1, 85).Select(i => $"This is sentence number {i} of a long text."));

    private ServerUnderTest Server => installed.Server;

    [Fact]
    public async Task Speech_Wav_StreamsAChunkedWavOfTheVoiceThatSoxDecodes()
    {
        using var response = await PostAsync(Server.Http, new { model = "tts-1", voice = "alloy", input = ThreeSentences, response_format = "wav", instructions = "Speak cheerfully." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("22050", Assert.Single(response.Headers.GetValues(SpeechStreaming.SampleRateHeader)));
        Assert.True(response.Headers.TransferEncodingChunked);
        var wav = await response.Content.ReadAsByteArrayAsync();
        Assert.True(wav.AsSpan(0, 4).SequenceEqual("RIFF"u8) && wav.AsSpan(8, 4).SequenceEqual("WAVE"u8));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));
        Assert.Equal(22050, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));
        // Streamed, so the header cannot know the length: the "unknown size" form that players read to the end.
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(40)));
        Assert.True(wav.Length > 44 + 22050, $"Only {wav.Length} bytes for three sentences.");

        var decoded = await ExternalTools.RunAsync("sox", ["-t", "wav", "-", "-t", "raw", "-e", "signed", "-b", "16", "-"], wav);

        Assert.Equal(wav.AsSpan(44).ToArray(), decoded);
    }

    [Fact]
    public async Task Speech_Pcm_IsHeaderless16BitAudioWithItsRateInAHeader()
    {
        using var response = await PostAsync(Server.Http, new { model = ModelRegistry.Voice, voice = "nova", input = ThreeSentences, response_format = "pcm" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/pcm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("22050", Assert.Single(response.Headers.GetValues(SpeechStreaming.SampleRateHeader)));
        var pcm = await response.Content.ReadAsByteArrayAsync();
        Assert.True(pcm.Length > 22050, $"Only {pcm.Length} bytes for three sentences.");
        Assert.Equal(0, pcm.Length % 2);
        Assert.False(pcm.AsSpan(0, 4).SequenceEqual("RIFF"u8));
    }

    [Fact]
    public async Task Speech_LongInput_SendsTheFirstSentenceLongBeforeTheLast()
    {
        // A warm voice and phonemizer first: the timing below is about streaming, not about the first request's start-up,
        // which on a busy machine took half of this whole request.
        using (var warmUp = await PostAsync(Server.Http, new { voice = "alloy", input = ThreeSentences, response_format = "pcm" }))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        using var response = await PostAsync(Server.Http, new { voice = "alloy", input = LongInput, response_format = "pcm" }, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4 << 20];

        var first = await body.ReadAsync(buffer);
        var firstAfter = clock.Elapsed;
        var total = first;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var lastAfter = clock.Elapsed;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(first > 0);
        // The first read sees the first sentence or two of 85, not an audio file finished before it was sent.
        Assert.True(first < total / 4, $"The first read got {first} of {total} bytes.");
        Assert.True(firstAfter < lastAfter / 2, $"The first bytes came after {firstAfter.TotalSeconds:0.00} s, the last after {lastAfter.TotalSeconds:0.00} s.");
    }

    [Fact]
    public async Task Speech_Sse_SendsOneDeltaPerSentenceThenDoneWithUsage()
    {
        using var response = await PostAsync(Server.Http, new { model = "gpt-4o-mini-tts", voice = "alloy", input = ThreeSentences, response_format = "pcm", stream_format = "sse" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await EventsOf(response);

        Assert.Equal(4, events.Count);
        Assert.All(events.Take(3), e => Assert.Equal(SpeechAudioEvent.DeltaType, e.Type));
        var pieces = events.Take(3).Select(e => Convert.FromBase64String(e.Audio!)).ToList();
        Assert.All(pieces, piece => Assert.True(piece.Length > 0 && piece.Length % 2 == 0));
        var done = events[^1];
        Assert.Equal(SpeechAudioEvent.DoneType, done.Type);
        Assert.Null(done.Audio);
        var samples = pieces.Sum(piece => piece.Length) / 2;
        Assert.Equal(new SpeechUsage(ThreeSentences.Length, samples, ThreeSentences.Length + samples), done.Usage);
    }

    [Fact]
    public async Task Speech_SseWav_DeltasJoinIntoAStreamingWav()
    {
        using var response = await PostAsync(Server.Http, new { voice = "echo", input = ThreeSentences, response_format = "wav", stream_format = "sse" });

        var events = await EventsOf(response);
        var wav = events.Where(e => e.Type == SpeechAudioEvent.DeltaType).SelectMany(e => Convert.FromBase64String(e.Audio!)).ToArray();

        Assert.Equal(SpeechAudioEvent.DoneType, events[^1].Type);
        Assert.True(wav.AsSpan(0, 4).SequenceEqual("RIFF"u8));
        var decoded = await ExternalTools.RunAsync("sox", ["-t", "wav", "-", "-t", "raw", "-e", "signed", "-b", "16", "-"], wav);
        Assert.Equal(wav.AsSpan(44).ToArray(), decoded);
    }

    [Fact]
    public async Task Speech_SseMp3_DeltasJoinIntoAnMp3FromFfmpeg()
    {
        using var response = await PostAsync(Server.Http, new { voice = "fable", input = ThreeSentences, response_format = "mp3", stream_format = "sse" });

        var events = await EventsOf(response);
        var mp3 = events.Where(e => e.Type == SpeechAudioEvent.DeltaType).SelectMany(e => Convert.FromBase64String(e.Audio!)).ToArray();

        Assert.Equal(SpeechAudioEvent.DoneType, events[^1].Type);
        Assert.True(events[^1].Usage!.OutputTokens > 0);
        Assert.Equal("mp3", (await ProbeAsync(mp3))["codec_name"]);
    }

    [Theory]
    [InlineData("tts-1")]
    [InlineData("tts-1-hd")]
    public async Task Speech_SseWithAModelOpenAiStreamsNoEventsFor_Is400(string model)
    {
        using var response = await PostAsync(Server.Http, new { model, voice = "alloy", input = "Hello.", stream_format = "sse" });

        var error = await ErrorOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("stream_format", error.Param);
        Assert.Contains(model, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mp3", "audio/mpeg", "mp3")]
    [InlineData("opus", "audio/ogg", "opus")]
    [InlineData("aac", "audio/aac", "aac")]
    [InlineData("flac", "audio/flac", "flac")]
    public async Task Speech_EncodedFormat_IsWhatFfprobeReads(string format, string contentType, string codec)
    {
        using var response = await PostAsync(Server.Http, new { model = "tts-1", voice = "alloy", input = ThreeSentences, response_format = format });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains(SpeechStreaming.SampleRateHeader));
        var probe = await ProbeAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(codec, probe["codec_name"]);
        Assert.Equal("1", probe["channels"]);
    }

    [Fact]
    public async Task Speech_NoResponseFormat_IsMp3WhenFfmpegIsThere()
    {
        using var response = await PostAsync(Server.Http, new { model = "tts-1", voice = "alloy", input = "Hello there." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("mp3", (await ProbeAsync(await response.Content.ReadAsByteArrayAsync()))["codec_name"]);
    }

    [Fact]
    public async Task Speech_WithoutFfmpeg_DefaultsToWavAndRefusesMp3SayingWhy()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: o => o with { FfmpegPath = Path.Combine(Path.GetTempPath(), "no-such-folder", "ffmpeg") });

        using var byDefault = await PostAsync(server.Http, new { voice = "alloy", input = "Hello there." });
        using var mp3 = await PostAsync(server.Http, new { voice = "alloy", input = "Hello there.", response_format = "mp3" });

        Assert.Equal(HttpStatusCode.OK, byDefault.StatusCode);
        Assert.Equal("audio/wav", byDefault.Content.Headers.ContentType?.MediaType);
        var error = await ErrorOf(mp3, HttpStatusCode.BadRequest);
        Assert.Equal("response_format", error.Param);
        Assert.Contains("ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.Contains("wav, pcm and opus work without it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speech_10000CharacterInput_Is400InputTooLongNamingTheLimit()
    {
        using var response = await PostAsync(Server.Http, new { model = "tts-1", voice = "alloy", input = new string('a', 10_000) });

        var error = await ErrorOf(response, HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.InputTooLong, error.Code);
        Assert.Equal("input", error.Param);
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
        Assert.Contains("10000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0.2)]
    [InlineData(0)]
    public async Task Speech_SpeedOutOfRange_Is400NamingSpeed(double speed)
    {
        using var response = await PostAsync(Server.Http, new { voice = "alloy", input = "Hello.", speed });

        var error = await ErrorOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("speed", error.Param);
        Assert.Contains("0.25 to 4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(4)]
    public async Task Speech_SpeedAtTheLimits_Speaks(double speed)
    {
        using var response = await PostAsync(Server.Http, new { voice = "alloy", input = "Hello there.", speed, response_format = "pcm" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("alloy")]
    [InlineData("nova")]
    [InlineData("Shimmer")]
    [InlineData("cedar")]
    [InlineData(ModelRegistry.Voice)]
    public async Task Speech_OpenAiVoiceNameOrTheVoicesId_Speaks(string voice)
    {
        using var response = await PostAsync(Server.Http, new { model = "tts-1", voice, input = "Hello there.", response_format = "pcm" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Speech_UnknownVoice_Is400ListingWhatIsAccepted()
    {
        using var response = await PostAsync(Server.Http, new { voice = "piper-de_DE-thorsten-medium", input = "Hallo." });

        var error = await ErrorOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("voice", error.Param);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Contains("alloy", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{ModelRegistry.Voice}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--tts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("voices\\alloy")]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Speech_VoiceThatIsAPathOrBlank_Is400(string voice)
    {
        using var response = await PostAsync(Server.Http, new { voice, input = "Hello." });

        Assert.Equal("voice", (await ErrorOf(response, HttpStatusCode.BadRequest)).Param);
    }

    [Fact]
    public async Task Speech_SpeakerOfASingleSpeakerVoice_Is400()
    {
        using var response = await PostAsync(Server.Http, new { voice = "0", input = "Hello." });

        Assert.Equal("voice", (await ErrorOf(response, HttpStatusCode.BadRequest)).Param);
    }

    [Fact]
    public async Task Speech_MultiSpeakerVoice_TakesOpenAiNamesAndItsSpeakersByNameOrNumber()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: o => o with { TtsVoice = PiperExpectations.MultiSpeakerVoice });

        foreach (var voice in new[] { "alloy", "nova", "cori", "3", "tiny-multi" })
        {
            using var response = await PostAsync(server.Http, new { voice, input = "Hello there.", response_format = "pcm" });

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{voice}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("16000", Assert.Single(response.Headers.GetValues(SpeechStreaming.SampleRateHeader)));
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }

        using var unknown = await PostAsync(server.Http, new { voice = "4", input = "Hello there." });
        var error = await ErrorOf(unknown, HttpStatusCode.BadRequest);
        Assert.Equal("voice", error.Param);
        Assert.Contains("alba (0), bryce (1), cori (2), dane (3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VoiceSelection_OpenAiNames_SpreadOverTheSpeakersByTheirPositionInOpenAisList()
    {
        var multiConfig = PiperVoiceConfig.Load(PiperExpectations.MultiSpeakerVoice + ".json");
        var multi = new VoiceSpeakers(multiConfig.SpeakerCount, multiConfig.SpeakerIds);
        var single = new VoiceSpeakers(1, new Dictionary<string, int>());

        // alloy is first in OpenAI's list, nova seventh and cedar thirteenth: speakers 0, 6 % 4 and 12 % 4.
        Assert.Equal("0", VoiceSelection.Resolve("alloy", "test-voice", multi));
        Assert.Equal("2", VoiceSelection.Resolve("nova", "test-voice", multi));
        Assert.Equal("0", VoiceSelection.Resolve("cedar", "test-voice", multi));
        Assert.Equal("dane", VoiceSelection.Resolve("dane", "test-voice", multi));
        Assert.Null(VoiceSelection.Resolve("test-voice", "test-voice", multi));
        Assert.Null(VoiceSelection.Resolve("nova", "test-voice", single));
    }

    [Fact]
    public async Task Speech_UnknownModel_Is404()
    {
        using var response = await PostAsync(Server.Http, new { model = "tts-2", voice = "alloy", input = "Hello." });

        var error = await ErrorOf(response, HttpStatusCode.NotFound);
        Assert.Equal(ErrorCodes.ModelNotFound, error.Code);
        Assert.Equal("model", error.Param);
    }

    [Theory]
    [InlineData("{\"input\": ")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": \"alloy\", \"speed\": \"fast\"}")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": {\"id\": \"voice_1234\"}}")]
    public async Task Speech_BodyThatIsNotASpeechRequest_Is400(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await Server.Http.PostAsync(HearsayRoutes.Speech, content);

        var error = await ErrorOf(response, HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.InvalidValue, error.Code);
        Assert.Equal("invalid_request_error", error.Type);
    }

    [Theory]
    [InlineData("{\"voice\": \"alloy\"}", "input")]
    [InlineData("{\"voice\": \"alloy\", \"input\": \"   \"}", "input")]
    [InlineData("{\"input\": \"Hello.\"}", "voice")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": \"alloy\", \"response_format\": \"ogg\"}", "response_format")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": \"alloy\", \"response_format\": \"MP3\"}", "response_format")]
    [InlineData("{\"input\": \"Hello.\", \"voice\": \"alloy\", \"stream_format\": \"chunks\"}", "stream_format")]
    [InlineData("{\"input\": \"...\", \"voice\": \"alloy\"}", "input")]
    public async Task Speech_MissingOrInvalidField_Is400NamingIt(string body, string param)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await Server.Http.PostAsync(HearsayRoutes.Speech, content);

        Assert.Equal(param, (await ErrorOf(response, HttpStatusCode.BadRequest)).Param);
    }

    [Fact]
    public async Task Speech_ChunkedBodyOverTheLimit_Is413()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false, configure: o => o with { MaxRequestBytes = 4096 });
        using var request = new HttpRequestMessage(HttpMethod.Post, HearsayRoutes.Speech)
        {
            Content = JsonContent.Create(new { voice = "alloy", input = new string('a', 8000) }),
        };
        // No Content-Length: the limit is met while the body is read, not from a declared size.
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(ErrorCodes.RequestTooLarge, (await ErrorOf(response, HttpStatusCode.RequestEntityTooLarge)).Code);
    }

    [Fact]
    public async Task Speech_VoiceNotInstalled_Is503SayingSo()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await server.WaitForStatusAsync(s => s.Tts.State == CapabilityState.NotInstalled, "tts not_installed");

        using var response = await PostAsync(server.Http, new { model = "tts-1", voice = "alloy", input = "Hello." });

        var error = await ErrorOf(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ErrorCodes.CapabilityNotReady, error.Code);
        Assert.Contains("not_installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speech_WhileTheOnlyTurnIsTaken_Is429WithRetryAfter()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: o => o with { TtsConcurrency = 1, TtsQueue = 0 });
        using var inFlight = await PostAsync(server.Http, new { voice = "alloy", input = LongInput, speed = 0.25, response_format = "pcm" }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, inFlight.StatusCode);

        using var refused = await PostAsync(server.Http, new { voice = "alloy", input = "Hello." });

        var error = await ErrorOf(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(ErrorCodes.EngineBusy, error.Code);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Speech_ClientGoneMidStream_StopsSynthesisAndFreesTheEngine()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: o => o with { TtsConcurrency = 1, TtsQueue = 0 });
        // At the slowest speed, so that speaking the whole text clearly outlasts the server noticing a closed connection:
        // on two threads the test voice spoke LongInput at 0.5 in about 0.3 s, no longer than that detection takes.
        var body = new { voice = "alloy", input = LongInput, speed = 0.25, response_format = "pcm" };
        var clock = Stopwatch.StartNew();
        using (var whole = await PostAsync(server.Http, body))
        {
            Assert.NotEmpty(await whole.Content.ReadAsByteArrayAsync());
        }

        var wholeText = clock.Elapsed;
        // No draining of the unread body on dispose: the connection closes at once, as a listener that stops would.
        using var leaving = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.BaseUrl };
        leaving.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Ready.Token);
        using (var abandoned = await PostAsync(leaving, body, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await abandoned.Content.ReadAsStreamAsync();
            Assert.True(await stream.ReadAsync(new byte[4096]) > 0);
        }

        clock.Restart();
        HttpResponseMessage next;
        while ((next = await PostAsync(server.Http, new { voice = "alloy", input = "Hello.", response_format = "pcm" })).StatusCode == HttpStatusCode.TooManyRequests)
        {
            next.Dispose();
            Assert.True(clock.Elapsed < wholeText, $"The engine stayed busy for {clock.Elapsed.TotalSeconds:0.0} s after the client left; the whole text takes {wholeText.TotalSeconds:0.0} s.");
            await Task.Delay(20);
        }

        using (next)
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }

        Assert.True(clock.Elapsed < wholeText / 3, $"The engine was free {clock.Elapsed.TotalSeconds:0.00} s after the client left; the whole text takes {wholeText.TotalSeconds:0.00} s.");
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheSpeechEndpoint()
    {
        using var document = JsonDocument.Parse(await Server.Http.GetStringAsync(HearsayRoutes.OpenApi));

        var post = document.RootElement.GetProperty("paths").GetProperty(HearsayRoutes.Speech).GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var ok = post.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.All(["audio/mpeg", "audio/wav", "audio/pcm", "audio/ogg", "audio/aac", "audio/flac", "text/event-stream"], type => Assert.True(ok.TryGetProperty(type, out _), type));
        Assert.True(post.GetProperty("responses").TryGetProperty("429", out _));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, object body, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Post, HearsayRoutes.Speech) { Content = JsonContent.Create(body) }, completion);

    private static async Task<ErrorDetail> ErrorOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize(text, HearsayJsonContext.Default.ErrorResponse)!.Error;
    }

    /// <summary>The events of an SSE body, checking OpenAI's framing: each is one <c>data:</c> line and a blank line.</summary>
    private static async Task<List<SpeechAudioEvent>> EventsOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(frame =>
        {
            Assert.StartsWith("data: ", frame, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', frame);
            return JsonSerializer.Deserialize(frame["data: ".Length..], HearsayJsonContext.Default.SpeechAudioEvent)!;
        }).ToList();
    }

    /// <summary>ffprobe's view of the first audio stream in <paramref name="audio"/>: codec_name, channels, sample_rate.</summary>
    private static async Task<Dictionary<string, string>> ProbeAsync(byte[] audio)
    {
        // From a file, not stdin: ffprobe stops reading once it knows the stream, and the rest of a pipe would break.
        using var folder = new TemporaryDirectory();
        var file = folder.File("audio");
        await File.WriteAllBytesAsync(file, audio);
        using var process = ChildProcess.Start(
            TestPaths.Program("ffprobe", FfmpegHint),
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,channels,sample_rate", "-of", "default=noprint_wrappers=1", file]);
        var result = await ChildProcess.CompleteAsync(process);
        Assert.True(result.ExitCode == 0, $"ffprobe exited {result.ExitCode}: {result.Stderr}");
        return result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }
}
