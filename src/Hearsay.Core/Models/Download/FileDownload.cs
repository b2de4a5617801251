using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Hearsay.Core.Diagnostics;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Models.Download;

/// <summary>
/// Fetches one file into <c>NAME.partial</c>, resuming with <c>Range</c> from whatever the partial already holds (an
/// earlier attempt, or an earlier process), retrying transient failures with exponential backoff (each reported, with
/// the wait, and logged), and returning only once the partial has the catalog's size. Verification and the move into
/// place are the caller's.
/// </summary>
internal sealed class FileDownload(HttpClient http, ModelDownloadOptions options, ProgressTracker progress, TimeProvider time, ILogger logger)
{
    /// <summary>Downloads <paramref name="file"/> until <paramref name="partialPath"/> holds all its bytes.</summary>
    /// <exception cref="ModelDownloadException">When the server refuses the file or every retry failed.</exception>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.InsufficientStorage"/> or <see cref="HearsayErrorCode.StoreNotWritable"/> from the disk.
    /// </exception>
    public async Task RunAsync(CatalogFile file, string partialPath, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            var before = ModelStore.LengthOf(partialPath);
            if (before > file.Size)
            {
                // Longer than the file can be: not resumable.
                progress.Rewind(before);
                File.Delete(partialPath);
                before = 0;
            }

            if (before == file.Size)
            {
                return;
            }

            AttemptFailure? failure;
            try
            {
                failure = await AttemptAsync(file, partialPath, before, cancellationToken).ConfigureAwait(false);
                if (failure is null)
                {
                    continue;
                }
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                failure = new AttemptFailure(Classify(e), $"{file.Url}: {e.Message}");
            }

            // A failure that still moved the file forward does not count against the limit: a flaky link that gets
            // somewhere every time finishes eventually.
            failures = ModelStore.LengthOf(partialPath) > before ? 1 : failures + 1;
            if (failures >= options.MaxAttempts)
            {
                throw new ModelDownloadException(
                    failure.Kind,
                    $"Downloading {file.Url} failed {failures} times in a row ({failure.Detail}); what arrived is kept for the next download to resume.");
            }

            var backoff = options.InitialBackoff * Math.Pow(2, failures - 1);
            var wait = failure.RetryAfter ?? backoff;
            wait = wait < options.MaxBackoff ? wait : options.MaxBackoff;
            Log.DownloadRetrying(logger, failure.Detail, failures, options.MaxAttempts, wait.TotalSeconds);
            progress.ReportRetry(new ModelDownloadRetry(failures, options.MaxAttempts, wait, failure.Kind, failure.Detail), file.Path);
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One request; null when bytes were written to the end of the response, else why not.</summary>
    private async Task<AttemptFailure?> AttemptAsync(CatalogFile file, string partialPath, long offset, CancellationToken cancellationToken)
    {
        if (file.Url.IsFile)
        {
            FileStream source;
            try
            {
                source = new FileStream(file.Url.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // A folder mirror without the file will not grow it by waiting.
                throw new ModelDownloadException(DownloadFailure.NotFound, $"Reading {file.Url.LocalPath} failed: the file does not exist.", e);
            }

            await using (source.ConfigureAwait(false))
            {
                source.Seek(Math.Min(offset, source.Length), SeekOrigin.Begin);
                await CopyAsync(source, file, partialPath, append: true, cancellationToken).ConfigureAwait(false);
                return null;
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, file.Url);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when response.Content.Headers.ContentRange?.From == offset:
            case HttpStatusCode.OK when offset == 0:
                break;
            case HttpStatusCode.OK:
                // The server ignored Range and sends the whole file: start the partial again from its first byte.
                progress.Rewind(offset);
                offset = 0;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                // The partial is not a prefix the server recognizes (the file changed upstream): start over.
                progress.Rewind(offset);
                File.Delete(partialPath);
                return new AttemptFailure(DownloadFailure.ServerError, $"{file.Url}: the server refused to resume (HTTP 416)");
            case HttpStatusCode.PartialContent:
                return new AttemptFailure(DownloadFailure.ServerError, $"{file.Url}: the server resumed at the wrong place ({response.Content.Headers.ContentRange})");
            case var status when IsTransient(status):
                return new AttemptFailure(DownloadFailure.ServerError, Status(file, response), RetryAfter(response));
            case var status:
                throw new ModelDownloadException(
                    status is HttpStatusCode.NotFound or HttpStatusCode.Gone ? DownloadFailure.NotFound : DownloadFailure.ServerError,
                    $"Downloading {Status(file, response)}.");
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await CopyAsync(body, file, partialPath, append: offset > 0, cancellationToken).ConfigureAwait(false);
        }

        return ModelStore.LengthOf(partialPath) == file.Size ? null : new AttemptFailure(DownloadFailure.NoConnection, $"{file.Url}: the connection ended early");
    }

    /// <summary>Appends <paramref name="source"/> to the partial, never past the file's size, failing a read that stalls.</summary>
    private async Task CopyAsync(Stream source, CatalogFile file, string partialPath, bool append, CancellationToken cancellationToken)
    {
        FileStream target;
        try
        {
            target = new FileStream(partialPath, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (UnauthorizedAccessException e)
        {
            throw StoreErrors.NotWritable(partialPath, e);
        }

        await using (target.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (target.Length < file.Size)
            {
                stall.CancelAfter(options.StallTimeout);
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, file.Size - target.Length)), stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no data for {options.StallTimeout.TotalSeconds:0} s");
                }

                if (read == 0)
                {
                    return;
                }

                try
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e) when (StoreErrors.IsDiskFull(e))
                {
                    throw StoreErrors.DiskFull(partialPath, file.Size - target.Length, e);
                }

                progress.Advance(read, file.Path);
            }
        }
    }

    private static string Status(CatalogFile file, HttpResponseMessage response) =>
        string.Create(CultureInfo.InvariantCulture, $"{file.Url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");

    /// <summary>An exception that <see cref="IsTransient(Exception, CancellationToken)"/> let through: a protocol error is the server's, the rest the connection's.</summary>
    private static DownloadFailure Classify(Exception e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse }
            ? DownloadFailure.ServerError
            : DownloadFailure.NoConnection;

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException or TimeoutException => true,
        IOException io => !StoreErrors.IsDiskFull(io),
        // HttpClient's own timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow);

    /// <summary>Why one attempt failed: its kind, the technical detail, and the server's <c>Retry-After</c>.</summary>
    private sealed record AttemptFailure(DownloadFailure Kind, string Detail, TimeSpan? RetryAfter = null);
}
