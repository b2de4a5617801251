using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Diagnostics;

/// <summary>Speech-to-text log messages; event ids 1600–1699.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information,
        Message = "Loaded Whisper {ModelType} from {EncoderPath} ({MelCount} mel bins, vocabulary {Vocabulary}, multilingual {Multilingual}) in {ElapsedMs} ms")]
    public static partial void WhisperLoaded(ILogger logger, string modelType, string encoderPath, int melCount, int vocabulary, bool multilingual, long elapsedMs);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Debug,
        Message = "Transcribed {Seconds:0.0} s of audio in {ElapsedMs} ms ({Segments} segments, language {Language})")]
    public static partial void Transcribed(ILogger logger, double seconds, long elapsedMs, int segments, string language);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information,
        Message = "The Whisper decoder {DecoderPath} runs on ONNX Runtime (slower per token): Hearsay's decoder cannot read it, because {Reason}")]
    public static partial void WhisperDecoderOnOnnxRuntime(ILogger logger, string decoderPath, string reason);
}
