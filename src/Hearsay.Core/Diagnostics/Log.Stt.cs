using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Diagnostics;

/// <summary>Speech-to-text log messages; event ids 1600–1699.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information,
        Message = "Loaded Whisper {ModelType} from {EncoderPath} ({MelCount} mel bins, vocabulary {Vocabulary}, multilingual {Multilingual}, {Threads} thread(s)) in {ElapsedMs} ms")]
    public static partial void WhisperLoaded(ILogger logger, string modelType, string encoderPath, int melCount, int vocabulary, bool multilingual, int threads, long elapsedMs);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Debug,
        Message = "Transcribed {Seconds:0.0} s of audio in {ElapsedMs} ms ({Segments} segments, language {Language})")]
    public static partial void Transcribed(ILogger logger, double seconds, long elapsedMs, int segments, string language);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information,
        Message = "The Whisper decoder {DecoderPath} runs on ONNX Runtime (slower per token): Hearsay's decoder cannot read it, because {Reason}")]
    public static partial void WhisperDecoderOnOnnxRuntime(ILogger logger, string decoderPath, string reason);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Debug, Message = "Detected the language {Language} (token {Token}) on the first 30 s")]
    public static partial void WhisperLanguageDetected(ILogger logger, string language, int token);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Debug,
        Message = "Window at frame {Seek} ({Frames} frames) decoded at temperature {Temperature} after [{InitialTokens}]: " +
                  "[{SampledTokens}], average log-probability {AvgLogprob}, no-speech probability {NoSpeechProb}, " +
                  "compression ratio {CompressionRatio}, needs fallback {NeedsFallback}")]
    public static partial void WhisperWindowDecoded(
        ILogger logger,
        long seek,
        int frames,
        double temperature,
        IReadOnlyList<int> initialTokens,
        IReadOnlyList<int> sampledTokens,
        double avgLogprob,
        double noSpeechProb,
        double compressionRatio,
        bool needsFallback);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Debug,
        Message = "Window at frame {Seek}: skipped as no speech {SkippedAsNoSpeech}; the next window starts at frame {NextSeek}")]
    public static partial void WhisperWindowDone(ILogger logger, long seek, bool skippedAsNoSpeech, long nextSeek);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Information,
        Message = "The Whisper encoder {EncoderPath} runs its attention as the file has it (more memory per window): Hearsay cannot fuse it, because {Reason}")]
    public static partial void WhisperEncoderAttentionUnfused(ILogger logger, string encoderPath, string reason);
}
