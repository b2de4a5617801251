using Hearsay.Core.Audio.Input;
using Hearsay.Core.Audio.Input.Mp3;
using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Diagnostics;

/// <summary>Audio log messages (decoding, and encoding through ffmpeg); event ids 1400–1499.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug,
        Message = "WAV: {Layout}, {SampleRate} Hz, {DataBytes} data bytes (-1: to the end), samples from byte {DataOffset}")]
    public static partial void WavHeaderRead(ILogger logger, PcmLayout layout, int sampleRate, long dataBytes, long dataOffset);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "WAV chunk {ChunkId} ({Size} bytes at byte {Offset}) skipped")]
    public static partial void WavChunkSkipped(ILogger logger, string chunkId, uint size, long offset);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Debug, Message = "Raw PCM: s16le, {Channels} channel(s), {SampleRate} Hz")]
    public static partial void RawPcmOpened(ILogger logger, int channels, int sampleRate);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Debug,
        Message = "Resampling {InputRate} Hz to {OutputRate} Hz: {Phases} phase(s) of {Taps} taps")]
    public static partial void Resampling(ILogger logger, int inputRate, int outputRate, int phases, int taps);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Debug,
        Message = "Measured the audio before decoding it for use: {Samples} samples at {SampleRate} Hz in {ElapsedMs} ms")]
    public static partial void AudioMeasured(ILogger logger, long samples, int sampleRate, long elapsedMs);

    [LoggerMessage(EventId = 1440, Level = LogLevel.Debug,
        Message = "FLAC: {SampleRate} Hz, {Channels} channel(s), {BitsPerSample} bits, blocks of up to {MaxBlockSize} samples")]
    public static partial void FlacOpened(ILogger logger, int sampleRate, int channels, int bitsPerSample, int maxBlockSize);

    [LoggerMessage(EventId = 1441, Level = LogLevel.Debug,
        Message = "MP3: {Version} {Layer}, {SampleRate} Hz, {Channels} channel(s); {TagBytes} bytes of ID3v2 tags skipped")]
    public static partial void Mp3Opened(ILogger logger, MpegVersion version, MpegLayer layer, int sampleRate, int channels, long tagBytes);

    [LoggerMessage(EventId = 1442, Level = LogLevel.Debug,
        Message = "MP3 {Tag} header: {Frames} frames (-1: not given); {Delay} encoder delay and {Padding} padding samples trimmed")]
    public static partial void Mp3InfoHeader(ILogger logger, string tag, long frames, int delay, int padding);

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information,
        Message = "Decoding {Container} with ffmpeg ({Program}, found via {Source})")]
    public static partial void FfmpegStarted(ILogger logger, string container, string program, string source);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Debug, Message = "ffmpeg exited with code {ExitCode} after {ElapsedMs} ms")]
    public static partial void FfmpegExited(ILogger logger, int exitCode, long elapsedMs);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Warning, Message = "ffmpeg stopped: {Reason}")]
    public static partial void FfmpegStopped(ILogger logger, string reason);

    // Information, not a warning: the input was at fault, not Hearsay (the CLI shows it with --verbose).
    [LoggerMessage(EventId = 1413, Level = LogLevel.Information, Message = "ffmpeg could not decode the audio (exit code {ExitCode}): {Stderr}")]
    public static partial void FfmpegDecodeFailed(ILogger logger, int exitCode, string stderr);

    [LoggerMessage(EventId = 1430, Level = LogLevel.Information, Message = "Decoding in-process: {Description}")]
    public static partial void DecodedInProcess(ILogger logger, string description);

    [LoggerMessage(EventId = 1420, Level = LogLevel.Warning, Message = "ffmpeg could not encode {Format} ({Reason}): {Stderr}")]
    public static partial void FfmpegEncodeFailed(ILogger logger, string format, string reason, string stderr);
}
