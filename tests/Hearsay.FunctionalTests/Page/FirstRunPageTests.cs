using System.Text.RegularExpressions;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.Core;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearsay.FunctionalTests.Page;

[Collection(BrowserFixtureDefinition.Collection)]
public class FirstRunPageTests(BrowserFixture browser)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task Download_FromAnEmptyStore_ShowsTheSizeThenProgressThenBothCapabilitiesReady()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        // The Whisper decoder is most of the download: slowed down, the bar is seen part-way.
        server.Registry.Server.Throttle(ModelRegistry.PathOf(ModelRegistry.Whisper, "tiny-en-decoder.int8.onnx"), 1_000_000);
        var status = await server.WaitForStatusAsync(
            s => s.Stt.State == CapabilityState.NotInstalled && s.Tts.State == CapabilityState.NotInstalled, "nothing installed");
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "download");

        await Expect(page["#offer"]).ToBeVisibleAsync();
        await Expect(page["#offer"]).ToContainTextAsync("Voice features need a one-time download of");
        await Expect(page["#offer-size"]).ToHaveTextAsync(ByteSize.Format(status.Stt.SizeBytes!.Value + status.Tts.SizeBytes!.Value));
        await Expect(page["#stt-status .state"]).ToHaveTextAsync("Not downloaded");
        await Expect(page["#tts-status .state"]).ToHaveTextAsync("Not downloaded");
        await page.ScreenshotAsync("offer");

        await page["#download"].ClickAsync();
        var midway = await page.Page.WaitForFunctionAsync("""
            () => {
              const bar = document.getElementById('progress');
              const percent = Number(bar.getAttribute('aria-valuenow'));
              return !document.getElementById('progress-panel').hidden && percent >= 10 && percent <= 90 ? percent : null;
            }
            """);
        var percent = await midway.JsonValueAsync<int>();
        await Expect(page["#progress"]).ToHaveAttributeAsync("aria-valuetext", new Regex(@"[kM]B of .*MB \(\d+%\)"));
        await page.ScreenshotAsync("progress");

        Assert.InRange(percent, 10, 90);
        await Expect(page["#stt-status"]).ToHaveAttributeAsync("data-state", "ready", Slow);
        await Expect(page["#tts-status"]).ToHaveAttributeAsync("data-state", "ready", Slow);
        await Expect(page["#progress-panel"]).ToBeHiddenAsync();
        await Expect(page["#offer"]).ToBeHiddenAsync();
        await Expect(page["#summary"]).ToHaveTextAsync("Voice is ready.");
        await Expect(page["#stt-panel"]).ToBeVisibleAsync();
        await Expect(page["#tts-panel"]).ToBeVisibleAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Cancel_WhileDownloading_OffersTheDownloadAgainAndSaysWhatHappened()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        server.Registry.Server.Throttle(ModelRegistry.PathOf(ModelRegistry.Whisper, "tiny-en-decoder.int8.onnx"), 200_000);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "cancel");
        await page["#download"].ClickAsync();
        await Expect(page["#progress-panel"]).ToBeVisibleAsync();
        await Expect(page["#cancel"]).ToBeFocusedAsync();

        await page["#cancel"].ClickAsync();

        await Expect(page["#offer"]).ToBeVisibleAsync();
        await Expect(page["#progress-panel"]).ToBeHiddenAsync();
        await Expect(page["#offer-error"]).ToContainTextAsync("The download was cancelled.");
        await Expect(page["#stt-status .state"]).ToHaveTextAsync("Not downloaded");
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Download_WhenTheRegistryFails_SaysWhyInWords()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        server.Registry.Server.FailWith(ModelRegistry.PathOf(ModelRegistry.Whisper, "tiny-en-tokens.txt"), 404, times: 100);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "download-failed");

        await page["#download"].ClickAsync();

        // What happened and what to do, in words; no URL, HTTP status or API route.
        await Expect(page["#offer-error"]).ToContainTextAsync($"The download of {ModelRegistry.Whisper} did not finish.");
        await Expect(page["#offer-error"]).ToContainTextAsync("The download server does not have this model's files");
        await Expect(page["#offer-error"]).ToContainTextAsync("Try again later");
        await Expect(page["#offer-error"]).Not.ToContainTextAsync(new Regex("https?:|404|HTTP|/v1/|POST"));
        await Expect(page["#stt-status .detail"]).ToContainTextAsync("did not finish");
        await Expect(page["#stt-status .detail"]).Not.ToContainTextAsync(new Regex("https?:|404|/v1/|POST"));
        await Expect(page["#offer"]).ToBeVisibleAsync();
        await Expect(page["#download"]).ToBeEnabledAsync();

        // The technical detail is one click away, closed until asked for.
        var details = page["#offer-details"];
        await Expect(details).ToBeVisibleAsync();
        await Expect(details).Not.ToHaveAttributeAsync("open", "");
        await Expect(page["#offer-details-text"]).ToBeHiddenAsync();
        await details.Locator("summary").ClickAsync();
        await Expect(page["#offer-details-text"]).ToBeVisibleAsync();
        await Expect(page["#offer-details-text"]).ToContainTextAsync("HTTP 404");
        await Expect(page["#offer-details-text"]).ToContainTextAsync("tiny-en-tokens.txt");
        await Expect(page["#stt-status details"]).ToContainTextAsync("HTTP 404");
        await page.ScreenshotAsync("details");

        // Opened, it stays open while the status changes around it (here: the voice is removed).
        await page["#stt-status details summary"].ClickAsync();
        using (var removed = await server.Http.DeleteAsync(HearsayRoutes.CatalogModel(ModelRegistry.Voice)))
        {
            removed.EnsureSuccessStatusCode();
        }

        await Expect(page["#tts-status"]).ToHaveAttributeAsync("data-state", "not_installed");
        await Expect(page["#stt-status details"]).ToHaveAttributeAsync("open", "");
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Download_WhenOneModelFailsWhileTheOtherStillArrives_SaysWhyOnceBothEnded()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        server.Registry.Server.FailWith(ModelRegistry.PathOf(ModelRegistry.Whisper, "tiny-en-tokens.txt"), 404, times: 100);
        // The voice takes seconds, so its progress follows the Whisper download's failure, the status that said it once.
        server.Registry.Server.Throttle(ModelRegistry.PathOf(ModelRegistry.Voice, "tiny-single.onnx"), 40_000);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "failed-while-other-arrives");

        await page["#download"].ClickAsync();

        await Expect(page["#progress-panel"]).ToBeVisibleAsync();
        await Expect(page["#stt-status .detail"]).ToContainTextAsync("did not finish");
        await Expect(page["#tts-status"]).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 30_000 });
        await Expect(page["#progress-panel"]).ToBeHiddenAsync();
        await Expect(page["#offer-error"]).ToContainTextAsync($"The download of {ModelRegistry.Whisper} did not finish.");
        await Expect(page["#offer"]).ToBeVisibleAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Download_WhileTheRegistryAnswersErrors_ShowsDownloadingAndEachAttemptInWords()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        server.Registry.Server.FailWith(ModelRegistry.PathOf(ModelRegistry.Voice, "tiny-single.onnx"), 503, times: 100);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "download-retrying");

        await page["#download"].ClickAsync();

        await Expect(page["#tts-status .state"]).ToHaveTextAsync("Downloading");
        await Expect(page["#progress-panel"]).ToBeVisibleAsync();
        await Expect(page["#progress-models"]).ToContainTextAsync(
            $"{ModelRegistry.Voice}: 0 B of {ByteSize.Format(ModelRegistry.VoiceBytes)}. Attempt 1 of 6 failed (the download server had a problem); trying again in 1 s.");
        await page.ScreenshotAsync("retrying");
        await page["#cancel"].ClickAsync();
        await Expect(page["#offer-error"]).ToContainTextAsync("The download was cancelled.");
        page.AssertNoProblems();
    }

    [Fact]
    public async Task StatusStream_AfterTheConnectionDrops_ReconnectsAndFollowsChangesAgain()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        var attempts = 0;
        // The first stream ends at once (as when the server goes away mid-stream), the second cannot connect at all.
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "reconnect", prepare: page => page.RouteAsync("**/v1/status/events", route =>
            Interlocked.Increment(ref attempts) switch
            {
                1 => route.FulfillAsync(new() { Status = 200, ContentType = "text/event-stream", Body = "event: keep-alive\ndata: \n\n" }),
                2 => route.AbortAsync(),
                _ => route.FallbackAsync(),
            }));

        await Expect(page["#connection"]).ToContainTextAsync("Lost the connection to Hearsay; reconnecting");
        await Expect(page["#connection"]).ToBeEmptyAsync();
        using (var download = await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Voice), content: null))
        {
            download.EnsureSuccessStatusCode();
        }

        await Expect(page["#tts-status"]).ToHaveAttributeAsync("data-state", "ready", Slow);
        Assert.True(attempts >= 3, $"The page connected {attempts} times.");
    }

    [Fact]
    public async Task Skip_TheOffer_ShowsVoiceOffAcrossReloadsWithAWayBack()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "skip-dark", colorScheme: ColorScheme.Dark);
        await Expect(page["#offer"]).ToBeVisibleAsync();

        await page["#skip"].ClickAsync();

        await Expect(page["#offer"]).ToBeHiddenAsync();
        await Expect(page["#skipped"]).ToBeVisibleAsync();
        await Expect(page["#skipped"]).ToContainTextAsync("Voice is off. You can download it later.");
        await Expect(page["#unskip"]).ToBeFocusedAsync();
        await page.Page.ReloadAsync();
        await Expect(page["#voice-panel"]).ToBeVisibleAsync();
        await Expect(page["#skipped"]).ToBeVisibleAsync();
        await Expect(page["#offer"]).ToBeHiddenAsync();
        await page.ScreenshotAsync("skipped");

        await page["#unskip"].ClickAsync();
        await Expect(page["#offer"]).ToBeVisibleAsync();
        await Expect(page["#skipped"]).ToBeHiddenAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Open_WithEspeakNgAndFfmpegMissing_ExplainsWhatIsUnavailableAndWhatToDo()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "hearsay-no-such-program-" + Guid.NewGuid().ToString("N"));
        await using var server = await ServerUnderTest.StartAsync(
            install: false, configure: options => options with { EspeakNgPath = nowhere, FfmpegPath = nowhere });
        using (var download = await server.Http.PostAsync(HearsayRoutes.CatalogDownload(ModelRegistry.Whisper), content: null))
        {
            download.EnsureSuccessStatusCode();
        }

        await server.WaitForStatusAsync(s => s.Stt.State == CapabilityState.Ready && s.Tts.State == CapabilityState.Unavailable, "stt ready, tts unavailable");
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "unavailable");

        await Expect(page["#tts-status"]).ToHaveAttributeAsync("data-state", "unavailable");
        await Expect(page["#tts-status .state"]).ToHaveTextAsync("Unavailable");
        await Expect(page["#tts-status .detail"]).ToContainTextAsync("espeak-ng");
        await Expect(page["#stt-status .state"]).ToHaveTextAsync("Ready");
        await Expect(page["#tools-heading"]).ToHaveTextAsync("Voice unavailable");
        await Expect(page["#tools-list [data-tool='espeak-ng']"]).ToContainTextAsync("espeak-ng is missing.");
        await Expect(page["#tools-list [data-tool='espeak-ng']"]).ToContainTextAsync("bundle it next to the hearsay program");
        await Expect(page["#tools-list [data-tool='espeak-ng'] details"]).ToContainTextAsync(nowhere);
        await Expect(page["#tools-list [data-tool='ffmpeg']"]).ToContainTextAsync("WAV, FLAC, MP3, Ogg, WebM and raw PCM work without it");
        await Expect(page["#stt-panel"]).ToBeVisibleAsync();
        await Expect(page["#stt-note"]).ToContainTextAsync("Without ffmpeg Hearsay reads WAV, FLAC, MP3, Ogg and WebM");
        await Expect(page["#tts-panel"]).ToBeHiddenAsync();
        await Expect(page["#offer"]).ToBeHiddenAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Open_EspeakNgInstalledWhileOpen_ShowsTextToSpeechReadyWithoutAReload()
    {
        using var folder = new TemporaryDirectory();
        var voice = TestPaths.RepoAsset("piper", "tiny-single.onnx");
        await using var server = await ServerUnderTest.StartAsync(
            install: false, configure: options => options with { SttModel = "none", TtsVoice = voice, EspeakNgPath = folder.File("espeak-ng") });
        await server.WaitForStatusAsync(s => s.Tts.State == CapabilityState.Unavailable, "tts unavailable");
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "installed-later");
        await Expect(page["#tts-status"]).ToHaveAttributeAsync("data-state", "unavailable");
        await Expect(page["#tools-list [data-tool='espeak-ng']"]).ToContainTextAsync("espeak-ng is missing.");

        // Installed meanwhile: a wrapper around the machine's own espeak-ng, where the option says it is.
        FakeProgram.Create(folder, "espeak-ng", $"exec '{TestPaths.Program("espeak-ng", "Install it: apt-get install espeak-ng.")}' \"$@\"");

        await Expect(page["#tts-status"]).ToHaveAttributeAsync("data-state", "ready", Slow);
        await Expect(page["#tools"]).ToBeHiddenAsync();
        await Expect(page["#tts-panel"]).ToBeVisibleAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task FormatSize_OnThePage_SaysWhatTheCliSays()
    {
        long[] sizes = [0, 999, 1000, 1250, 9_949, 9_950, 116_041, 999_499, 999_500, 5_450_000, 224_000_000, 1_500_000_000, 3_000_000_000_000];
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "format-size");

        var shown = await page.Page.EvaluateAsync<string[]>(
            "async sizes => { const { formatSize } = await import('/format.js'); return sizes.map(formatSize); }", sizes);

        Assert.Equal(sizes.Select(ByteSize.Format), shown);
        page.AssertNoProblems();
    }
}

/// <summary>Addresses of the page on a test server.</summary>
internal static class PageUrls
{
    /// <summary>The page with the server's token in the fragment, as a launcher would open it.</summary>
    public static string WithToken(ServerUnderTest server, string? token = null) =>
        $"{server.BaseUrl}#token={Uri.EscapeDataString(token ?? server.Ready.Token)}";
}
