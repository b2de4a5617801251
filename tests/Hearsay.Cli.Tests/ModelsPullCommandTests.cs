using Hearsay.Cli.Commands.Models;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Download;
using Hearsay.Core.Models.Store;
using Hearsay.Testing;

namespace Hearsay.Cli.Tests;

/// <summary><c>models pull</c> on a machine that cannot reach the download server, with a short retry schedule.</summary>
public sealed class ModelsPullCommandTests : IDisposable
{
    private static readonly ModelDownloadOptions ShortRetries = new()
    {
        MaxAttempts = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
    };

    private readonly TemporaryDirectory _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _temp.Dispose();
        _out.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task Pull_ServerRefusesConnections_ShowsEachAttemptThenOneLineSuggestingAMirrorOrImport()
    {
        var store = new ModelStore(_temp.File("store"));
        var model = VoiceOnAClosedPort();
        using var http = ModelDownloader.CreateHttpClient();
        var downloader = new ModelDownloader(store, http, ShortRetries);
        var console = new CliConsole(() => Stream.Null, () => Stream.Null, _out, _error);

        var exitCode = await CommandRunner.RunAsync(console, () => ModelsPullCommand.PullAsync([model], downloader, replace: false, console, CancellationToken.None), CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Empty(_out.ToString());
        var lines = _error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "test-voice: 0% (0 B / 1.0 kB), attempt 1 of 3 failed (could not reach the download server); trying again in a moment",
                "test-voice: 0% (0 B / 1.0 kB), attempt 2 of 3 failed (could not reach the download server); trying again in a moment",
            ],
            lines[..^1]);
        var failure = lines[^1];
        Assert.StartsWith("hearsay: test-voice: Hearsay could not reach the download server: this computer may be offline", failure, StringComparison.Ordinal);
        Assert.Contains("HEARSAY_MODEL_MIRROR", failure, StringComparison.Ordinal);
        Assert.Contains("'hearsay models export test-voice FILE.tar' there, 'hearsay models import FILE.tar' here", failure, StringComparison.Ordinal);
        // The URL and the system's error are for --verbose, not for this line.
        Assert.DoesNotContain(model.Files[0].Url.Authority, failure, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store.FolderOf(model.Id)), "the failed pull left an empty model folder");
    }

    /// <summary>A one-file voice whose URL is a loopback port nothing listens on.</summary>
    private static CatalogModel VoiceOnAClosedPort()
    {
        var file = new CatalogFile("voice.onnx", ClosedPort.Url("voice.onnx"), 1000, new string('0', 64));
        return new CatalogModel("test-voice", ModelKind.Tts, "piper", ["en"], [file]);
    }
}
