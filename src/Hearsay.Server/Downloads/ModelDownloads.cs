using System.Collections.Concurrent;
using Hearsay.Contracts.Catalog;
using Hearsay.Core;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Download;
using Microsoft.Extensions.Logging;

namespace Hearsay.Server.Downloads;

/// <summary>
/// The server's model downloads: at most one per model, started or joined by any request, cancellable, each reporting
/// progress to the status stream and announcing the installed model so a capability waiting for it loads it.
/// </summary>
internal sealed partial class ModelDownloads(ModelDownloader downloader, ILogger<ModelDownloads> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DownloadProgress> _failed = new(StringComparer.Ordinal);

    /// <summary>Raised on every progress report and at the end (phase installed, failed or cancelled).</summary>
    public event Action<DownloadProgress>? Changed;

    /// <summary>Raised when a model has been installed.</summary>
    public event Action<string>? Installed;

    /// <summary>Downloads in progress now.</summary>
    public IReadOnlyList<DownloadProgress> Current =>
        [.. _running.Values.Select(running => running.Latest).OrderBy(progress => progress.Model, StringComparer.Ordinal)];

    /// <summary>The progress of <paramref name="id"/>'s download, or null when it is not downloading.</summary>
    public DownloadProgress? Find(string id) => _running.TryGetValue(id, out var running) ? running.Latest : null;

    /// <summary>
    /// How <paramref name="id"/>'s last download failed (phase <c>failed</c>, with the error), until another download of
    /// it starts or <see cref="Forget"/> is called; null when it did not fail.
    /// </summary>
    public DownloadProgress? FindFailure(string id) => _failed.GetValueOrDefault(id);

    /// <summary>Forgets <paramref name="id"/>'s failed download (the model was removed).</summary>
    public void Forget(string id) => _failed.TryRemove(id, out _);

    /// <summary>
    /// Starts downloading <paramref name="model"/> in the background, or joins the download already running. A new
    /// download is announced at once (<see cref="Changed"/>), before its first byte, which may be a while coming.
    /// </summary>
    /// <param name="model">The catalog model.</param>
    /// <param name="replace">Replace an installed copy that differs from the catalog's.</param>
    /// <param name="bytesInStore">Bytes of the model already in the store (partial files a new download resumes).</param>
    public DownloadProgress Start(CatalogModel model, bool replace, long bytesInStore)
    {
        ArgumentNullException.ThrowIfNull(model);
        // A cancelled download may still be unwinding; a new request starts afresh (it waits for the model's lock)
        // rather than joining one that is about to end.
        var running = _running.AddOrUpdate(
            model.Id,
            _ => new Running(model, bytesInStore),
            (_, existing) => existing.Cancellation.IsCancellationRequested ? new Running(model, bytesInStore) : existing);
        if (running.TryBegin())
        {
            _failed.TryRemove(model.Id, out _);
            Changed?.Invoke(running.Latest);
            _ = RunAsync(running, replace);
        }

        return running.Latest;
    }

    /// <summary>Cancels <paramref name="id"/>'s download, keeping what arrived; false when none runs.</summary>
    public bool Cancel(string id)
    {
        return _running.TryGetValue(id, out var running) && TryCancel(running);
    }

    public void Dispose()
    {
        foreach (var running in _running.Values)
        {
            TryCancel(running);
        }
    }

    /// <summary>Cancels a download; false when it ended (and disposed its source) between the look-up and the cancel.</summary>
    private static bool TryCancel(Running running)
    {
        try
        {
            running.Cancellation.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task RunAsync(Running running, bool replace)
    {
        var model = running.Model;
        var progress = new Progress(this, running);
        DownloadProgress final;
        try
        {
            // Off the request's thread: the download outlives the request that started it.
            await Task.Yield();
            await downloader.InstallAsync(model, progress, replace, running.Cancellation.Token).ConfigureAwait(false);
            final = running.Latest with { Phase = DownloadProgress.Installed, BytesDone = model.SizeBytes, EtaSeconds = 0 };
            LogInstalled(logger, model.Id);
        }
        catch (OperationCanceledException)
        {
            final = running.Latest with { Phase = DownloadProgress.Cancelled, BytesPerSecond = null, EtaSeconds = null, Error = null, Failure = null, Reason = null };
            LogCancelled(logger, model.Id);
        }
        catch (Exception e) when (e is HearsayException || DownloadFailures.Classify(e) is not null)
        {
            // Any other expected failure of an install still ends the download, said as the server's problem.
            var failure = DownloadFailures.Classify(e) ?? DownloadFailure.ServerError;
            final = running.Latest with
            {
                Phase = DownloadProgress.Failed,
                BytesPerSecond = null,
                EtaSeconds = null,
                Error = e.Message,
                Failure = Code(failure),
                Reason = DownloadFailures.Explain(failure),
            };
            LogFailed(logger, model.Id, e.Message);
        }

        if (final.Phase == DownloadProgress.Failed)
        {
            // Kept so that the capability and the catalog can say why, once the download is no longer running.
            _failed[model.Id] = final;
        }

        _running.TryRemove(new KeyValuePair<string, Running>(model.Id, running));
        running.Cancellation.Dispose();
        Changed?.Invoke(final);
        if (final.Phase == DownloadProgress.Installed)
        {
            Installed?.Invoke(model.Id);
        }
    }

    /// <summary>The wire's name for a kind of failure.</summary>
    private static string Code(DownloadFailure failure) => failure switch
    {
        DownloadFailure.NoConnection => DownloadFailureCodes.NoConnection,
        DownloadFailure.NotFound => DownloadFailureCodes.NotFound,
        DownloadFailure.IntegrityCheckFailed => DownloadFailureCodes.IntegrityCheckFailed,
        DownloadFailure.DiskFull => DownloadFailureCodes.DiskFull,
        DownloadFailure.StoreNotWritable => DownloadFailureCodes.StoreNotWritable,
        _ => DownloadFailureCodes.ServerError,
    };

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Installed {ModelId}")]
    private static partial void LogInstalled(ILogger logger, string modelId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Download of {ModelId} cancelled; the partial files are kept")]
    private static partial void LogCancelled(ILogger logger, string modelId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Download of {ModelId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string modelId, string reason);

    private sealed class Running(CatalogModel model, long bytesInStore)
    {
        private int _begun;

        public CatalogModel Model { get; } = model;

        public CancellationTokenSource Cancellation { get; } = new();

        public volatile DownloadProgress Latest = new(model.Id, DownloadProgress.Downloading, bytesInStore, model.SizeBytes);

        public bool TryBegin() => Interlocked.Exchange(ref _begun, 1) == 0;
    }

    private sealed class Progress(ModelDownloads owner, Running running) : IProgress<ModelDownloadProgress>
    {
        public void Report(ModelDownloadProgress value)
        {
            var phase = value.Phase switch
            {
                ModelDownloadPhase.WaitingForOtherDownload => DownloadProgress.Waiting,
                ModelDownloadPhase.Verifying => DownloadProgress.Verifying,
                ModelDownloadPhase.Retrying => DownloadProgress.Retrying,
                // "Installed" is announced once the install has returned, after the manifest is written.
                _ => DownloadProgress.Downloading,
            };
            var retry = value.Retry;
            running.Latest = new DownloadProgress(
                value.ModelId,
                phase,
                value.BytesDone,
                value.BytesTotal,
                value.BytesPerSecond > 0 ? value.BytesPerSecond : null,
                value.Eta?.TotalSeconds,
                value.CurrentFile,
                retry?.Detail,
                retry is null ? null : Code(retry.Failure),
                retry is null ? null : Capitalized(DownloadFailures.Describe(retry)) + ".");
            owner.Changed?.Invoke(running.Latest);
        }
    }

    private static string Capitalized(string text) => string.Concat(text[..1].ToUpperInvariant(), text.AsSpan(1));
}
