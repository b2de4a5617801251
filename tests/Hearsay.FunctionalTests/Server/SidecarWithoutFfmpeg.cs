using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Status;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// A real <c>hearsay serve</c> process on a machine without ffmpeg, as most Windows and macOS machines are: its PATH is
/// an empty folder, <c>HEARSAY_FFMPEG</c> is unset, and the CLI's own folder holds no ffmpeg.
/// <see cref="AssertFfmpegAbsentAsync"/> proves all three, and that the server itself found none. It serves the tiny
/// Whisper test model, shared by a test class.
/// </summary>
public sealed class SidecarWithoutFfmpeg : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory _folder = new();
    private SidecarProcess? _sidecar;

    internal SidecarProcess Sidecar => _sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    private string PathFolder => _folder.File("bin");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(PathFolder);
        _sidecar = await SidecarProcess.StartAsync(
            ["--stt", WhisperExpectations.ModelDirectory("tiny-en"), "--tts", "none"],
            new Dictionary<string, string?>
            {
                ["PATH"] = PathFolder,
                ["HEARSAY_FFMPEG"] = null,
                ["HEARSAY_MODELS_DIR"] = _folder.File("models"),
            });
        using var client = Sidecar.Client();
        await Poll.UntilAsync(async () => (await StatusAsync(client)).Stt.State == CapabilityState.Ready, TimeSpan.FromSeconds(60), "speech-to-text ready");
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops the sidecar and removes its folder; xUnit calls this and <see cref="DisposeAsync"/> both.</summary>
    public void Dispose()
    {
        if (_sidecar is null)
        {
            return;
        }

        _sidecar.Dispose();
        _sidecar = null;
        _folder.Dispose();
    }

    /// <summary>Fails unless no ffmpeg is on the sidecar's PATH or beside the CLI, and the server reports none found.</summary>
    public async Task AssertFfmpegAbsentAsync()
    {
        Assert.Empty(Directory.GetFiles(PathFolder));
        var cliFolder = Path.GetDirectoryName(HearsayCli.CommandLine([])[1])!;
        Assert.Empty(Directory.GetFiles(cliFolder, "ffmpeg*"));
        using var client = Sidecar.Client();
        var ffmpeg = (await StatusAsync(client)).Tools.Single(tool => tool.Name == "ffmpeg");
        Assert.False(ffmpeg.Found, $"the server found ffmpeg at {ffmpeg.Path}");
    }

    private static async Task<HearsayStatus> StatusAsync(HttpClient client) =>
        JsonSerializer.Deserialize(await client.GetStringAsync(HearsayRoutes.Status), HearsayJsonContext.Default.HearsayStatus)!;
}
