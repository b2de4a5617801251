using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Errors;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary>Every <c>/v1</c> error in OpenAI's envelope, including those routing answers with a status alone.</summary>
public sealed class ErrorEnvelopeTests
{
    [Fact]
    public async Task V1_UnknownPath_Is404InOpenAisEnvelope()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        using var response = await server.Http.GetAsync(HearsayRoutes.Api + "/audio/voices");

        var error = await ErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(ErrorCodes.UnknownUrl, error.Code);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Null(error.Param);
        Assert.Contains("GET /v1/audio/voices", error.Message, StringComparison.Ordinal);
        Assert.Contains(HearsayRoutes.OpenApi, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_MethodThePathDoesNotTake_Is405InOpenAisEnvelopeWithAllow()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        using var response = await server.Http.DeleteAsync(HearsayRoutes.Status);

        var error = await ErrorAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(ErrorCodes.MethodNotAllowed, error.Code);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
        Assert.Equal("/v1/status does not take DELETE; it takes GET.", error.Message);
    }

    [Fact]
    public async Task Speech_BodyThatIsNotJson_Is415InOpenAisEnvelopeNamingJson()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var body = new StringContent("""{"model":"tts-1","voice":"alloy","input":"Hello."}""", Encoding.UTF8, "text/plain");

        using var response = await server.Http.PostAsync(HearsayRoutes.Speech, body);

        var error = await ErrorAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(ErrorCodes.UnsupportedMediaType, error.Code);
        Assert.Contains("text/plain", error.Message, StringComparison.Ordinal);
        Assert.Contains("send application/json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speech_FfmpegFailsBeforeItsFirstByte_TellsTheClientInPlainWords()
    {
        using var folder = new TemporaryDirectory();
        var ffmpeg = FakeProgram.Create(folder, "ffmpeg", "cat > /dev/null\necho '[libmp3lame @ 0x55d5c9a0f840] Invalid sample rate' >&2\nexit 1");
        await using var server = await ServerUnderTest.StartAsync(configure: options => options with { FfmpegPath = ffmpeg });

        using var response = await server.Http.PostAsJsonAsync(
            HearsayRoutes.Speech, new { model = "tts-1", voice = "alloy", input = "Hello there.", response_format = "mp3" });

        var error = await ErrorAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal("ffmpeg could not encode mp3 (exit code 1). ffmpeg's own message is in Hearsay's log.", error.Message);
    }

    [Fact]
    public async Task OutsideV1_UnknownPath_StaysAPlain404()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        using var response = await server.Http.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<ErrorDetail> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize(body, HearsayJsonContext.Default.ErrorResponse)!.Error;
    }
}
