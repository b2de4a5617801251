namespace Hearsay.Core.Models.Download;

/// <summary>Why a model download stopped, or one attempt of it failed, in terms a person can act on.</summary>
public enum DownloadFailure
{
    /// <summary>
    /// The download server could not be reached, or the connection kept breaking off: this computer is offline, a
    /// firewall or proxy is in the way, or the server is down.
    /// </summary>
    NoConnection,

    /// <summary>The server (or folder mirror) has no such file.</summary>
    NotFound,

    /// <summary>The server answered with an error, or with something that is not the file.</summary>
    ServerError,

    /// <summary>What arrived is not the file the catalog describes; it was deleted.</summary>
    IntegrityCheckFailed,

    /// <summary>The model store's disk has no room for the model.</summary>
    DiskFull,

    /// <summary>The model store cannot be written.</summary>
    StoreNotWritable,

    /// <summary>Stopped on request.</summary>
    Cancelled,
}

/// <summary>
/// A download that the server refused or that failed on every retry, with the kind of failure; the message is the
/// technical detail (the URL, the HTTP status or the system's error) for logs.
/// </summary>
public sealed class ModelDownloadException : HearsayException
{
    /// <summary>Creates the exception (<see cref="HearsayErrorCode.DownloadFailed"/>).</summary>
    public ModelDownloadException(DownloadFailure failure, string message, Exception? innerException = null)
        : base(HearsayErrorCode.DownloadFailed, message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What kind of failure it was.</summary>
    public DownloadFailure Failure { get; }
}
