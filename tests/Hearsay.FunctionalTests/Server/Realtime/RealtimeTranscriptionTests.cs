using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server.Realtime;

/// <summary>
/// <c>/v1/realtime?intent=transcription</c> on real Kestrel with the tiny Whisper model and real recordings: OpenAI's
/// event sequence in both dialects, transcripts equal to the file endpoint's for the same samples, deltas that add up,
/// server VAD, and every bad input answered with an error event while the session goes on.
/// </summary>
public sealed class RealtimeTranscriptionTests(RealtimeServer fixture) : IClassFixture<RealtimeServer>
{
    private const int Rate = 24000;

    private ServerUnderTest Server => fixture.Server;

    [Fact]
    public async Task Connect_Ga_SessionCreatedHasOpenAisDefaults()
    {
        await using var client = await ConnectAsync();

        var created = await client.NextAsync("session.created");

        Assert.StartsWith("event_", created.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        var session = created.GetProperty("session");
        Assert.Equal("transcription", session.GetProperty("type").GetString());
        var input = session.GetProperty("audio").GetProperty("input");
        Assert.Equal("audio/pcm", input.GetProperty("format").GetProperty("type").GetString());
        Assert.Equal(24000, input.GetProperty("format").GetProperty("rate").GetInt32());
        var turns = input.GetProperty("turn_detection");
        Assert.Equal("server_vad", turns.GetProperty("type").GetString());
        Assert.Equal(0.5, turns.GetProperty("threshold").GetDouble());
        Assert.Equal(300, turns.GetProperty("prefix_padding_ms").GetInt32());
        Assert.Equal(500, turns.GetProperty("silence_duration_ms").GetInt32());
    }

    [Fact]
    public async Task ManualCommit_Clip_CompletedEqualsFileEndpointAndDeltasAddUp()
    {
        var pcm = await Pcm("jfk.wav");
        await using var client = await ConnectAsync();
        await ManualSessionAsync(client, language: "en");

        await client.AppendAsync(pcm, chunkBytes: Rate / 10 * 2);
        await client.SendAsync(new { type = "input_audio_buffer.commit", event_id = "c1" });
        var committed = await client.NextAsync("input_audio_buffer.committed");
        var completed = await client.NextAsync("conversation.item.input_audio_transcription.completed");
        var done = await client.NextAsync("conversation.item.done");

        var itemId = committed.GetProperty("item_id").GetString();
        Assert.Equal(JsonValueKind.Null, committed.GetProperty("previous_item_id").ValueKind);
        var added = Assert.Single(client.SeenOf("conversation.item.added"));
        Assert.Equal(itemId, added.GetProperty("item").GetProperty("id").GetString());
        Assert.Equal("realtime.item", added.GetProperty("item").GetProperty("object").GetString());
        Assert.Equal("user", added.GetProperty("item").GetProperty("role").GetString());
        Assert.Equal("input_audio", added.GetProperty("item").GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal(itemId, completed.GetProperty("item_id").GetString());
        var transcript = completed.GetProperty("transcript").GetString()!;
        Assert.Equal(await FileTranscriptAsync(pcm, language: "en"), transcript);
        Assert.Equal(Deltas(client, itemId), transcript);
        Assert.Equal(pcm.Length / 2.0 / Rate, completed.GetProperty("usage").GetProperty("seconds").GetDouble(), precision: 2);
        Assert.Equal("duration", completed.GetProperty("usage").GetProperty("type").GetString());
        Assert.Equal(transcript, done.GetProperty("item").GetProperty("content")[0].GetProperty("transcript").GetString());
        Assert.Empty(client.SeenOf("error"));
    }

    [Fact]
    public async Task Beta_TranscriptionSessionUpdate_SpeaksTheBetaEvents()
    {
        var pcm = await Pcm("lj_LJ001-0002.wav");
        await using var client = await ConnectAsync(beta: true);
        await client.NextAsync("transcription_session.created");
        await client.SendAsync(new
        {
            type = "transcription_session.update",
            session = new { input_audio_format = "pcm16", input_audio_transcription = new { model = "gpt-4o-transcribe", language = "en" }, turn_detection = (object?)null },
        });
        var updated = await client.NextAsync("transcription_session.updated");
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("session").GetProperty("turn_detection").ValueKind);
        Assert.Equal("pcm16", updated.GetProperty("session").GetProperty("input_audio_format").GetString());

        await client.AppendAsync(pcm, chunkBytes: 4800);
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var created = await client.NextAsync("conversation.item.created");
        var completed = await client.NextAsync("conversation.item.input_audio_transcription.completed");

        Assert.Equal(created.GetProperty("item").GetProperty("id").GetString(), completed.GetProperty("item_id").GetString());
        Assert.Equal(await FileTranscriptAsync(pcm, language: "en"), completed.GetProperty("transcript").GetString());
        // A GA session.update is the other dialect's: an error, and the session goes on.
        await client.SendAsync(new { type = "session.update", session = new { type = "transcription" } });
        Assert.Equal("unknown_event_type", (await client.NextAsync("error")).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(client.SeenOf("conversation.item.added"));
    }

    [Fact]
    public async Task SessionUpdate16k_HearsaysRate_CompletedEqualsFileEndpoint()
    {
        var pcm = await Pcm("lj_LJ001-0002.wav", rate: 16000);
        await using var client = await ConnectAsync();
        await client.NextAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "transcription", audio = new { input = new { format = new { type = "audio/pcm", rate = 16000 }, turn_detection = (object?)null } } },
        });
        var updated = await client.NextAsync("session.updated");
        Assert.Equal(16000, updated.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("format").GetProperty("rate").GetInt32());

        await client.AppendAsync(pcm, chunkBytes: 3200);
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var completed = await client.NextAsync("conversation.item.input_audio_transcription.completed");

        Assert.Equal(await FileTranscriptAsync(pcm, language: null, rate: 16000), completed.GetProperty("transcript").GetString());
    }

    [Fact]
    public async Task ServerVad_ClipInRealTime_SpeechEventsInOrderWithSaneTimesAndDeltasAddUp()
    {
        var speech = await Pcm("jfk.wav");
        var pcm = speech.Concat(new byte[Rate * 2 * 2]).ToArray();
        await using var client = await ConnectAsync();
        await client.NextAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "transcription",
                audio = new { input = new { transcription = new { language = "en" }, turn_detection = new { type = "server_vad", threshold = 0.5, prefix_padding_ms = 300, silence_duration_ms = 1500 } } },
            },
        });
        await client.NextAsync("session.updated");

        await client.AppendAsync(pcm, chunkBytes: Rate / 10 * 2, pause: TimeSpan.FromMilliseconds(100));
        var started = await client.NextAsync("input_audio_buffer.speech_started");
        var stopped = await client.NextAsync("input_audio_buffer.speech_stopped");

        var itemId = started.GetProperty("item_id").GetString();
        Assert.Equal(itemId, stopped.GetProperty("item_id").GetString());
        var startMs = started.GetProperty("audio_start_ms").GetInt64();
        var endMs = stopped.GetProperty("audio_end_ms").GetInt64();
        var speechMs = speech.Length / 2 * 1000L / Rate;
        Assert.InRange(startMs, 0, 1000);
        // The end is where 1.5 s of silence were confirmed after the last voiced frame.
        Assert.InRange(endMs, speechMs, speechMs + 1500 + 100);
        var committed = await client.NextAsync("input_audio_buffer.committed");
        Assert.Equal(itemId, committed.GetProperty("item_id").GetString());
        // The clip's pauses are shorter than 1.5 s: one utterance, long enough for interim decodes to settle text.
        var completed = await client.NextAsync("conversation.item.input_audio_transcription.completed");
        Assert.Equal(itemId, completed.GetProperty("item_id").GetString());
        Assert.Equal(completed.GetProperty("transcript").GetString(), Deltas(client, itemId));
        Assert.NotEmpty(client.SeenOf("hearsay.input_audio_transcription.interim"));
        Assert.Empty(client.SeenOf("error"));
    }

    [Fact]
    public async Task ServerVad_FasterThanRealTime_EveryUtteranceCommittedAndCompletedInOrder()
    {
        // Three clips with two seconds of silence between them, sent as fast as the socket takes them.
        var silence = new byte[Rate * 2 * 2];
        byte[][] clips = [await Pcm("lj_LJ001-0002.wav"), await Pcm("arctic_aew_a0001.wav"), await Pcm("cathy_arctic_a0038.wav")];
        var pcm = clips.SelectMany(clip => clip.Concat(silence)).ToArray();
        await using var client = await ConnectAsync();
        await client.NextAsync("session.created");

        await client.AppendAsync(pcm, chunkBytes: Rate * 2);
        var completed = new List<JsonElement>();
        for (var i = 0; i < clips.Length; i++)
        {
            completed.Add(await client.NextAsync("conversation.item.input_audio_transcription.completed"));
        }

        var started = client.SeenOf("input_audio_buffer.speech_started").ToList();
        var stopped = client.SeenOf("input_audio_buffer.speech_stopped").ToList();
        var committed = client.SeenOf("input_audio_buffer.committed").ToList();
        Assert.Equal(clips.Length, started.Count);
        Assert.Equal(clips.Length, stopped.Count);
        Assert.Equal(clips.Length, committed.Count);
        long previousEnd = -1;
        string? previousItem = null;
        for (var i = 0; i < clips.Length; i++)
        {
            var itemId = started[i].GetProperty("item_id").GetString();
            Assert.Equal(itemId, committed[i].GetProperty("item_id").GetString());
            Assert.Equal(previousItem, committed[i].GetProperty("previous_item_id").GetString());
            Assert.Equal(itemId, completed[i].GetProperty("item_id").GetString());
            Assert.Equal(completed[i].GetProperty("transcript").GetString(), Deltas(client, itemId));
            var start = started[i].GetProperty("audio_start_ms").GetInt64();
            var end = stopped[i].GetProperty("audio_end_ms").GetInt64();
            Assert.True(start > previousEnd && end > start, $"item {i}: {start}-{end} after {previousEnd}");
            previousEnd = end;
            previousItem = itemId;
        }
    }

    [Theory]
    [InlineData("{not json", "invalid_json", null)]
    [InlineData("[1,2]", "invalid_json", null)]
    [InlineData("{\"event_id\":\"e1\"}", "invalid_json", "type")]
    [InlineData("{\"type\":\"response.create\",\"event_id\":\"e1\"}", "unknown_event_type", "type")]
    [InlineData("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e1\",\"audio\":\"not base64!\"}", "invalid_value", "audio")]
    [InlineData("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e1\",\"audio\":\"AAAA\"}", "invalid_value", "audio")]
    [InlineData("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e1\"}", "invalid_value", "audio")]
    [InlineData("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e1\",\"audio\":5}", "invalid_json", null)]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\"}}", "unsupported_value", "session.type")]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcmu\"}}}}}", "unsupported_value", "session.audio.input.format.type")]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":44100}}}}}", "unsupported_value", "session.audio.input.format.rate")]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{\"turn_detection\":{\"type\":\"semantic_vad\"}}}}}", "unsupported_value", "session.audio.input.turn_detection.type")]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{\"turn_detection\":{\"threshold\":1.5}}}}}", "invalid_value", "session.audio.input.turn_detection.threshold")]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{\"turn_detection\":{\"silence_duration_ms\":\"500\"}}}}}", "invalid_value", "session.audio.input.turn_detection")]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{\"transcription\":{\"language\":\"klingon\"}}}}}", "invalid_value", "session.audio.input.transcription.language")]
    [InlineData("{\"type\":\"session.update\",\"event_id\":\"e1\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{\"transcription\":{\"model\":\"../etc\"}}}}}", "invalid_value", "session.audio.input.transcription.model")]
    [InlineData("{\"type\":\"input_audio_buffer.commit\",\"event_id\":\"e1\"}", "input_audio_buffer_commit_empty", null)]
    public async Task BadEvent_ErrorEventInOpenAisShape_AndTheSessionGoesOn(string json, string code, string? param)
    {
        await using var client = await ConnectAsync();
        await client.NextAsync("session.created");

        await client.SendTextAsync(json);
        var error = await client.NextAsync("error");

        Assert.StartsWith("event_", error.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        var detail = error.GetProperty("error");
        Assert.Equal("invalid_request_error", detail.GetProperty("type").GetString());
        Assert.Equal(code, detail.GetProperty("code").GetString());
        Assert.Equal(param, detail.GetProperty("param").GetString());
        Assert.NotEmpty(detail.GetProperty("message").GetString()!);
        // The client's event id comes back whenever the event could be read far enough to find it.
        var expectedEventId = json.Contains("\"e1\"", StringComparison.Ordinal) && !(code == "invalid_json" && param is null) ? "e1" : null;
        Assert.Equal(expectedEventId, detail.GetProperty("event_id").GetString());
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        await client.NextAsync("input_audio_buffer.cleared");
    }

    [Fact]
    public async Task EventOver15MiB_ErrorEvent_AndTheSessionGoesOn()
    {
        await using var client = await ConnectAsync();
        await client.NextAsync("session.created");
        var audio = Convert.ToBase64String(new byte[12 * 1024 * 1024]);

        await client.SendTextAsync($"{{\"type\":\"input_audio_buffer.append\",\"audio\":\"{audio}\"}}");
        var error = await client.NextAsync("error");

        Assert.Equal("event_too_large", error.GetProperty("error").GetProperty("code").GetString());
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        await client.NextAsync("input_audio_buffer.cleared");
    }

    [Fact]
    public async Task ClientThatNeverReads_FloodOfBadEvents_IsCutOff()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + Server.Ready.Token);
        await socket.ConnectAsync(RealtimeTestClient.Url(Server.BaseUrl), CancellationToken.None);
        var bad = Encoding.UTF8.GetBytes("{\"type\":\"no.such.event\",\"event_id\":\"flood\"}");

        // Each bad event is answered with an error the client never reads; past 10,000 waiting, the server hangs up.
        var exception = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                await socket.SendAsync(bad, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        });

        Assert.IsType<WebSocketException>(exception);
    }

    [Fact]
    public async Task ManualBufferPastTheCap_ErrorEventAndTheAudioRefused_CommitStillWorks()
    {
        await using var client = await ConnectAsync();
        await ManualSessionAsync(client, language: "en");
        var minute = new byte[Rate * 2 * 60];

        await client.AppendAsync(minute, chunkBytes: minute.Length / 4);
        await client.AppendAsync(minute, chunkBytes: minute.Length / 4);
        await client.AppendAsync(new byte[4800], chunkBytes: 4800);
        var error = await client.NextAsync("error");
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var completed = await client.NextAsync("conversation.item.input_audio_transcription.completed");

        Assert.Equal("input_audio_buffer_full", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(120.0, completed.GetProperty("usage").GetProperty("seconds").GetDouble(), precision: 1);
    }

    [Fact]
    public async Task ConcurrentSessions_Three_EachCompletedEqualsFileEndpoint()
    {
        string[] clips = ["lj_LJ001-0002.wav", "arctic_aew_a0002.wav", "cathy_arctic_a0122.wav"];

        var transcripts = await Task.WhenAll(clips.Select(async clip =>
        {
            var pcm = await Pcm(clip);
            await using var client = await ConnectAsync();
            await ManualSessionAsync(client, language: "en");
            await client.AppendAsync(pcm, chunkBytes: 9600);
            await client.SendAsync(new { type = "input_audio_buffer.commit" });
            var completed = await client.NextAsync("conversation.item.input_audio_transcription.completed");
            return (Pcm: pcm, Transcript: completed.GetProperty("transcript").GetString());
        }));

        foreach (var (pcm, transcript) in transcripts)
        {
            Assert.Equal(await FileTranscriptAsync(pcm, language: "en"), transcript);
        }
    }

    [Fact]
    public async Task Disconnect_MidUtteranceAndMidDecode_SessionFreedAndTheNextServed()
    {
        var closedBefore = fixture.Logs.Count(2454);
        var speech = await Pcm("long_lj_LJ001-0001_to_0015.wav");
        await using (var client = await ConnectAsync())
        {
            await client.NextAsync("session.created");
            await client.AppendAsync(speech[..(Rate * 2 * 4)], chunkBytes: 9600);
            await client.NextAsync("input_audio_buffer.speech_started");
        }

        await using (var client = await ConnectAsync())
        {
            await ManualSessionAsync(client, language: "en");
            await client.AppendAsync(speech, chunkBytes: Rate * 2);
            await client.SendAsync(new { type = "input_audio_buffer.commit" });
            await client.NextAsync("input_audio_buffer.committed");
        }

        await Poll.UntilAsync(() => fixture.Logs.Count(2454) == closedBefore + 2, TimeSpan.FromSeconds(10), "both sessions to close");
        var pcm = await Pcm("lj_LJ001-0002.wav");
        await using var next = await ConnectAsync();
        await ManualSessionAsync(next, language: "en");
        await next.AppendAsync(pcm, chunkBytes: 9600);
        await next.SendAsync(new { type = "input_audio_buffer.commit" });
        var completed = await next.NextAsync("conversation.item.input_audio_transcription.completed");
        Assert.Equal(await FileTranscriptAsync(pcm, language: "en"), completed.GetProperty("transcript").GetString());
    }

    [Fact]
    public async Task ServerStops_MidUtterance_ClosesWith1001AtOnce()
    {
        // Kestrel alone waits 30 s for an open WebSocket and then drops it without a close.
        var server = await ServerUnderTest.StartAsync();
        var speech = await Pcm("long_lj_LJ001-0001_to_0015.wav");
        await using var client = await RealtimeTestClient.ConnectAsync(server.BaseUrl, server.Ready.Token);
        await client.NextAsync("session.created");
        await client.AppendAsync(speech[..(Rate * 2 * 4)], chunkBytes: 9600);
        await client.NextAsync("input_audio_buffer.speech_started");

        var stopping = Stopwatch.StartNew();
        await server.DisposeAsync();
        stopping.Stop();
        await client.Ended.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        Assert.Equal("Hearsay is stopping.", client.Socket.CloseStatusDescription);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the stop took {stopping.Elapsed}");
    }

    [Fact]
    public async Task Upgrade_WithoutToken_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(_ => { }));
    }

    [Fact]
    public async Task Upgrade_KeyAsSubprotocol_IsAcceptedWithRealtimeChosen()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server.BaseUrl, token: null, configure: options =>
        {
            options.AddSubProtocol("realtime");
            options.AddSubProtocol("openai-insecure-api-key." + Server.Ready.Token);
        });

        Assert.Equal("realtime", client.Socket.SubProtocol);
        await client.NextAsync("session.created");
    }

    [Fact]
    public async Task Upgrade_BrowsersBetaSubprotocol_SpeaksTheBetaEvents()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server.BaseUrl, token: null, configure: options =>
        {
            options.AddSubProtocol("realtime");
            options.AddSubProtocol("openai-insecure-api-key." + Server.Ready.Token);
            options.AddSubProtocol("openai-beta.realtime-v1");
        });

        Assert.Equal("realtime", client.Socket.SubProtocol);
        await client.NextAsync("transcription_session.created");
    }

    [Fact]
    public async Task Upgrade_WrongKeyAsSubprotocol_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(options =>
        {
            options.AddSubProtocol("realtime");
            options.AddSubProtocol("openai-insecure-api-key.wrong");
        }));
    }

    [Fact]
    public async Task Upgrade_FromAnotherOrigin_Is403_FromItsOwnPageIsAccepted()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeStatusAsync(options =>
        {
            options.SetRequestHeader("Authorization", "Bearer " + Server.Ready.Token);
            options.SetRequestHeader("Origin", "http://attacker.example");
        }));
        await using var client = await RealtimeTestClient.ConnectAsync(
            Server.BaseUrl, Server.Ready.Token, configure: options => options.SetRequestHeader("Origin", $"http://{Server.BaseUrl.Authority}"));
        await client.NextAsync("session.created");
    }

    [Fact]
    public async Task Upgrade_WithoutTranscriptionIntent_Is400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, await HandshakeStatusAsync(
            options => options.SetRequestHeader("Authorization", "Bearer " + Server.Ready.Token), query: "?model=gpt-realtime"));
    }

    [Fact]
    public async Task Get_WithoutUpgrade_Is400_AndAForeignHostIsRefused()
    {
        using var plain = await Server.Http.GetAsync("/v1/realtime?intent=transcription");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/realtime?intent=transcription");
        request.Headers.Host = "attacker.example";
        using var foreign = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("WebSocket", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("Host", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static async Task<byte[]> Pcm(string clip, int rate = Rate) =>
        await SoxAudio.ReadPcm16Async(TestPaths.SharedFile("audio", "wav16k", clip), rate);

    internal static string Deltas(RealtimeTestClient client, string? itemId) => string.Concat(
        client.SeenOf("conversation.item.input_audio_transcription.delta")
            .Where(e => e.GetProperty("item_id").GetString() == itemId)
            .Select(e => e.GetProperty("delta").GetString()));

    private Task<RealtimeTestClient> ConnectAsync(bool beta = false) => RealtimeTestClient.ConnectAsync(Server.BaseUrl, Server.Ready.Token, beta);

    private static async Task ManualSessionAsync(RealtimeTestClient client, string? language)
    {
        await client.NextAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "transcription", audio = new { input = new { transcription = new { model = "whisper-1", language }, turn_detection = (object?)null } } },
        });
        var updated = await client.NextAsync("session.updated");
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection").ValueKind);
    }

    /// <summary>What <c>/v1/audio/transcriptions</c> says for the same PCM, as a WAV.</summary>
    private async Task<string> FileTranscriptAsync(byte[] pcm, string? language, int rate = Rate)
    {
        using var form = WavForm(pcm, rate, language);
        using var response = await Server.Http.PostAsync(HearsayRoutes.Transcriptions, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("text").GetString()!;
    }

    /// <summary>A transcription form whose file is <paramref name="pcm"/> as a WAV.</summary>
    internal static MultipartFormDataContent WavForm(byte[] pcm, int rate, string? language)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Wav(pcm, rate));
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "clip.wav");
        form.Add(new StringContent("whisper-1"), "model");
        if (language is not null)
        {
            form.Add(new StringContent(language), "language");
        }

        return form;
    }

    private static byte[] Wav(byte[] pcm, int rate)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write("RIFF"u8);
            writer.Write(36 + pcm.Length);
            writer.Write("WAVEfmt "u8);
            writer.Write(16);
            writer.Write((short)1);
            writer.Write((short)1);
            writer.Write(rate);
            writer.Write(rate * 2);
            writer.Write((short)2);
            writer.Write((short)16);
            writer.Write("data"u8);
            writer.Write(pcm.Length);
            writer.Write(pcm);
        }

        return stream.ToArray();
    }

    private async Task<HttpStatusCode> HandshakeStatusAsync(Action<ClientWebSocketOptions> configure, string query = "?intent=transcription")
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(RealtimeTestClient.Url(Server.BaseUrl, query), CancellationToken.None));
        return socket.HttpStatusCode;
    }
}
