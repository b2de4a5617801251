using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Download;
using Hearsay.Core.Models.Store;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Models;

public class ModelDownloaderTests
{
    private const int Big = 3 << 20;

    [Fact]
    public async Task Install_WellBehavedServer_InstallsEveryFileVerifiedWithProgressToTheEnd()
    {
        await using var scenario = await DownloadScenario.StartAsync(Big, 1000);
        var reports = new List<ModelDownloadProgress>();

        var installed = await scenario.Downloader().InstallAsync(scenario.Model, new SynchronousProgress<ModelDownloadProgress>(reports.Add));

        scenario.AssertInstalledExactly();
        Assert.Equal(scenario.Store.FolderOf(scenario.Model.Id), installed.Folder);
        Assert.True(File.Exists(Path.Combine(installed.Folder, ".hearsay-model.json")));
        Assert.Equal(ModelDownloadPhase.Installed, reports[^1].Phase);
        Assert.Equal(scenario.Model.SizeBytes, reports[^1].BytesDone);
        Assert.Contains(reports, report => report.Phase == ModelDownloadPhase.Downloading && report.BytesDone < report.BytesTotal);
        Assert.Contains(reports, report => report.Phase == ModelDownloadPhase.Verifying);
        Assert.True(reports.Zip(reports.Skip(1)).All(pair => pair.Second.BytesDone >= pair.First.BytesDone), "progress went backwards");
    }

    [Fact]
    public async Task Install_AlreadyInstalled_MakesNoRequest()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        await scenario.Downloader().InstallAsync(scenario.Model);
        var requests = scenario.Server.RequestLog.Count;

        await scenario.Downloader().InstallAsync(scenario.Model);

        Assert.Equal(requests, scenario.Server.RequestLog.Count);
    }

    [Fact]
    public async Task Install_ConnectionCutMidFile_ResumesWithRangeAndInstallsTheRightBytes()
    {
        await using var scenario = await DownloadScenario.StartAsync(Big);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.DropAfter(path, 1_000_000, times: 2);

        await scenario.Downloader().InstallAsync(scenario.Model);

        scenario.AssertInstalledExactly();
        var ranges = scenario.Server.RangeHeaders(path);
        Assert.Equal(3, ranges.Count);
        Assert.Null(ranges[0]);
        Assert.Equal("bytes=1000000-", ranges[1]);
        Assert.Equal("bytes=2000000-", ranges[2]);
        Assert.Equal(Big, scenario.Server.BytesSent(path));
    }

    [Fact]
    public async Task Install_ServerIgnoresRange_StartsTheFileAgainAndInstallsTheRightBytes()
    {
        await using var scenario = await DownloadScenario.StartAsync(Big);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.DropAfter(path, 1_000_000);
        scenario.Server.IgnoreRange(path);

        await scenario.Downloader().InstallAsync(scenario.Model);

        scenario.AssertInstalledExactly();
        Assert.Equal(2, scenario.Server.GetRequestCount(path));
    }

    [Fact]
    public async Task Install_WrongByte_IsNeverInstalledAndSaysWhichFile()
    {
        await using var scenario = await DownloadScenario.StartAsync(Big);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.CorruptByte(path, 123_456);

        var error = await Assert.ThrowsAsync<HearsayException>(() => scenario.Downloader().InstallAsync(scenario.Model));

        Assert.Equal(HearsayErrorCode.IntegrityCheckFailed, error.Code);
        Assert.Contains("part0.bin", error.Message, StringComparison.Ordinal);
        Assert.Null(scenario.Store.FindInstalled(scenario.Model.Id));
        var folder = scenario.Store.FolderOf(scenario.Model.Id);
        Assert.False(File.Exists(Path.Combine(folder, "part0.bin")));
        Assert.False(File.Exists(Path.Combine(folder, "part0.bin" + ModelStore.PartialSuffix)));
        // Fetched once more from scratch before giving up, in case the corruption was in transit.
        Assert.Equal(2, scenario.Server.GetRequestCount(path));
    }

    [Fact]
    public async Task Install_TransientErrors_AreRetriedWithRetryAfterThenSucceed()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.FailWith(path, 500, times: 2);
        scenario.Server.FailWith(DownloadScenario.PathOf("tokens.txt"), 429, times: 1, retryAfter: TimeSpan.Zero);

        await scenario.Downloader().InstallAsync(scenario.Model);

        scenario.AssertInstalledExactly();
        Assert.Equal(3, scenario.Server.GetRequestCount(path));
    }

    [Fact]
    public async Task Install_ServerKeepsFailing_GivesUpAfterTheLimitKeepingNothingInstalled()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.FailWith(path, 503, times: 100);

        var error = await Assert.ThrowsAnyAsync<HearsayException>(() => scenario.Downloader().InstallAsync(scenario.Model));

        Assert.Equal(HearsayErrorCode.DownloadFailed, error.Code);
        Assert.Equal(DownloadFailure.ServerError, DownloadFailures.Classify(error));
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Equal(DownloadScenario.FastRetries.MaxAttempts, scenario.Server.GetRequestCount(path));
        Assert.Null(scenario.Store.FindInstalled(scenario.Model.Id));
    }

    [Fact]
    public async Task Install_NotFound_FailsAtOnce()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.FailWith(path, 404, times: 100);

        var error = await Assert.ThrowsAnyAsync<HearsayException>(() => scenario.Downloader().InstallAsync(scenario.Model));

        Assert.Equal(HearsayErrorCode.DownloadFailed, error.Code);
        Assert.Equal(DownloadFailure.NotFound, DownloadFailures.Classify(error));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, scenario.Server.GetRequestCount(path));
    }

    [Fact]
    public async Task Install_ServerRefusesConnections_LeavesNoEmptyModelFolder()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);

        var error = await Assert.ThrowsAnyAsync<HearsayException>(() => scenario.Downloader().InstallAsync(OnAClosedPort(scenario.Model)));

        Assert.Equal(HearsayErrorCode.DownloadFailed, error.Code);
        Assert.False(Directory.Exists(scenario.Store.FolderOf(scenario.Model.Id)), "a failed first download left an empty model folder");
    }

    [Fact]
    public async Task Install_ServerRefusesConnections_ReportsEachAttemptAndItsWaitThenFailsAsNoConnection()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        var offline = OnAClosedPort(scenario.Model);
        var reports = new List<ModelDownloadProgress>();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => scenario.Downloader().InstallAsync(offline, new SynchronousProgress<ModelDownloadProgress>(reports.Add)));

        Assert.Equal(DownloadFailure.NoConnection, error.Failure);
        Assert.Equal(DownloadFailure.NoConnection, DownloadFailures.Classify(error));
        var retries = reports.Where(report => report.Phase == ModelDownloadPhase.Retrying).Select(report => report.Retry!).ToList();
        Assert.Equal([1, 2, 3, 4, 5], retries.Select(retry => retry.FailedAttempts));
        Assert.All(retries, retry => Assert.Equal((6, DownloadFailure.NoConnection), (retry.MaxAttempts, retry.Failure)));
        // FastRetries: 10 ms doubling, at most 50 ms.
        Assert.Equal([10, 20, 40, 50, 50], retries.Select(retry => retry.Wait.TotalMilliseconds));
        Assert.All(retries, retry => Assert.Contains(offline.Files[0].Url.Authority, retry.Detail, StringComparison.Ordinal));
        Assert.Equal("attempt 2 of 6 failed (could not reach the download server); trying again in a moment", DownloadFailures.Describe(retries[1]));
        Assert.False(Directory.Exists(scenario.Store.FolderOf(offline.Id)));
    }

    [Fact]
    public async Task Install_FromAFolderMirrorWithoutTheFile_FailsAtOnceAsNotFound()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        var mirror = scenario.Folder.File("empty-mirror");
        Directory.CreateDirectory(mirror);
        var local = scenario.Model with
        {
            Files = [.. scenario.Model.Files.Select(file => file with { Url = new Uri(Path.Combine(mirror, file.Path)) })],
        };
        var reports = new List<ModelDownloadProgress>();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => scenario.Downloader().InstallAsync(local, new SynchronousProgress<ModelDownloadProgress>(reports.Add)));

        Assert.Equal(DownloadFailure.NotFound, error.Failure);
        Assert.DoesNotContain(reports, report => report.Phase == ModelDownloadPhase.Retrying);
    }

    [Fact]
    public async Task CreateHttpClient_Downloads_SayTheyAreHearsay()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        using var http = ModelDownloader.CreateHttpClient();

        await new ModelDownloader(scenario.Store, http, DownloadScenario.FastRetries).InstallAsync(scenario.Model);

        Assert.NotEmpty(scenario.Server.RequestLog);
        Assert.All(scenario.Server.RequestLog, request => Assert.Equal($"Hearsay/{HearsayVersion.Release}", request.UserAgent));
    }

    [Fact]
    public async Task Install_StalledConnection_IsDroppedAndResumed()
    {
        await using var scenario = await DownloadScenario.StartAsync(Big);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.Stall(path, 500_000, TimeSpan.FromSeconds(60));

        await scenario.Downloader(DownloadScenario.FastRetries with { StallTimeout = TimeSpan.FromSeconds(2) }).InstallAsync(scenario.Model);

        scenario.AssertInstalledExactly();
        Assert.Equal(2, scenario.Server.GetRequestCount(path));
        Assert.StartsWith("bytes=", scenario.Server.RangeHeaders(path)[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_Cancelled_LeavesAPartialThatTheNextInstallResumes()
    {
        await using var scenario = await DownloadScenario.StartAsync(Big);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.Throttle(path, 2_000_000);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<ModelDownloadProgress>(report =>
        {
            if (report.BytesDone > 500_000)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scenario.Downloader().InstallAsync(scenario.Model, progress, cancellationToken: cancel.Token));

        var partial = Path.Combine(scenario.Store.FolderOf(scenario.Model.Id), "part0.bin" + ModelStore.PartialSuffix);
        var kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, Big - 1);
        Assert.Null(scenario.Store.FindInstalled(scenario.Model.Id));
        scenario.Server.ClearFaults(path);

        await scenario.Downloader().InstallAsync(scenario.Model);

        scenario.AssertInstalledExactly();
        Assert.Equal($"bytes={kept}-", scenario.Server.RangeHeaders(path)[^1]);
    }

    [Fact]
    public async Task Install_TwoAtOnce_DownloadsOnceAndBothGetTheModel()
    {
        await using var scenario = await DownloadScenario.StartAsync(Big);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.Throttle(path, 6_000_000);
        var waited = new List<ModelDownloadProgress>();

        var first = scenario.Downloader().InstallAsync(scenario.Model);
        await Poll.UntilAsync(() => scenario.Server.BytesSent(path) > 0, TimeSpan.FromSeconds(10), "the first download to start");
        var second = scenario.Downloader().InstallAsync(scenario.Model, new SynchronousProgress<ModelDownloadProgress>(waited.Add));
        var results = await Task.WhenAll(first, second);

        scenario.AssertInstalledExactly();
        Assert.Equal(results[0].Folder, results[1].Folder);
        Assert.Equal(1, scenario.Server.GetRequestCount(path));
        Assert.Contains(waited, report => report.Phase == ModelDownloadPhase.WaitingForOtherDownload);
    }

    [Fact]
    public async Task Install_ChangedCatalogEntry_ReplacesOnlyWhenAsked()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        await scenario.Downloader().InstallAsync(scenario.Model);
        var newBytes = new byte[2000];
        new Random(7).NextBytes(newBytes);
        scenario.Server.Serve("/v2/part0.bin", newBytes);
        var updated = scenario.Model with
        {
            Files = [.. scenario.Model.Files.Select(file => file.Path == "part0.bin"
                ? file with { Url = scenario.Server.Url("/v2/part0.bin"), Size = newBytes.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(newBytes)) }
                : file)],
        };

        var kept = await scenario.Downloader().InstallAsync(updated);
        Assert.True(kept.DiffersFrom(updated));
        var replaced = await scenario.Downloader().InstallAsync(updated, replace: true);

        Assert.False(replaced.DiffersFrom(updated));
        Assert.Equal(newBytes, await File.ReadAllBytesAsync(replaced.PathOf("part0.bin")));
        Assert.Equal(1, scenario.Server.GetRequestCount(DownloadScenario.PathOf("tokens.txt")));
    }

    [Fact]
    public async Task Install_FromAFolderMirror_CopiesAndVerifies()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        var mirror = scenario.Folder.File("mirror");
        Directory.CreateDirectory(mirror);
        foreach (var (name, bytes) in scenario.Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(mirror, name), bytes);
        }

        var local = scenario.Model with
        {
            Files = [.. scenario.Model.Files.Select(file => file with { Url = new Uri(Path.Combine(mirror, file.Path)) })],
        };

        await scenario.Downloader().InstallAsync(local);

        scenario.AssertInstalledExactly();
        Assert.Empty(scenario.Server.RequestLog);
    }

    /// <summary><paramref name="model"/> with every URL on a loopback port nothing listens on.</summary>
    private static CatalogModel OnAClosedPort(CatalogModel model)
    {
        var refused = ClosedPort.Url("/files/");
        return model with { Files = [.. model.Files.Select(file => file with { Url = new Uri(refused, file.Path) })] };
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, so assertions see every report in order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
