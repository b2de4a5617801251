using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// espeak-ng and ffmpeg installed while the server runs are found without a restart: by the status, its event stream
/// and the requests that need them. Each program is a wrapper around the machine's own copy, put in place after start.
/// </summary>
public sealed class ToolDiscoveryTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Voice => TestPaths.RepoAsset("piper", "tiny-single.onnx");

    [Fact]
    public async Task Status_EspeakNgAndFfmpegInstalledWhileRunning_ShowsThemAndTextToSpeechLoads()
    {
        await using var server = await StartAsync(ffmpegPath: _folder.File("ffmpeg"));
        await server.WaitForStatusAsync(
            s => s.Tts.State == CapabilityState.Unavailable && s.Tools.All(tool => !tool.Found), "text-to-speech unavailable, both programs missing");

        var espeakNg = Install("espeak-ng");
        var ffmpeg = Install("ffmpeg");
        var status = await server.WaitForStatusAsync(
            s => s.Tts.State == CapabilityState.Ready && s.Tools.All(tool => tool.Version is not null), "text-to-speech ready, both programs' versions");
        using var mp3 = await SpeakAsync(server.Http, "mp3");

        Assert.Equal([espeakNg, ffmpeg], status.Tools.Select(tool => tool.Path));
        Assert.All(status.Tools, tool => Assert.Null(tool.Reason));
        Assert.Equal(HttpStatusCode.OK, mp3.StatusCode);
        Assert.Equal("audio/mpeg", mp3.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Speech_EspeakNgInstalledWhileRunning_IsServedWithoutAStatusCall()
    {
        await using var server = await StartAsync();
        await server.WaitForStatusAsync(s => s.Tts.State == CapabilityState.Unavailable, "text-to-speech unavailable");

        Install("espeak-ng");
        // Only requests from here: the first ones find it and start the load (503 loading), then the voice speaks.
        var answers = new List<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            await Task.Delay(200);
            using var response = await SpeakAsync(server.Http, "wav");
            last = response.StatusCode;
            answers.Add(last);
        }
        while (last != HttpStatusCode.OK && clock.Elapsed < Bound);

        Assert.True(last == HttpStatusCode.OK, $"No speech within {Bound.TotalSeconds:0} s: {string.Join(", ", answers)}");
    }

    [Fact]
    public async Task StatusEvents_EspeakNgInstalledWhileWatching_SendsItAndTextToSpeechReady()
    {
        await using var server = await StartAsync();
        await server.WaitForStatusAsync(s => s.Tts.State == CapabilityState.Unavailable, "text-to-speech unavailable");
        using var timeout = new CancellationTokenSource(Bound);
        using var stream = await server.Http.GetAsync(HearsayRoutes.StatusEvents, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var events = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));

        var first = await NextStatusAsync(events, timeout.Token);
        var espeakNg = Install("espeak-ng");
        HearsayStatus status;
        do
        {
            // A quiet stream looks again every few seconds; no other request is made meanwhile.
            status = await NextStatusAsync(events, timeout.Token);
        }
        while (status.Tts.State != CapabilityState.Ready || status.Tools[0].Version is null);

        Assert.Equal(CapabilityState.Unavailable, first.Tts.State);
        Assert.Equal(espeakNg, status.Tools[0].Path);
    }

    [Fact]
    public async Task Serve_EspeakNgPutOnPathWhileRunning_TextToSpeechLoads()
    {
        var bin = Directory.CreateDirectory(_folder.File("bin")).FullName;
        // The native program is asked for: the portable phonemizer beside hearsay would otherwise be found at once.
        using var sidecar = await SidecarProcess.StartAsync(
            ["--stt", "none", "--tts", Voice, "--phonemizer", "native"], new Dictionary<string, string?> { ["PATH"] = bin, ["HEARSAY_ESPEAK_NG"] = null });
        using var client = sidecar.Client();
        Assert.Equal(CapabilityState.Unavailable, (await StatusAsync(client)).Tts.State);

        Install(Path.Combine("bin", "espeak-ng"));
        var clock = Stopwatch.StartNew();
        HearsayStatus status;
        while ((status = await StatusAsync(client)).Tts.State != CapabilityState.Ready && clock.Elapsed < Bound)
        {
            await Task.Delay(200);
        }

        Assert.Equal(CapabilityState.Ready, status.Tts.State);
        Assert.Equal(Path.Combine(bin, "espeak-ng"), status.Tools[0].Path);
    }

    private Task<ServerUnderTest> StartAsync(string? ffmpegPath = null) => ServerUnderTest.StartAsync(
        install: false,
        configure: o => o with { SttModel = "none", TtsVoice = Voice, EspeakNgPath = _folder.File("espeak-ng"), FfmpegPath = ffmpegPath ?? o.FfmpegPath });

    /// <summary>Puts a program in place: a script that runs the machine's own copy.</summary>
    private string Install(string name)
    {
        var program = Path.GetFileName(name);
        var real = TestPaths.Program(program, $"Install it: apt-get install {program}.");
        return FakeProgram.Create(_folder, name, $"exec '{real}' \"$@\"");
    }

    private static Task<HttpResponseMessage> SpeakAsync(HttpClient http, string format) =>
        http.PostAsJsonAsync(HearsayRoutes.Speech, new { model = "tts-1", voice = "alloy", input = "Hello there.", response_format = format });

    private static async Task<HearsayStatus> StatusAsync(HttpClient client) =>
        JsonSerializer.Deserialize(await client.GetStringAsync(HearsayRoutes.Status), HearsayJsonContext.Default.HearsayStatus)!;

    /// <summary>The next <c>status</c> event of a server-sent event stream; keep-alives are skipped.</summary>
    private static async Task<HearsayStatus> NextStatusAsync(StreamReader events, CancellationToken cancellationToken)
    {
        var isStatus = false;
        while (await events.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                isStatus = line == "event: status";
            }
            else if (isStatus && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonSerializer.Deserialize(line["data: ".Length..], HearsayJsonContext.Default.HearsayStatus)!;
            }
        }

        throw new EndOfStreamException("The status stream ended.");
    }
}
