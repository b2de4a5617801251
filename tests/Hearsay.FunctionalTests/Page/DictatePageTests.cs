using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Hearsay.FunctionalTests.Page;

/// <summary>
/// The page's Dictate card in Chromium, whose fake microphone plays a real clip followed by 2 s of silence (in a loop),
/// so server VAD ends an utterance each time round. Random-weight models give word salad: the tests check the protocol
/// and that the page shows what the server's WebSocket sent, not English.
/// </summary>
[Collection(BrowserFixtureDefinition.Collection)]
public sealed class DictatePageTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Completed = "conversation.item.input_audio_transcription.completed";
    private const string Delta = "conversation.item.input_audio_transcription.delta";

    private readonly TemporaryDirectory _folder = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var microphone = _folder.File("lj-then-silence.wav");
        await WriteClipThenSilenceAsync(TestPaths.SharedFile("audio", "wav16k", "lj_LJ001-0001.wav"), microphone, silenceSeconds: 2);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright, microphone);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Dictate_FakeMicrophone_ShowsEachItemAsTheServerSentItAndStops()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var frames = new Frames();
        await using var page = await OpenAsync(PageUrls.WithToken(server), "dictate", frames.Watch);
        await Expect(page["#dictate-panel"]).ToBeVisibleAsync();

        await page["#dictate"].ClickAsync();
        await Expect(page["#dictate"]).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page["#dictate-state"]).ToHaveTextAsync(new Regex("Listening|Hearing speech"));
        await Expect(page["#dictation [data-state=completed]"].First).ToBeAttachedAsync(new() { Timeout = 90_000 });
        await page.ScreenshotAsync("completed");
        await page["#dictate"].ClickAsync();
        await Expect(page["#dictate"]).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(page["#dictate"]).ToHaveTextAsync("Dictate");

        var received = frames.Received();
        var types = received.Select(e => e.GetProperty("type").GetString()).ToList();
        output.WriteLine(string.Join(' ', types.Where(t => t != Delta)));
        var updated = received.Single(e => e.GetProperty("type").GetString() == "session.updated").GetProperty("session").GetProperty("audio").GetProperty("input");
        Assert.Equal(24000, updated.GetProperty("format").GetProperty("rate").GetInt32());
        Assert.Equal("server_vad", updated.GetProperty("turn_detection").GetProperty("type").GetString());
        Assert.DoesNotContain("error", types);

        // The first item went through the whole turn, in order.
        var first = received.First(e => e.GetProperty("type").GetString() == Completed);
        var itemId = first.GetProperty("item_id").GetString()!;
        var ofItem = received.Where(e => e.TryGetProperty("item_id", out var id) && id.GetString() == itemId)
            .Select(e => e.GetProperty("type").GetString()).ToList();
        var started = ofItem.IndexOf("input_audio_buffer.speech_started");
        var stopped = ofItem.IndexOf("input_audio_buffer.speech_stopped");
        var committed = ofItem.IndexOf("input_audio_buffer.committed");
        Assert.True(started >= 0 && started < stopped && stopped < committed && committed < ofItem.IndexOf(Completed), string.Join(' ', ofItem));
        var stoppedAt = received.First(e => e.GetProperty("type").GetString() == "input_audio_buffer.speech_stopped").GetProperty("audio_end_ms").GetInt32();

        // What the page sent: PCM16 at 24 kHz, at least as much as the server had heard by the end of the utterance.
        var sentSeconds = frames.Sent().Where(e => e.GetProperty("type").GetString() == "input_audio_buffer.append")
            .Sum(e => Convert.FromBase64String(e.GetProperty("audio").GetString()!).Length) / 2.0 / 24000;
        Assert.True(sentSeconds * 1000 >= stoppedAt, $"sent {sentSeconds:0.00} s, the speech stopped at {stoppedAt} ms");

        // The deltas add up to the transcript, and the page shows each completed item's transcript as it came.
        var transcript = first.GetProperty("transcript").GetString()!;
        var deltas = string.Concat(received.Where(e => e.GetProperty("type").GetString() == Delta && e.GetProperty("item_id").GetString() == itemId)
            .Select(e => e.GetProperty("delta").GetString()));
        Assert.Equal(transcript, deltas);
        Assert.False(string.IsNullOrWhiteSpace(transcript));
        foreach (var completed in received.Where(e => e.GetProperty("type").GetString() == Completed))
        {
            var line = page[$"#dictation p[data-item=\"{completed.GetProperty("item_id").GetString()}\"]"];
            Assert.Equal("completed", await line.GetAttributeAsync("data-state"));
            Assert.Equal(completed.GetProperty("transcript").GetString(), await line.Locator(".settled").TextContentAsync());
            Assert.Equal(string.Empty, await line.Locator(".interim").TextContentAsync());
        }

        await Expect(page["#dictation p[data-state=completed]"].First).ToBeVisibleAsync();
        await Expect(page["#dictate-error"]).ToBeEmptyAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Dictate_ServerGoesAway_SaysTheConnectionWasLostAndStops()
    {
        var server = await ServerUnderTest.StartAsync();
        PageUnderTest? page = null;
        try
        {
            page = await OpenAsync(PageUrls.WithToken(server), "dictate-lost");
            await Expect(page["#dictate-panel"]).ToBeVisibleAsync();
            await page["#dictate"].ClickAsync();
            await Expect(page["#dictate"]).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(page["#dictate-state"]).ToHaveTextAsync(new Regex("Listening|Hearing speech"));
        }
        finally
        {
            await server.DisposeAsync();
        }

        await using (page)
        {
            await Expect(page["#dictate-error"]).ToHaveTextAsync(new Regex("^The connection to Hearsay was lost, so dictation stopped"), new() { Timeout = 60_000 });
            await Expect(page["#dictate"]).ToHaveAttributeAsync("aria-pressed", "false");
            await Expect(page["#dictate"]).ToBeEnabledAsync();
        }
    }

    [Fact]
    public async Task Dictate_MicrophoneRefused_SaysSoInPlainWords()
    {
        await using var server = await ServerUnderTest.StartAsync();
        const string Refuse = """
            navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
            """;
        var frames = new Frames();
        await using var page = await OpenAsync(PageUrls.WithToken(server), "dictate-refused", frames.Watch, Refuse);
        await Expect(page["#dictate-panel"]).ToBeVisibleAsync();

        await page["#dictate"].ClickAsync();

        await Expect(page["#dictate-error"]).ToHaveTextAsync(
            "The microphone was not allowed: allow it in the browser or system settings, then try again.");
        await Expect(page["#dictate"]).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Empty(frames.Sockets);
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Dictate_UpgradeRefused_SaysSpeechToTextIsNotAvailable()
    {
        await using var server = await ServerUnderTest.StartAsync();
        // The status says speech-to-text is ready (so the card shows) while the upgrade fails, as when the voice goes
        // away between the two: the page asks the status again and finds it gone.
        var statusCalls = 0;
        await using var page = await OpenAsync(PageUrls.WithToken(server), "dictate-unavailable", async p =>
        {
            await p.RouteWebSocketAsync(new Regex("/v1/realtime"), socket => socket.CloseAsync());
            await p.RouteAsync(new Regex("/v1/status$"), async route =>
            {
                if (Interlocked.Increment(ref statusCalls) == 1)
                {
                    await route.ContinueAsync();
                    return;
                }

                await route.FulfillAsync(new()
                {
                    ContentType = "application/json",
                    Body = """{"stt":{"state":"error"},"tts":{"state":"ready"}}""",
                });
            });
        });
        await Expect(page["#dictate-panel"]).ToBeVisibleAsync();

        await page["#dictate"].ClickAsync();

        await Expect(page["#dictate-error"]).ToHaveTextAsync(new Regex("^Speech-to-text is not available right now, so dictation cannot start"));
        await Expect(page["#dictate"]).ToHaveAttributeAsync("aria-pressed", "false");
    }

    private async Task<PageUnderTest> OpenAsync(string url, string name, Func<IPage, Task>? prepare = null, string? initScript = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 800, Height = 900 },
            Permissions = ["microphone"],
        });
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var page = new PageUnderTest(context, await context.NewPageAsync(), Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"));
        if (prepare is not null)
        {
            await prepare(page.Page);
        }

        await page.Page.GotoAsync(url);
        return page;
    }

    /// <summary>Writes <paramref name="clip"/>'s 16-bit samples, then silence, as a 16-bit mono WAV at the clip's rate.</summary>
    private static async Task WriteClipThenSilenceAsync(string clip, string path, int silenceSeconds)
    {
        const int Rate = 16000;
        var speech = await SoxAudio.ReadPcm16Async(clip, Rate);
        var data = new byte[speech.Length + (silenceSeconds * Rate * 2)];
        speech.CopyTo(data, 0);
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), Rate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), Rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), data.Length);
        await File.WriteAllBytesAsync(path, [.. header, .. data]);
    }

    /// <summary>Every text frame of the page's WebSockets, each way, as JSON.</summary>
    private sealed class Frames
    {
        private readonly Lock _lock = new();
        private readonly List<JsonElement> _received = [];
        private readonly List<JsonElement> _sent = [];

        public List<IWebSocket> Sockets { get; } = [];

        public Task Watch(IPage page)
        {
            page.WebSocket += (_, socket) =>
            {
                lock (_lock)
                {
                    Sockets.Add(socket);
                }

                socket.FrameReceived += (_, frame) => Add(_received, frame);
                socket.FrameSent += (_, frame) => Add(_sent, frame);
            };
            return Task.CompletedTask;
        }

        public List<JsonElement> Received()
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }

        public List<JsonElement> Sent()
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }

        private void Add(List<JsonElement> list, IWebSocketFrame frame)
        {
            if (frame.Text is { } text)
            {
                lock (_lock)
                {
                    list.Add(JsonDocument.Parse(text).RootElement.Clone());
                }
            }
        }
    }
}
