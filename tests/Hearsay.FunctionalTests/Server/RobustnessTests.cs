using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Errors;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary>Bad audio, overload and the API description: never a 5xx, always OpenAI's envelope.</summary>
public class RobustnessTests
{
    private static readonly string JfkPath = TestPaths.SharedFile("audio", "wav16k", "jfk.wav");

    public static TheoryData<string, string, byte[]> BadAudio => new()
    {
        { "empty", "empty.wav", [] },
        { "garbage", "noise.wav", [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 7919 % 251))] },
        { "header cut short", "cut.wav", File.ReadAllBytes(JfkPath)[..30] },
        { "RIFF without a data chunk", "nodata.wav", File.ReadAllBytes(JfkPath)[..36] },
        { "text named as mp3", "speech.mp3", "ID3 but not really an mp3"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadAudio))]
    public async Task Transcriptions_BadAudio_Is400Or415InOpenAisEnvelope(string what, string fileName, byte[] bytes)
    {
        await using var server = await ServerUnderTest.StartAsync();

        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Upload(bytes, fileName));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType, $"{what}: {response.StatusCode}");
        var error = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), HearsayJsonContext.Web.ErrorResponse)!.Error;
        Assert.Equal("invalid_request_error", error.Type);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcriptions_WavCutInItsData_TranscribesWhatArrived()
    {
        // A WAV whose data chunk claims more than the file holds is what a streaming writer leaves: accepted (issue 3).
        await using var server = await ServerUnderTest.StartAsync();
        var bytes = await File.ReadAllBytesAsync(JfkPath);

        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Upload(bytes[..(bytes.Length / 2)], "half.wav", "verbose_json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var duration = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("duration").GetDouble();
        Assert.InRange(duration, 5.0, 6.0);
    }

    [Fact]
    public async Task Transcriptions_WavNamedAsMp3_IsRecognisedByItsContent()
    {
        await using var server = await ServerUnderTest.StartAsync();

        using var response = await server.Http.PostAsync(HearsayRoutes.Transcriptions, Upload(await File.ReadAllBytesAsync(JfkPath), "jfk.mp3"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Transcriptions_MoreParallelRequestsThanTheQueueHolds_SomeAre429AndEveryAcceptedOneCompletes()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { SttConcurrency = 1, SttQueue = 2 });
        var audio = await File.ReadAllBytesAsync(TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav"));
        // The long clip keeps the turn busy while all eight arrive; the three accepted ones then run one after another,
        // which on a loaded machine takes longer than the usual client's minute.
        using var http = server.Client(server.Ready.Token);
        http.Timeout = TimeSpan.FromMinutes(5);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await http.PostAsync(HearsayRoutes.Transcriptions, Upload(audio, "long.wav"));
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, response => Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{response.StatusCode}: {response.Body}"));
        var refused = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(refused.Count, 1, 7);
        Assert.All(refused, response =>
        {
            Assert.True(response.RetryAfter >= TimeSpan.FromSeconds(1));
            Assert.Contains(ErrorCodes.EngineBusy, response.Body, StringComparison.Ordinal);
        });
        Assert.All(responses.Where(response => response.StatusCode == HttpStatusCode.OK), response => Assert.StartsWith("{\"text\":", response.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Speech_MoreParallelRequestsThanTheQueueHolds_SomeAre429AndEveryAcceptedOneCompletes()
    {
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { TtsConcurrency = 1, TtsQueue = 1 });
        var text = string.Join(' ', Enumerable.Repeat("This sentence keeps the voice busy for a while.", 40));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await server.Http.PostAsJsonAsync(HearsayRoutes.Speech, new { model = "tts-1", voice = "alloy", input = text, response_format = "pcm" });
            return (response.StatusCode, Bytes: (await response.Content.ReadAsByteArrayAsync()).Length);
        }));

        Assert.All(responses, response => Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString()));
        Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(responses.Where(response => response.StatusCode == HttpStatusCode.OK), response => Assert.True(response.Bytes > 100_000));
    }

    [Fact]
    public async Task OpenApi_Document_DescribesEveryRoute()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var anonymous = server.Client(token: null);

        var document = JsonDocument.Parse(await anonymous.GetStringAsync(HearsayRoutes.OpenApi)).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToHashSet();
        string[] expected =
        [
            HearsayRoutes.Transcriptions, HearsayRoutes.Translations, HearsayRoutes.Speech, HearsayRoutes.Models, "/v1/models/{id}",
            HearsayRoutes.Status, HearsayRoutes.StatusEvents, HearsayRoutes.Catalog, "/v1/catalog/models/{id}",
            "/v1/catalog/models/{id}/download", "/v1/catalog/models/{id}/verify", HearsayRoutes.Live, HearsayRoutes.Ready,
        ];
        Assert.Empty(expected.Except(paths));
        Assert.True(document.GetProperty("components").GetProperty("schemas").GetProperty("CapabilityStatus").GetProperty("properties").TryGetProperty("size_bytes", out _));
    }

    private static MultipartFormDataContent Upload(byte[] bytes, string fileName, string format = "json") => new()
    {
        { new ByteArrayContent(bytes), "file", fileName },
        { new StringContent("whisper-1"), "model" },
        { new StringContent(format), "response_format" },
    };
}
