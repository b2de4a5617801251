using Hearsay.Core.Vad;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Diagnostics;

/// <summary>Voice activity detection log messages; event ids 1500–1599.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information,
        Message = "Loaded Silero VAD {ModelSource} ({Interface} interface) in {ElapsedMs} ms")]
    public static partial void VadModelLoaded(ILogger logger, string modelSource, SileroVadInterface @interface, long elapsedMs);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug,
        Message = "Speech segment {StartSeconds:0.000}–{EndSeconds:0.000} s (samples {Start}–{End})")]
    public static partial void SpeechSegmentFound(ILogger logger, double startSeconds, double endSeconds, long start, long end);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug,
        Message = "Voice activity detection done: {SampleCount} samples in {FrameCount} frames, {SegmentCount} segment(s), {SpeechSeconds:0.00} s of speech")]
    public static partial void VadCompleted(ILogger logger, long sampleCount, long frameCount, int segmentCount, double speechSeconds);
}
