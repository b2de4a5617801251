using System.Net;
using Hearsay.Client;
using Hearsay.Contracts.Audio;
using Hearsay.Contracts.Errors;
using Hearsay.Contracts.Status;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Client;

/// <summary><see cref="HearsayClient"/> against the real server on Kestrel.</summary>
public class HearsayClientTests
{
    private static readonly string Jfk = TestPaths.SharedFile("audio", "wav16k", "jfk.wav");

    [Fact]
    public async Task FromReadyLine_StatusAndReadiness_MatchTheServer()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = HearsayClient.FromReadyLine($$"""{"event":"ready","url":"{{server.Ready.Url}}","token":"{{server.Ready.Token}}"}""");

        var status = await client.GetStatusAsync();

        Assert.Equal(CapabilityState.Ready, status.Stt.State);
        Assert.True(await client.IsReadyAsync(["stt", "tts"]));
        Assert.Contains((await client.ListModelsAsync()).Data, model => model.Id == "whisper-1");
    }

    [Fact]
    public async Task FromReadyLine_NotAReadyLine_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => HearsayClient.FromReadyLine("info: starting"));
        Assert.Throws<FormatException>(() => HearsayClient.FromReadyLine("""{"event":"stopped"}"""));
    }

    [Fact]
    public async Task AnyCall_WrongToken_ThrowsWithTheServersCode()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var client = new HearsayClient(server.BaseUrl, "not-the-token-of-this-server");

        var error = await Assert.ThrowsAsync<HearsayApiException>(() => client.GetStatusAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(ErrorCodes.InvalidApiKey, error.Code);
    }

    [Fact]
    public async Task TranscribeAsync_AllThreeWays_GiveTheirShapes()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);
        var options = new TranscriptionOptions { Language = "en", Temperature = 0 };

        var verbose = await client.TranscribeAsync(File.OpenRead(Jfk), "jfk.wav", options);
        var srt = await client.TranscribeToAsync(File.OpenRead(Jfk), "jfk.wav", "srt", options);
        var deltas = new List<string>();
        await foreach (var delta in client.StreamTranscriptionAsync(File.OpenRead(Jfk), "jfk.wav", options))
        {
            deltas.Add(delta);
        }

        // The test model's random weights send windows into the temperature fallback, which samples: the three runs
        // need not agree on words, only on what each shape carries.
        Assert.Equal("transcribe", verbose.Task);
        Assert.NotEmpty(verbose.Segments);
        Assert.Equal(verbose.Text.Trim(), string.Concat(verbose.Segments.Select(segment => segment.Text)).Trim());
        Assert.NotEmpty(deltas);
        Assert.StartsWith("1\n00:00:", srt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_WordGranularity_HasWordsInOrderWithinTheAudio()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);

        var withWords = await client.TranscribeAsync(
            File.OpenRead(Jfk), "jfk.wav", new TranscriptionOptions { TimestampGranularities = TimestampGranularities.Word | TimestampGranularities.Segment });
        var without = await client.TranscribeAsync(File.OpenRead(Jfk), "jfk.wav", new TranscriptionOptions { Temperature = 0 });

        Assert.NotEmpty(withWords.Segments);
        var words = Assert.IsAssignableFrom<IReadOnlyList<TranscriptionWordInfo>>(withWords.Words);
        Assert.NotEmpty(words);
        Assert.All(words, word =>
        {
            Assert.Equal(word.Word.Trim(), word.Word);
            Assert.InRange(word.End, word.Start, withWords.Duration);
        });
        Assert.Equal(words.Select(word => word.Start).Order(), words.Select(word => word.Start));
        Assert.Null(without.Words);
    }

    [Fact]
    public async Task TranscribeToAsync_MaxLineWidth_CutsTheSubtitlesIntoLinesOfWords()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);

        var vtt = await client.TranscribeToAsync(File.OpenRead(Jfk), "jfk.wav", "vtt", new TranscriptionOptions { MaxLineWidth = 12 });
        var refused = await Assert.ThrowsAsync<HearsayApiException>(
            () => client.TranscribeToAsync(File.OpenRead(Jfk), "jfk.wav", "json", new TranscriptionOptions { MaxLineWidth = 12 }));

        // The exact cutting is TranscriptFormatterTests'; here the option reaches the server. A cue is a line of words
        // within the width, a longer single word, or a segment the alignment gave no words.
        var cues = vtt.Split("\n\n").Skip(1).Where(cue => cue.Contains('\n', StringComparison.Ordinal)).Select(cue => cue.Split('\n', 2)[1].Trim()).ToList();
        Assert.StartsWith("WEBVTT", vtt, StringComparison.Ordinal);
        Assert.Contains(cues, cue => cue.Length <= 12);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("max_line_width", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpeakAsync_StreamsAWavFile()
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);

        await using var audio = await client.SpeakAsync(new SpeechRequest("tts-1", "Hello there. How are you?", "alloy", ResponseFormat: "wav"));
        using var bytes = new MemoryStream();
        await audio.CopyToAsync(bytes);

        Assert.Equal("RIFF"u8.ToArray(), bytes.ToArray()[..4]);
        Assert.True(bytes.Length > 44 + 2000);
    }

    [Fact]
    public async Task SpeakAsync_CapabilityNotInstalled_Throws503SayingSo()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);

        var error = await Assert.ThrowsAsync<HearsayApiException>(() => client.SpeakAsync(new SpeechRequest("tts-1", "Hello.", "alloy")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(ErrorCodes.CapabilityNotReady, error.Code);
        Assert.Contains("not_installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartDownloadAsync_WatchStatus_SeesTheVoiceDownloadLoadAndBecomeReady()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        server.Registry.Server.Throttle(ModelRegistry.PathOf(ModelRegistry.Voice, "tiny-single.onnx"), 2_000_000);
        using var client = new HearsayClient(server.BaseUrl, server.Ready.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<CapabilityState>();

        await client.StartDownloadAsync(ModelRegistry.Voice, cancellationToken: timeout.Token);
        await foreach (var status in client.WatchStatusAsync(timeout.Token))
        {
            if (seen.Count == 0 || seen[^1] != status.Tts.State)
            {
                seen.Add(status.Tts.State);
            }

            if (status.Tts.State == CapabilityState.Ready)
            {
                break;
            }
        }

        Assert.Contains(CapabilityState.Downloading, seen);
        Assert.Equal(CapabilityState.Ready, seen[^1]);
        Assert.True((await client.VerifyModelAsync(ModelRegistry.Voice)).Ok);
        Assert.Equal("installed", (await client.GetCatalogModelAsync(ModelRegistry.Voice)).State);
    }
}
