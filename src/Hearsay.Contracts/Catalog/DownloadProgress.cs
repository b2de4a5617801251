namespace Hearsay.Contracts.Catalog;

/// <summary>How far one model's download has come.</summary>
/// <param name="Model">The catalog id.</param>
/// <param name="Phase">
/// <c>waiting</c> (another process holds the model's lock), <c>downloading</c>, <c>retrying</c> (an attempt failed; the
/// next comes after a wait), <c>verifying</c>, <c>installed</c>, <c>failed</c> or <c>cancelled</c>.
/// </param>
/// <param name="BytesDone">Bytes in the store so far, resumed ones included.</param>
/// <param name="TotalBytes">The model's size.</param>
/// <param name="BytesPerSecond">Recent rate; null until known.</param>
/// <param name="EtaSeconds">Estimated seconds left; null until known.</param>
/// <param name="File">The file being fetched or verified.</param>
/// <param name="Error">
/// The technical detail of the failure (phases <c>failed</c> and <c>retrying</c>): the URL, the HTTP status or the
/// system's error. For logs and behind a "Details" toggle; show <paramref name="Reason"/> to people.
/// </param>
/// <param name="Failure">
/// The kind of failure (phases <c>failed</c> and <c>retrying</c>), to branch on: one of <see cref="DownloadFailureCodes"/>.
/// </param>
/// <param name="Reason">What happened and what to do, in plain words for people (phases <c>failed</c> and <c>retrying</c>).</param>
public sealed record DownloadProgress(
    string Model,
    string Phase,
    long BytesDone,
    long TotalBytes,
    double? BytesPerSecond = null,
    double? EtaSeconds = null,
    string? File = null,
    string? Error = null,
    string? Failure = null,
    string? Reason = null)
{
    /// <summary>Waiting for another process's download of the same model.</summary>
    public const string Waiting = "waiting";

    /// <summary>Fetching bytes.</summary>
    public const string Downloading = "downloading";

    /// <summary>An attempt failed in a way worth retrying; the next one comes after a wait.</summary>
    public const string Retrying = "retrying";

    /// <summary>Hashing downloaded files.</summary>
    public const string Verifying = "verifying";

    /// <summary>Done: the model is installed.</summary>
    public const string Installed = "installed";

    /// <summary>Stopped by an error; what arrived is kept for a resume.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped on request; what arrived is kept for a resume.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>The <c>failure</c> values of a <see cref="DownloadProgress"/>. Branch on these, never on the reason's words.</summary>
public static class DownloadFailureCodes
{
    /// <summary>The download server could not be reached, or the connection kept breaking off (is the computer offline?).</summary>
    public const string NoConnection = "no_connection";

    /// <summary>The download server does not have the file.</summary>
    public const string NotFound = "not_found";

    /// <summary>The download server answered with an error.</summary>
    public const string ServerError = "server_error";

    /// <summary>What arrived is not the file the catalog describes (it was deleted).</summary>
    public const string IntegrityCheckFailed = "integrity_check_failed";

    /// <summary>The model store's disk is full.</summary>
    public const string DiskFull = "disk_full";

    /// <summary>The model store cannot be written.</summary>
    public const string StoreNotWritable = "store_not_writable";
}
