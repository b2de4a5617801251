using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Errors;

namespace Hearsay.FunctionalTests.Server;

/// <summary>DESIGN decision 6 from a client's side: token, Host, CORS and size limits.</summary>
public class SecurityTests
{
    private const string ListedOrigin = "http://localhost:5173";

    [Fact]
    public async Task V1_WithoutOrWithTheWrongToken_Is401InOpenAisEnvelope()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var anonymous = server.Client(token: null);
        using var wrong = server.Client(token: "not-the-token-of-this-server");

        var missing = await anonymous.GetAsync(HearsayRoutes.Models);
        var mistaken = await wrong.GetAsync(HearsayRoutes.Status);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(ErrorCodes.InvalidApiKey, (await ErrorOf(missing)).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, mistaken.StatusCode);
        Assert.Equal("authentication_error", (await ErrorOf(mistaken)).Type);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(HearsayRoutes.Models)).StatusCode);
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:8080")]
    [InlineData("127.0.0.1.attacker.example")]
    public async Task AnyRoute_ForeignHostHeader_IsRefused(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, HearsayRoutes.Live);
        request.Headers.Host = host;

        var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("loopback", (await ErrorOf(response)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:1234")]
    public async Task AnyRoute_LoopbackHostHeader_IsServed(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, HearsayRoutes.Live);
        request.Headers.Host = host;

        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task AnyRoute_AnyHostAllowed_ServesForeignHostsButStillNeedsTheToken()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false, configure: options => options with { AllowedHosts = ["*"] });
        using var probe = new HttpRequestMessage(HttpMethod.Get, HearsayRoutes.Live);
        probe.Headers.Host = "10.1.2.3:8080";
        using var anonymous = server.Client(token: null);
        using var call = new HttpRequestMessage(HttpMethod.Get, HearsayRoutes.Models);
        call.Headers.Host = "hearsay.voice.svc.cluster.local";

        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(probe)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(call)).StatusCode);
    }

    [Fact]
    public async Task Preflight_FromAListedOrigin_IsAllowedAndFromAnyOtherIsNot()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false, configure: options => options with { CorsOrigins = [ListedOrigin] });

        var listed = await server.Http.SendAsync(Preflight(ListedOrigin));
        var unlisted = await server.Http.SendAsync(Preflight("http://evil.example"));

        Assert.Equal(ListedOrigin, listed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", listed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(unlisted.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_WithoutConfiguredOrigins_GetsNoCorsHeaders()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        var response = await server.Http.SendAsync(Preflight(ListedOrigin));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Transcription_30MiBUpload_Is413WithTheDefaultLimit()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(new byte[30 << 20]), "file", "big.wav" },
            { new StringContent("whisper-1"), "model" },
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, HearsayRoutes.Transcriptions) { Content = form };
        // As curl does for large uploads: the server's early 413 then arrives before the body is sent.
        request.Headers.ExpectContinue = true;

        var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal(ErrorCodes.RequestTooLarge, error.Code);
        Assert.Contains("25 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speech_10000CharacterInput_Is400NamingTheLimit()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        var response = await server.Http.PostAsJsonAsync(HearsayRoutes.Speech, new { model = "tts-1", voice = "alloy", input = new string('a', 10_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal(ErrorCodes.InputTooLong, error.Code);
        Assert.Equal("input", error.Param);
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..%2F..%2Fetc")]
    public async Task Speech_ModelIdWithAPath_Is400(string model)
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        var response = await server.Http.PostAsJsonAsync(HearsayRoutes.Speech, new { model = Uri.UnescapeDataString(model), voice = "alloy", input = "Hello." });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("model", (await ErrorOf(response)).Param);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, HearsayRoutes.Speech);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static async Task<ErrorDetail> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), HearsayJsonContext.Default.ErrorResponse)!.Error;
    }
}
