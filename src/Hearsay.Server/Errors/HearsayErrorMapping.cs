using System.Text.Json;
using Hearsay.Contracts.Errors;
using Hearsay.Core;
using Hearsay.Core.Stt;

namespace Hearsay.Server.Errors;

/// <summary>The one place where an engine or store failure becomes an HTTP status and error code.</summary>
internal static class HearsayErrorMapping
{
    /// <summary>Maps <paramref name="exception"/>; a client error names <paramref name="param"/>, else the option the exception names.</summary>
    public static ApiException ToApi(HearsayException exception, string? param = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (status, code) = exception.Code switch
        {
            HearsayErrorCode.InvalidInput => (400, ErrorCodes.InvalidValue),
            HearsayErrorCode.AudioTooLong => (413, ErrorCodes.AudioTooLong),
            HearsayErrorCode.ModelNotFound => (404, ErrorCodes.ModelNotFound),
            HearsayErrorCode.UnsupportedFormat => (415, ErrorCodes.UnsupportedAudio),
            HearsayErrorCode.DependencyMissing => (503, ErrorCodes.CapabilityNotReady),
            HearsayErrorCode.DownloadFailed or HearsayErrorCode.IntegrityCheckFailed => (502, ErrorCodes.DownloadFailed),
            HearsayErrorCode.InsufficientStorage => (507, ErrorCodes.InsufficientStorage),
            _ => (500, ErrorCodes.InternalError),
        };
        // Core's options are OpenAI's fields in C# case (Language is language), so the field is the option's name; word
        // timestamps are asked for in OpenAI's timestamp_granularities[].
        var field = param ?? exception.OptionName switch
        {
            null => null,
            nameof(TranscribeOptions.WordTimestamps) => "timestamp_granularities",
            var option => JsonNamingPolicy.SnakeCaseLower.ConvertName(option),
        };
        return new ApiException(status, code, exception.Message, status < 500 ? field : null);
    }
}
