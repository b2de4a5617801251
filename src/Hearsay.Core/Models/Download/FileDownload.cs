using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Hearsay.Core.Models.Catalog;
using Hearsay.Core.Models.Store;

namespace Hearsay.Core.Models.Download;

/// <summary>
/// Fetches one file into <c>NAME.partial</c>, resuming with <c>Range</c> from whatever the partial already holds (an
/// earlier attempt, or an earlier process), retrying transient failures with exponential backoff, and returning only
/// once the partial has the catalog's size. Verification and the move into place are the caller's.
/// </summary>
internal sealed class FileDownload(HttpClient http, ModelDownloadOptions options, ProgressTracker progress, TimeProvider time)
{
    /// <summary>Downloads <paramref name="file"/> until <paramref name="partialPath"/> holds all its bytes.</summary>
    /// <exception cref="HearsayException">
    /// <see cref="HearsayErrorCode.DownloadFailed"/> when the server refuses the file or every retry failed;
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

            string failure;
            TimeSpan? retryAfter = null;
            try
            {
                (failure, retryAfter) = await AttemptAsync(file, partialPath, before, cancellationToken).ConfigureAwait(false);
                if (failure.Length == 0)
                {
                    continue;
                }
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                failure = e.Message;
            }

            // A failure that still moved the file forward does not count against the limit: a flaky link that gets
            // somewhere every time finishes eventually.
            failures = ModelStore.LengthOf(partialPath) > before ? 1 : failures + 1;
            if (failures >= options.MaxAttempts)
            {
                throw new HearsayException(
                    HearsayErrorCode.DownloadFailed,
                    $"Downloading {file.Url} failed {failures} times in a row ({failure}); what arrived is kept, and the next pull resumes it.");
            }

            var backoff = options.InitialBackoff * Math.Pow(2, failures - 1);
            var wait = retryAfter ?? backoff;
            await Task.Delay(wait < options.MaxBackoff ? wait : options.MaxBackoff, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One request; returns an empty failure when bytes were written to the end of the response, else why not.</summary>
    private async Task<(string Failure, TimeSpan? RetryAfter)> AttemptAsync(CatalogFile file, string partialPath, long offset, CancellationToken cancellationToken)
    {
        if (file.Url.IsFile)
        {
            var source = new FileStream(file.Url.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (source.ConfigureAwait(false))
            {
                source.Seek(Math.Min(offset, source.Length), SeekOrigin.Begin);
                await CopyAsync(source, file, partialPath, append: true, cancellationToken).ConfigureAwait(false);
                return ("", null);
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
                return ("the server refused to resume", null);
            case HttpStatusCode.PartialContent:
                return ($"the server resumed at the wrong place ({response.Content.Headers.ContentRange})", null);
            case var status when IsTransient(status):
                return ($"HTTP {(int)status} {response.ReasonPhrase}", RetryAfter(response));
            default:
                throw new HearsayException(
                    HearsayErrorCode.DownloadFailed,
                    string.Create(CultureInfo.InvariantCulture, $"Downloading {file.Url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}."));
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await CopyAsync(body, file, partialPath, append: offset > 0, cancellationToken).ConfigureAwait(false);
        }

        return ModelStore.LengthOf(partialPath) == file.Size ? ("", null) : ("the connection ended early", null);
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
}
