namespace Hearsay.Core;

/// <summary>What went wrong, for callers that branch on failures (never on message text).</summary>
public enum HearsayErrorCode
{
    /// <summary>The request itself is invalid: empty text, an unknown speaker, a value out of range.</summary>
    InvalidInput,

    /// <summary>A model or configuration file does not exist.</summary>
    ModelNotFound,

    /// <summary>A model or configuration file exists but cannot be used: corrupt, or not the expected interface.</summary>
    ModelInvalid,

    /// <summary>A program Hearsay depends on (such as espeak-ng) cannot be found, so a capability is unavailable.</summary>
    DependencyMissing,

    /// <summary>A dependency was found but failed while running.</summary>
    DependencyFailed,

    /// <summary>ONNX Runtime failed while running a model.</summary>
    InferenceFailed,

    /// <summary>The input is in a format Hearsay does not accept (for audio: not WAV or raw PCM, and no ffmpeg to decode it).</summary>
    UnsupportedFormat,

    /// <summary>A model could not be downloaded: the server refused it, or the network failed after every retry.</summary>
    DownloadFailed,

    /// <summary>A model file's size or hash differs from the catalog's: it was not installed (or an installed one was changed).</summary>
    IntegrityCheckFailed,

    /// <summary>The model store's disk has no room for the model.</summary>
    InsufficientStorage,

    /// <summary>The model store cannot be written: permissions, or a read-only disk.</summary>
    StoreNotWritable,

    /// <summary>The audio lasts longer than the configured limit.</summary>
    AudioTooLong,
}
