using System.Globalization;
using System.Text.RegularExpressions;
using Hearsay.FunctionalTests.Server;
using static Microsoft.Playwright.Assertions;

namespace Hearsay.FunctionalTests.Page;

[Collection(BrowserFixtureDefinition.Collection)]
public class TryItPageTests(BrowserFixture browser)
{
    /// <summary>Keeps every blob the page turns into a URL, so the test can read what the audio element plays.</summary>
    private const string KeepBlobs = """
        window.keptBlobs = new Map();
        const createObjectURL = URL.createObjectURL;
        URL.createObjectURL = blob => {
          const url = createObjectURL.call(URL, blob);
          window.keptBlobs.set(url, blob);
          return url;
        };
        """;

    private const string TranscriptShown = """
        () => {
          const text = document.getElementById('stt-result').textContent.trim();
          return text !== '' && text !== 'Transcribing…' ? text : null;
        }
        """;

    [Fact]
    public async Task Speak_TypedText_PlaysTheWavReplyFromABlob()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "speak", KeepBlobs);
        await Expect(page["#tts-panel"]).ToBeVisibleAsync();
        await page["#tts-text"].FillAsync("Hello from the page test.");

        var reply = await page.Page.RunAndWaitForResponseAsync(
            () => page["#speak"].ClickAsync(), response => response.Url.EndsWith("/v1/audio/speech", StringComparison.Ordinal));
        await Expect(page["#tts-audio"]).ToHaveAttributeAsync("src", new Regex("^blob:"));
        var duration = await (await page.Page.WaitForFunctionAsync(
            "() => { const audio = document.getElementById('tts-audio'); return audio.duration > 0 ? audio.duration : null; }")).JsonValueAsync<double>();
        // The page's policy lets it play blobs but not fetch them, so the blob is read as an object.
        var blob = await page.Page.EvaluateAsync<string>("""
            async () => {
              const blob = window.keptBlobs.get(document.getElementById('tts-audio').src);
              const bytes = new Uint8Array(await blob.arrayBuffer());
              return `${String.fromCharCode(...bytes.slice(0, 4))}${String.fromCharCode(...bytes.slice(8, 12))} ${bytes.length} ${blob.type}`;
            }
            """);

        Assert.Equal(200, reply.Status);
        var match = Regex.Match(blob, "^RIFFWAVE (\\d+) audio/");
        Assert.True(match.Success, $"The audio's blob is '{blob}'.");
        Assert.True(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) > 44, $"The audio's blob is '{blob}'.");
        Assert.True(duration > 0, $"The audio element's duration is {duration}.");
        await Expect(page["#tts-audio"]).ToBeVisibleAsync();
        await Expect(page["#tts-error"]).ToBeEmptyAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task ChooseFile_JfkWav_ShowsItsText()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "transcribe-file");
        await Expect(page["#stt-panel"]).ToBeVisibleAsync();

        await page["#stt-file"].SetInputFilesAsync(Chromium.Jfk());
        var text = await (await page.Page.WaitForFunctionAsync(TranscriptShown)).JsonValueAsync<string>();

        Assert.False(string.IsNullOrWhiteSpace(text));
        await Expect(page["#stt-error"]).ToBeEmptyAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Record_FromTheMicrophone_ShowsTheText()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "record");
        await Expect(page["#stt-panel"]).ToBeVisibleAsync();

        await page["#record"].ClickAsync();
        await Expect(page["#record"]).ToHaveAttributeAsync("aria-pressed", "true");
        // The fake microphone plays jfk.wav; a few seconds of it are enough.
        await Expect(page["#record-time"]).ToHaveTextAsync(new Regex(@"Recording… [3-9] s"));
        await page.ScreenshotAsync("recording");
        await page["#record"].ClickAsync();
        var text = await (await page.Page.WaitForFunctionAsync(TranscriptShown)).JsonValueAsync<string>();

        Assert.False(string.IsNullOrWhiteSpace(text));
        await Expect(page["#record"]).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(page["#stt-error"]).ToBeEmptyAsync();
        page.AssertNoProblems();
    }
}
