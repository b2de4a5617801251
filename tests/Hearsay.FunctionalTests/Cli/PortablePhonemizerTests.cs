using System.Net.Http.Json;
using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.FunctionalTests.Server;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Cli;

/// <summary>
/// Nothing installed: the CLI and the sidecar speak with no espeak-ng on PATH (proven), through the portable
/// phonemizer the build puts beside hearsay (ADR 0010).
/// </summary>
public sealed class PortablePhonemizerTests : IDisposable
{
    private const string Text = "Hello world. This is a tiny voice, speaking!";
    private readonly TemporaryDirectory _folder = new();
    private readonly Dictionary<string, string?> _nothingInstalled;

    public PortablePhonemizerTests()
    {
        var bin = Directory.CreateDirectory(_folder.File("bin")).FullName;
        _nothingInstalled = new() { ["PATH"] = bin, ["HEARSAY_ESPEAK_NG"] = null };
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Speak_NoEspeakNgOnPath_SpeaksTheSameSamplesAsTheNativeProgram()
    {
        AssertPathHoldsNoEspeakNg();
        var portable = _folder.File("portable.wav");
        var native = _folder.File("native.wav");

        var withNothing = await HearsayCli.RunAsync(Speak(portable), environment: _nothingInstalled);
        var withNative = await HearsayCli.RunAsync([.. Speak(native), "--phonemizer", "native"]);

        Assert.Equal(0, withNothing.ExitCode);
        Assert.Equal(0, withNative.ExitCode);
        Assert.Equal(await File.ReadAllBytesAsync(native), await File.ReadAllBytesAsync(portable));
    }

    [Fact]
    public async Task Phonemes_PortableForced_SameAsNative()
    {
        string[] phonemes = ["phonemes", "Naïve café! Grüße? 12:30 p.m., 3.5 km.", "--voice", PiperExpectations.SingleSpeakerVoice, "--json"];

        var portable = await HearsayCli.RunAsync([.. phonemes, "--phonemizer", "portable"], environment: _nothingInstalled);
        var native = await HearsayCli.RunAsync([.. phonemes, "--phonemizer", "native"]);

        Assert.Equal(0, portable.ExitCode);
        Assert.Equal(native.StdoutText, portable.StdoutText);
        Assert.Contains("naɪˈiːv kæfˈeɪ!", portable.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_NoEspeakNgOnPath_ReportsThePortablePhonemizerAndItsVersion()
    {
        AssertPathHoldsNoEspeakNg();

        var result = await HearsayCli.RunAsync(
            ["doctor", "--stt", "none", "--tts", PiperExpectations.SingleSpeakerVoice], environment: _nothingInstalled);

        Assert.Matches(@"espeak-ng +ok +1\.51 \(portable\) at .*espeak-ng-portable/espeak-ng\.wasm \(bundled beside hearsay\)", result.StdoutText);
    }

    [Fact]
    public async Task Serve_NoEspeakNgOnPath_StatusNamesThePortablePhonemizerAndSpeechWorks()
    {
        AssertPathHoldsNoEspeakNg();
        using var sidecar = await SidecarProcess.StartAsync(
            ["--stt", "none", "--tts", PiperExpectations.SingleSpeakerVoice], _nothingInstalled);
        using var client = sidecar.Client();

        HearsayStatus status;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((status = await StatusAsync(client)).Tts.State != CapabilityState.Ready && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }

        using var speech = await client.PostAsJsonAsync(
            HearsayRoutes.Speech, new { model = "tts-1", voice = "alloy", input = Text, response_format = "wav" });

        Assert.Equal(CapabilityState.Ready, status.Tts.State);
        var espeakNg = status.Tools.Single(tool => tool.Name == "espeak-ng");
        Assert.EndsWith(Path.Combine("espeak-ng-portable", "espeak-ng.wasm"), espeakNg.Path, StringComparison.Ordinal);
        Assert.Equal("1.51 (portable)", espeakNg.Version);
        Assert.True(speech.IsSuccessStatusCode, $"speech answered {speech.StatusCode}");
        Assert.True((await speech.Content.ReadAsByteArrayAsync()).Length > 10_000);
    }

    private static string[] Speak(string output) =>
        ["speak", Text, "--voice", PiperExpectations.SingleSpeakerVoice, "-o", output, "--noise-scale", "0", "--noise-w", "0"];

    /// <summary>Fails unless no folder of the tests' PATH has an espeak-ng.</summary>
    private void AssertPathHoldsNoEspeakNg()
    {
        var folders = _nothingInstalled["PATH"]!.Split(Path.PathSeparator);
        Assert.All(folders, folder => Assert.Empty(Directory.GetFiles(folder, "espeak-ng*")));
    }

    private static async Task<HearsayStatus> StatusAsync(HttpClient client) =>
        JsonSerializer.Deserialize(await client.GetStringAsync(HearsayRoutes.Status), HearsayJsonContext.Default.HearsayStatus)!;
}
