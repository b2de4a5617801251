using Hearsay.Core.Diagnostics;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearsay.Core.Models.Download;

/// <summary>
/// Installs catalog models into a <see cref="ModelStore"/>: under the model's cross-process lock, each file is
/// downloaded (resumably) to <c>*.partial</c>, checked against the catalog's size and hash, and renamed into place;
/// the manifest written last makes the model installed. Two processes pulling one model download it once: the second
/// waits for the lock and finds the model installed.
/// </summary>
public sealed class ModelDownloader(
    ModelStore store, HttpClient http, ModelDownloadOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
{
    private readonly ModelDownloadOptions _options = options ?? new ModelDownloadOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ModelDownloader>();

    /// <summary>
    /// An HTTP client for downloads: Hearsay's <c>User-Agent</c> (<see cref="HearsayVersion.UserAgent"/>), and no overall
    /// timeout, since a large model takes as long as it takes and the downloader detects stalls itself.
    /// </summary>
    public static HttpClient CreateHttpClient()
    {
        var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(HearsayVersion.UserAgent);
        return client;
    }

    /// <summary>
    /// Installs <paramref name="model"/> unless it already is. An installed copy that differs from
    /// <paramref name="model"/> (a newer catalog entry) is replaced only when <paramref name="replace"/> is set.
    /// Cancelling keeps the partial files, which the next call resumes.
    /// </summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InvalidInput"/> for a bundled model; <see cref="HearsayErrorCode.DownloadFailed"/>
    /// (a <see cref="ModelDownloadException"/> saying what kind of failure),
    /// <see cref="HearsayErrorCode.IntegrityCheckFailed"/>, <see cref="HearsayErrorCode.InsufficientStorage"/> or
    /// <see cref="HearsayErrorCode.StoreNotWritable"/>. In every case the model is left not installed (or as it was),
    /// and a model folder this call created is removed again when nothing arrived in it.
    /// </exception>
    public async Task<InstalledModel> InstallAsync(
        CatalogModel model, IProgress<ModelDownloadProgress>? progress = null, bool replace = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Bundled)
        {
            throw new HearsayException(HearsayErrorCode.InvalidInput, $"'{model.Id}' is built into Hearsay; there is nothing to download.");
        }

        var tracker = new ProgressTracker(model.Id, model.SizeBytes, progress, _time, _options.ProgressInterval);
        if (Current(model, replace, tracker) is { } installed)
        {
            return installed;
        }

        var held = await store.LockAsync(
            model.Id, () => tracker.Report(ModelDownloadPhase.WaitingForOtherDownload, null), cancellationToken).ConfigureAwait(false);
        await using var heldLock = held.ConfigureAwait(false);

        // Whoever held the lock may have installed it meanwhile.
        if (Current(model, replace, tracker) is { } installedMeanwhile)
        {
            return installedMeanwhile;
        }

        var folder = store.FolderOf(model.Id);
        var createdFolder = !Directory.Exists(folder);
        StoreErrors.Guard(folder, 0, () => Directory.CreateDirectory(folder));
        try
        {
            var remaining = store.RemainingBytes(model);
            EnsureRoom(folder, remaining);
            tracker.Start(model.SizeBytes - remaining);
            var download = new FileDownload(http, _options, tracker, _time, _logger);
            var verified = new List<CatalogFile>();
            foreach (var file in model.Files)
            {
                var final = Path.Combine(folder, file.Path);
                if (!await IsInPlaceAsync(final, file, tracker, cancellationToken).ConfigureAwait(false))
                {
                    await DownloadVerifiedAsync(download, file, final + ModelStore.PartialSuffix, tracker, cancellationToken).ConfigureAwait(false);
                    verified.Add(file);
                }
            }

            // Nothing is replaced until every file is verified.
            var result = store.Commit(model, verified, _time);
            tracker.Report(ModelDownloadPhase.Installed, null);
            return result;
        }
        catch (Exception e) when (DownloadFailures.Classify(e) is { } failure)
        {
            Log.InstallStopped(_logger, model.Id, failure, e.Message);
            if (createdFolder)
            {
                RemoveIfEmpty(folder);
            }

            throw;
        }
    }

    /// <summary>The installed copy when there is nothing to do (reported as complete), else null.</summary>
    private InstalledModel? Current(CatalogModel model, bool replace, ProgressTracker tracker)
    {
        if (store.FindInstalled(model.Id) is not { } installed || (replace && installed.DiffersFrom(model)))
        {
            return null;
        }

        tracker.Start(model.SizeBytes);
        tracker.Report(ModelDownloadPhase.Installed, null);
        return installed;
    }

    /// <summary>A file already at its final name (an install interrupted after renaming it) counts once it verifies.</summary>
    private static async Task<bool> IsInPlaceAsync(string final, CatalogFile file, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        if (ModelStore.LengthOf(final) != file.Size)
        {
            return false;
        }

        tracker.Report(ModelDownloadPhase.Verifying, file.Path);
        return await FileIntegrity.CheckAsync(final, file, cancellationToken).ConfigureAwait(false) is null;
    }

    /// <summary>Downloads and verifies; a corrupt result is deleted and fetched once more from scratch before giving up.</summary>
    private static async Task DownloadVerifiedAsync(
        FileDownload download, CatalogFile file, string partial, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await download.RunAsync(file, partial, cancellationToken).ConfigureAwait(false);
            tracker.Report(ModelDownloadPhase.Verifying, file.Path);
            var problem = await FileIntegrity.CheckAsync(partial, file, cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                return;
            }

            tracker.Rewind(ModelStore.LengthOf(partial));
            File.Delete(partial);
            if (attempt == 2)
            {
                throw new HearsayException(
                    HearsayErrorCode.IntegrityCheckFailed,
                    $"{file.Path} from {file.Url} is not the file the catalog describes: {problem}. It was downloaded twice and deleted; nothing was installed.");
            }
        }
    }

    /// <summary>
    /// A folder left empty by a failed first attempt would make a model look half there; one holding partial files
    /// stays, for the next attempt to resume. Best effort: the failure being reported matters more.
    /// </summary>
    private static void RemoveIfEmpty(string folder)
    {
        try
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left as it is: the next install uses it.
        }
    }

    private static void EnsureRoom(string folder, long needed)
    {
        long available;
        try
        {
            available = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Free space cannot be asked here; the writes themselves still report a full disk.
            return;
        }

        if (available < needed)
        {
            throw StoreErrors.DiskFull(folder, needed - available);
        }
    }
}
