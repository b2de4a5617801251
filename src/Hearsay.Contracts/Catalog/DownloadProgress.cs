namespace Hearsay.Contracts.Catalog;

/// <summary>How far one model's download has come.</summary>
/// <param name="Model">The catalog id.</param>
/// <param name="Phase"><c>waiting</c> (another process holds the model's lock), <c>downloading</c>, <c>verifying</c>, <c>installed</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="BytesDone">Bytes in the store so far, resumed ones included.</param>
/// <param name="TotalBytes">The model's size.</param>
/// <param name="BytesPerSecond">Recent rate; null until known.</param>
/// <param name="EtaSeconds">Estimated seconds left; null until known.</param>
/// <param name="File">The file being fetched or verified.</param>
/// <param name="Error">Why it failed (phase <c>failed</c>).</param>
public sealed record DownloadProgress(
    string Model,
    string Phase,
    long BytesDone,
    long TotalBytes,
    double? BytesPerSecond = null,
    double? EtaSeconds = null,
    string? File = null,
    string? Error = null)
{
    /// <summary>Waiting for another process's download of the same model.</summary>
    public const string Waiting = "waiting";

    /// <summary>Fetching bytes.</summary>
    public const string Downloading = "downloading";

    /// <summary>Hashing downloaded files.</summary>
    public const string Verifying = "verifying";

    /// <summary>Done: the model is installed.</summary>
    public const string Installed = "installed";

    /// <summary>Stopped by an error; what arrived is kept for a resume.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped on request; what arrived is kept for a resume.</summary>
    public const string Cancelled = "cancelled";
}
