namespace Hearsay.Contracts.Errors;

/// <summary>The <c>code</c> values Hearsay's errors carry. Branch on these, never on messages.</summary>
public static class ErrorCodes
{
    /// <summary>401: no bearer token, or the wrong one.</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <summary>400: a field is missing or out of range; <c>param</c> names it.</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>400: the speech input is longer than the server's limit.</summary>
    public const string InputTooLong = "input_too_long";

    /// <summary>404: no such model (or one this server does not serve).</summary>
    public const string ModelNotFound = "model_not_found";

    /// <summary>413: the request body is larger than the server's limit.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>413: the audio lasts longer than the server's limit (<c>--max-audio-duration</c>); <c>param</c> is <c>file</c>.</summary>
    public const string AudioTooLong = "audio_too_long";

    /// <summary>404: no endpoint has this path (the OpenAPI document at <c>/openapi/v1.json</c> lists them).</summary>
    public const string UnknownUrl = "unknown_url";

    /// <summary>405: the endpoint does not take this method; <c>Allow</c> lists those it takes.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>415: the endpoint does not read a body of this <c>Content-Type</c>.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>415: audio in a format Hearsay cannot read (the message names what it accepts).</summary>
    public const string UnsupportedAudio = "unsupported_audio_format";

    /// <summary>429: the engine's queue is full; retry after <c>Retry-After</c> seconds.</summary>
    public const string EngineBusy = "engine_busy";

    /// <summary>503: the capability is not ready; the message says its state and why.</summary>
    public const string CapabilityNotReady = "capability_not_ready";

    /// <summary>409: the request conflicts with the model's state (removing a model that is downloading).</summary>
    public const string Conflict = "conflict";

    /// <summary>404: no download of the model is running (cancelling one that has ended or never started).</summary>
    public const string DownloadNotFound = "download_not_found";

    /// <summary>502: a model download failed.</summary>
    public const string DownloadFailed = "download_failed";

    /// <summary>507: the model store's disk is full.</summary>
    public const string InsufficientStorage = "insufficient_storage";

    /// <summary>500: anything else; the server's log has the details.</summary>
    public const string InternalError = "internal_error";
}
