using Microsoft.Extensions.Logging;

namespace Hearsay.Core.Diagnostics;

/// <summary>Text-to-speech log messages; event ids 1300–1399.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "Loaded voice {ModelPath} ({SampleRate} Hz, {SpeakerCount} speaker(s), {Threads} thread(s)) in {ElapsedMs} ms")]
    public static partial void VoiceLoaded(ILogger logger, string modelPath, int sampleRate, int speakerCount, int threads, long elapsedMs);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug,
        Message = "Phoneme '{Phoneme}' (U+{CodePoint:X4}) is not in the voice's phoneme_id_map; skipped")]
    public static partial void PhonemeSkipped(ILogger logger, System.Text.Rune phoneme, int codePoint);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug,
        Message = "Sentence {Index}: piece {Piece}, {PhonemeIdCount} phoneme ids -> {SampleCount} samples, inference {InferenceMs:0.0} ms")]
    public static partial void SentenceSynthesized(ILogger logger, int index, int piece, int phonemeIdCount, int sampleCount, double inferenceMs);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Debug,
        Message = "Phonemized {ClauseCount} clause(s) with {Program} in {ElapsedMs:0.0} ms")]
    public static partial void Phonemized(ILogger logger, int clauseCount, string program, double elapsedMs);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Debug,
        Message = "espeak-ng returned {Actual} lines for {Expected} clauses; phonemizing clause by clause")]
    public static partial void ClauseSplitMismatch(ILogger logger, int expected, int actual);

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning,
        Message = "The portable phonemizer's worker ended ({Reason}); starting another and sending the text again")]
    public static partial void PortablePhonemizerRestarted(ILogger logger, string reason);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Information,
        Message = "Started the portable phonemizer (espeak-ng {Version}) in {ElapsedMs} ms")]
    public static partial void PortablePhonemizerStarted(ILogger logger, string version, long elapsedMs);
}
