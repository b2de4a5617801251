using System.Globalization;
using Hearsay.Core.Models.Store;

namespace Hearsay.Core.Models.Download;

/// <summary>
/// What a download failure means for the person waiting for the model: its kind, from whatever the install threw, and
/// what happened and what to do, in words for people. The CLI, the server's status and the page all say these words,
/// with the technical detail (the exception's message) kept for logs and a "Details" toggle.
/// </summary>
public static class DownloadFailures
{
    /// <summary>The kind of failure <paramref name="error"/> is, or null when it is not one an install reports (a bug).</summary>
    public static DownloadFailure? Classify(Exception error) => error switch
    {
        OperationCanceledException => DownloadFailure.Cancelled,
        ModelDownloadException download => download.Failure,
        HearsayException { Code: HearsayErrorCode.DownloadFailed } => DownloadFailure.ServerError,
        HearsayException { Code: HearsayErrorCode.IntegrityCheckFailed } => DownloadFailure.IntegrityCheckFailed,
        HearsayException { Code: HearsayErrorCode.InsufficientStorage } => DownloadFailure.DiskFull,
        HearsayException { Code: HearsayErrorCode.StoreNotWritable } => DownloadFailure.StoreNotWritable,
        HttpRequestException => DownloadFailure.NoConnection,
        IOException io when StoreErrors.IsDiskFull(io) => DownloadFailure.DiskFull,
        IOException or UnauthorizedAccessException => DownloadFailure.StoreNotWritable,
        _ => null,
    };

    /// <summary>What happened and what to do, in a sentence or two for people.</summary>
    public static string Explain(DownloadFailure failure) => failure switch
    {
        DownloadFailure.NoConnection =>
            "Hearsay could not reach the download server: this computer may be offline, or a firewall or proxy is in the way. " +
            "Check the internet connection and try again; what arrived so far is kept.",
        DownloadFailure.NotFound =>
            "The download server does not have this model's files (they may have moved). " +
            "Try again later, or update Hearsay for the current list of models.",
        DownloadFailure.ServerError =>
            "The download server had a problem and did not send the model. Try again in a few minutes; what arrived so far is kept.",
        DownloadFailure.IntegrityCheckFailed =>
            "The downloaded files were not the ones expected (damaged on the way, or changed on the server), so they were deleted. " +
            "Try again; if it happens again, something between this computer and the server is changing the files.",
        DownloadFailure.DiskFull =>
            "There is not enough free disk space for the model. Free some space, then try again.",
        DownloadFailure.StoreNotWritable =>
            "Hearsay cannot save models in its model folder (it is read-only or not allowed). " +
            "Make the folder writable or choose another one, then try again.",
        _ => "The download was cancelled. What arrived so far is kept; downloading again resumes it.",
    };

    /// <summary>What went wrong in a few words, for a progress line: "could not reach the download server".</summary>
    public static string Summarize(DownloadFailure failure) => failure switch
    {
        DownloadFailure.NoConnection => "could not reach the download server",
        DownloadFailure.NotFound => "the download server does not have the file",
        DownloadFailure.ServerError => "the download server had a problem",
        DownloadFailure.IntegrityCheckFailed => "the file arrived damaged",
        DownloadFailure.DiskFull => "the disk is full",
        DownloadFailure.StoreNotWritable => "the model folder cannot be written",
        _ => "cancelled",
    };

    /// <summary>
    /// A failed attempt and the wait, for a progress line: "attempt 2 of 6 failed (could not reach the download server);
    /// trying again in 2 s".
    /// </summary>
    public static string Describe(ModelDownloadRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var wait = retry.Wait < TimeSpan.FromSeconds(1)
            ? "in a moment"
            : string.Create(CultureInfo.InvariantCulture, $"in {Math.Ceiling(retry.Wait.TotalSeconds):0} s");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"attempt {retry.FailedAttempts} of {retry.MaxAttempts} failed ({Summarize(retry.Failure)}); trying again {wait}");
    }
}
