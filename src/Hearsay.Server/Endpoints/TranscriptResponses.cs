using System.Text.Json;
using Hearsay.Contracts;
using Hearsay.Contracts.Audio;
using Hearsay.Core.Stt;
using Hearsay.Core.Stt.Formats;

namespace Hearsay.Server.Endpoints;

/// <summary>
/// A transcription in each of OpenAI's response formats: <c>json</c> and <c>verbose_json</c> as the records of
/// <c>Hearsay.Contracts</c>, serialized by its source-generated context; <c>text</c>, <c>srt</c> and <c>vtt</c> as
/// <see cref="TranscriptFormatter"/> renders them. The server answers with these bodies and <c>hearsay transcribe</c>
/// prints them, so the two never differ.
/// </summary>
public static class TranscriptResponses
{
    /// <summary>The body of <paramref name="transcription"/> in <paramref name="format"/>.</summary>
    /// <param name="transcription">The result.</param>
    /// <param name="format">The response format.</param>
    /// <param name="task">What <c>verbose_json</c> reports.</param>
    /// <param name="words">Whether <c>verbose_json</c> lists the words (the transcription was made with word timestamps).</param>
    /// <param name="cues">How <c>srt</c> and <c>vtt</c> are cut into cues; null for one per segment.</param>
    public static string Format(Transcription transcription, TranscriptFormat format, TranscriptionTask task, bool words = false, SubtitleCues? cues = null)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        return format switch
        {
            TranscriptFormat.Json => JsonSerializer.Serialize(Text(transcription), HearsayJsonContext.Web.TranscriptionText),
            TranscriptFormat.VerboseJson => JsonSerializer.Serialize(Verbose(transcription, task, words), HearsayJsonContext.Web.VerboseTranscription),
            _ => TranscriptFormatter.FormatText(transcription, format, cues),
        };
    }

    /// <summary>The HTTP content type OpenAI answers each format with.</summary>
    internal static string ContentType(TranscriptFormat format) => format switch
    {
        TranscriptFormat.Json or TranscriptFormat.VerboseJson => "application/json",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>The <c>json</c> response: the whole text, without Whisper's leading space.</summary>
    internal static TranscriptionText Text(Transcription transcription) => new(transcription.Text.Trim());

    /// <summary>The <c>verbose_json</c> response.</summary>
    internal static VerboseTranscription Verbose(Transcription transcription, TranscriptionTask task, bool words) => new(
        task == TranscriptionTask.Translate ? "translate" : "transcribe",
        // OpenAI reports a translation's output language, which is always English, not the detected input language.
        task == TranscriptionTask.Translate ? "english" : WhisperLanguages.NameOf(transcription.Language),
        transcription.Duration,
        transcription.Text.Trim(),
        [.. transcription.Segments.Select(Segment)],
        // OpenAI's words carry no leading space.
        words ? [.. transcription.Words.Select(word => new TranscriptionWordInfo(word.Word.Trim(), word.Start, word.End))] : null);

    private static TranscriptionSegmentInfo Segment(TranscriptionSegment segment) => new(
        segment.Id,
        segment.Seek,
        segment.Start,
        segment.End,
        segment.Text,
        segment.Tokens,
        segment.Temperature,
        segment.AvgLogprob,
        segment.CompressionRatio,
        segment.NoSpeechProb);
}
