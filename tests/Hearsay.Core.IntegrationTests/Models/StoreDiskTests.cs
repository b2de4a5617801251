using Hearsay.Core.Models.Store;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Models;

/// <summary>The store on real small file systems: full, filling up mid-download, read-only.</summary>
public class StoreDiskTests
{
    [Fact]
    public async Task Install_DiskTooSmall_FailsBeforeDownloadingWithInsufficientStorage()
    {
        await using var scenario = await DownloadScenario.StartAsync(3 << 20);
        using var disk = await TmpfsMount.MountAsync(scenario.Folder.Path, 1 << 20);
        var store = new ModelStore(disk.Path);

        var error = await Assert.ThrowsAsync<HearsayException>(() => new Hearsay.Core.Models.Download.ModelDownloader(store, scenario.Http, DownloadScenario.FastRetries).InstallAsync(scenario.Model));

        Assert.Equal(HearsayErrorCode.InsufficientStorage, error.Code);
        Assert.Contains("--models-dir", error.Message, StringComparison.Ordinal);
        Assert.Empty(scenario.Server.RequestLog);
        Assert.Null(store.FindInstalled(scenario.Model.Id));
    }

    [Fact]
    public async Task Install_DiskFillsUpMidDownload_FailsWithInsufficientStorageAndInstallsNothing()
    {
        await using var scenario = await DownloadScenario.StartAsync(2 << 20);
        using var disk = await TmpfsMount.MountAsync(scenario.Folder.Path, 4 << 20);
        var store = new ModelStore(disk.Path);
        var path = DownloadScenario.PathOf("part0.bin");
        scenario.Server.Throttle(path, 2_000_000);
        var filled = false;
        var progress = new SynchronousProgress<Hearsay.Core.Models.Download.ModelDownloadProgress>(report =>
        {
            if (!filled && report.BytesDone > 300_000)
            {
                // Another program takes the space the pre-check saw.
                filled = true;
                var filler = new byte[64 * 1024];
                using var stream = File.Create(Path.Combine(disk.Path, "filler"));
                try
                {
                    while (true)
                    {
                        stream.Write(filler);
                    }
                }
                catch (IOException)
                {
                    // Full.
                }
            }
        });

        var error = await Assert.ThrowsAsync<HearsayException>(() =>
            new Hearsay.Core.Models.Download.ModelDownloader(store, scenario.Http, DownloadScenario.FastRetries).InstallAsync(scenario.Model, progress));

        Assert.Equal(HearsayErrorCode.InsufficientStorage, error.Code);
        Assert.Null(store.FindInstalled(scenario.Model.Id));
        Assert.False(File.Exists(Path.Combine(store.FolderOf(scenario.Model.Id), "part0.bin")));
    }

    [Fact]
    public async Task Install_ReadOnlyStore_IsStoreNotWritable()
    {
        await using var scenario = await DownloadScenario.StartAsync(1000);
        using var disk = await TmpfsMount.MountAsync(scenario.Folder.Path, 1 << 20, readOnly: true);
        var store = new ModelStore(Path.Combine(disk.Path, "models"));

        var error = await Assert.ThrowsAsync<HearsayException>(() =>
            new Hearsay.Core.Models.Download.ModelDownloader(store, scenario.Http, DownloadScenario.FastRetries).InstallAsync(scenario.Model));

        Assert.Equal(HearsayErrorCode.StoreNotWritable, error.Code);
        Assert.Contains("--models-dir", error.Message, StringComparison.Ordinal);
    }
}
