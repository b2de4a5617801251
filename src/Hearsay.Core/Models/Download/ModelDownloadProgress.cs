namespace Hearsay.Core.Models.Download;

/// <summary>Where an install is.</summary>
public enum ModelDownloadPhase
{
    /// <summary>Another process is downloading the same model; this one waits and then shares its result.</summary>
    WaitingForOtherDownload,

    /// <summary>Bytes are arriving.</summary>
    Downloading,

    /// <summary>An attempt failed in a way worth retrying (see <see cref="ModelDownloadProgress.Retry"/>); the next one comes after a wait.</summary>
    Retrying,

    /// <summary>A file is complete and being checked against the catalog's size and hash.</summary>
    Verifying,

    /// <summary>Every file is verified and in place.</summary>
    Installed,
}

/// <summary>A progress report for one model's install.</summary>
/// <param name="ModelId">The model.</param>
/// <param name="Phase">What is happening.</param>
/// <param name="BytesDone">Bytes of the model on disk so far, resumed ones included.</param>
/// <param name="BytesTotal">The model's size.</param>
/// <param name="BytesPerSecond">The recent download rate (0 when unknown).</param>
/// <param name="CurrentFile">The file being downloaded or verified.</param>
public sealed record ModelDownloadProgress(
    string ModelId, ModelDownloadPhase Phase, long BytesDone, long BytesTotal, double BytesPerSecond, string? CurrentFile)
{
    /// <summary>The failed attempt and the wait before the next, in phase <see cref="ModelDownloadPhase.Retrying"/>.</summary>
    public ModelDownloadRetry? Retry { get; init; }

    /// <summary>Time left at the recent rate; null while the rate is unknown.</summary>
    public TimeSpan? Eta => BytesPerSecond > 0 ? TimeSpan.FromSeconds((BytesTotal - BytesDone) / BytesPerSecond) : null;
}
