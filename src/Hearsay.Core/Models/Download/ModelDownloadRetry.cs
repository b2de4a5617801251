namespace Hearsay.Core.Models.Download;

/// <summary>An attempt that failed in a way worth retrying, and the wait before the next one.</summary>
/// <param name="FailedAttempts">Attempts in a row that failed so far (no byte gained), this one included.</param>
/// <param name="MaxAttempts">Failed attempts in a row after which the download gives up.</param>
/// <param name="Wait">How long until the next attempt.</param>
/// <param name="Failure">What kind of failure it was.</param>
/// <param name="Detail">The technical detail: the URL and the HTTP status or the system's error.</param>
public sealed record ModelDownloadRetry(int FailedAttempts, int MaxAttempts, TimeSpan Wait, DownloadFailure Failure, string Detail);
