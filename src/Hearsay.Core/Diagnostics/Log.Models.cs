using Hearsay.Core.Models.Download;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Diagnostics;

/// <summary>Model download log messages; event ids 1100–1199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Download attempt {FailedAttempts} of {MaxAttempts} failed ({Detail}); trying again in {WaitSeconds:0.#} s")]
    public static partial void DownloadRetrying(ILogger logger, string detail, int failedAttempts, int maxAttempts, double waitSeconds);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Installing {ModelId} stopped ({Failure}): {Detail}")]
    public static partial void InstallStopped(ILogger logger, string modelId, DownloadFailure failure, string detail);
}
