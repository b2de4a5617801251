using System.Net;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

public class StatusAndHealthTests
{
    [Fact]
    public async Task Start_WithInstalledModels_PrintsTheReadyLineAndBecomesReady()
    {
        await using var server = await ServerUnderTest.StartAsync();

        Assert.Equal("ready", server.Ready.Event);
        Assert.StartsWith("http://127.0.0.1:", server.Ready.Url, StringComparison.Ordinal);
        Assert.True(server.Ready.Token.Length >= 32);
        var status = await server.StatusAsync();
        Assert.Equal(ModelRegistry.Whisper, status.Stt.Model);
        Assert.Equal(CapabilityState.Ready, status.Tts.State);
        using var anonymous = server.Client(token: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(HearsayRoutes.Live)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(HearsayRoutes.Ready + "?require=stt,tts")).StatusCode);
    }

    [Fact]
    public async Task Start_WithoutModels_SaysNotInstalledAndIsNotReady()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);

        var status = await server.WaitForStatusAsync(s => s.Stt.State == CapabilityState.NotInstalled && s.Tts.State == CapabilityState.NotInstalled, "not_installed");

        Assert.Contains($"hearsay models pull {ModelRegistry.Whisper}", status.Stt.Reason, StringComparison.Ordinal);
        Assert.True(status.Stt.SizeBytes > 0);
        using var anonymous = server.Client(token: null);
        var ready = await anonymous.GetAsync(HearsayRoutes.Ready + "?require=tts");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("not_installed", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync(HearsayRoutes.Ready + "?require=video")).StatusCode);
    }

    [Fact]
    public async Task Start_WithACapabilityTurnedOff_ReportsItDisabledAndReadinessIgnoresIt()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false, configure: options => options with { SttModel = "none", TtsVoice = "none" });

        var status = await server.StatusAsync();

        Assert.Equal(CapabilityState.Disabled, status.Stt.State);
        Assert.Equal(CapabilityState.Disabled, status.Tts.State);
        using var anonymous = server.Client(token: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(HearsayRoutes.Ready)).StatusCode);
    }

    [Fact]
    public async Task Status_WithEspeakNgAndFfmpegInstalled_ListsWhereTheyAreAndTheirVersions()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false, configure: options => options with { SttModel = "none", TtsVoice = "none" });

        var status = await server.WaitForStatusAsync(s => s.Tools.All(tool => tool.Version is not null), "both programs' versions");

        Assert.Equal(["espeak-ng", "ffmpeg"], status.Tools.Select(tool => tool.Name));
        Assert.All(status.Tools, tool =>
        {
            Assert.True(tool.Found);
            Assert.Null(tool.Reason);
            Assert.True(File.Exists(tool.Path), $"{tool.Name} is said to be at {tool.Path}");
            Assert.Matches(@"^\d+\.\d+", tool.Version);
            Assert.False(string.IsNullOrWhiteSpace(tool.UsedFor));
        });
    }

    [Fact]
    public async Task Status_WithEspeakNgAndFfmpegMissing_SaysWhatEachDisablesAndTtsIsUnavailable()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "hearsay-no-such-program-" + Guid.NewGuid().ToString("N"));
        await using var server = await ServerUnderTest.StartAsync(
            install: false, configure: options => options with { SttModel = "none", EspeakNgPath = nowhere, FfmpegPath = nowhere });

        var status = await server.WaitForStatusAsync(s => s.Tts.State == CapabilityState.Unavailable, "tts unavailable");

        Assert.All(status.Tools, tool =>
        {
            Assert.False(tool.Found);
            Assert.Null(tool.Path);
            Assert.Null(tool.Version);
            Assert.Contains(nowhere, tool.Reason, StringComparison.Ordinal);
        });
        Assert.Contains("espeak-ng", status.Tts.Reason, StringComparison.Ordinal);
    }
}
