using System.Globalization;
using System.Text;

namespace Hearsay.Core.Stt.Formats;

/// <summary>
/// The names of OpenAI's transcription response formats, and the text ones rendered exactly as OpenAI writes them:
/// the text alone, SubRip and WebVTT. The JSON formats are the records of <c>Hearsay.Contracts</c>, which the server
/// builds and serializes (<c>Hearsay.Server.Endpoints.TranscriptResponses</c>).
/// </summary>
public static class TranscriptFormatter
{
    /// <summary>The API names, as <c>response_format</c> takes them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["json", "text", "srt", "verbose_json", "vtt"];

    /// <summary>Parses an API name (<c>verbose_json</c>).</summary>
    public static bool TryParse(string name, out TranscriptFormat format)
    {
        TranscriptFormat? parsed = name switch
        {
            "json" => TranscriptFormat.Json,
            "text" => TranscriptFormat.Text,
            "srt" => TranscriptFormat.Srt,
            "vtt" => TranscriptFormat.Vtt,
            "verbose_json" => TranscriptFormat.VerboseJson,
            _ => null,
        };
        format = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>Renders <paramref name="transcription"/> in a text format.</summary>
    /// <param name="transcription">The result.</param>
    /// <param name="format"><see cref="TranscriptFormat.Text"/>, <see cref="TranscriptFormat.Srt"/> or <see cref="TranscriptFormat.Vtt"/>.</param>
    /// <param name="cues">How subtitles are cut; null for one cue per segment. A segment without words keeps its own cue.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is a JSON format.</exception>
    public static string FormatText(Transcription transcription, TranscriptFormat format, SubtitleCues? cues = null)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        cues ??= SubtitleCues.Segments;
        return format switch
        {
            TranscriptFormat.Text => transcription.Text.Trim() + "\n",
            TranscriptFormat.Srt => Subtitles(transcription, cues, header: null, decimalMarker: ','),
            TranscriptFormat.Vtt => Subtitles(transcription, cues, header: "WEBVTT\n\n", decimalMarker: '.'),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "The JSON formats are Hearsay.Contracts records."),
        };
    }

    /// <summary>A time as SubRip (<c>00:01:02,345</c>) or WebVTT (<c>00:01:02.345</c>) writes it.</summary>
    private static string Timestamp(double seconds, char decimalMarker)
    {
        var milliseconds = (long)Math.Round(Math.Max(0, seconds) * 1000);
        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var secs = milliseconds / 1000 % 60;
        return string.Create(CultureInfo.InvariantCulture, $"{hours:00}:{minutes:00}:{secs:00}{decimalMarker}{milliseconds % 1000:000}");
    }

    private static string Subtitles(Transcription transcription, SubtitleCues cues, string? header, char decimalMarker)
    {
        var builder = new StringBuilder(header);
        var cue = 0;
        // Segments Whisper emptied (no text, or zero length) would be blank cues.
        foreach (var (start, end, text) in transcription.Segments.Where(segment => segment.Text.Trim().Length > 0).SelectMany(segment => Cues(segment, cues)))
        {
            if (header is null)
            {
                builder.Append(++cue).Append('\n');
            }

            builder.Append(Timestamp(start, decimalMarker)).Append(" --> ").Append(Timestamp(end, decimalMarker)).Append('\n');
            // "-->" inside a cue would end it early in both formats.
            builder.Append(text.Replace("-->", "->", StringComparison.Ordinal)).Append("\n\n");
        }

        return builder.ToString();
    }

    /// <summary>The cues of one segment: itself, or its words gathered up to the cue width.</summary>
    private static IEnumerable<(double Start, double End, string Text)> Cues(TranscriptionSegment segment, SubtitleCues cues)
    {
        if (cues.MaxCharacters is not { } width || segment.Words.Count == 0)
        {
            yield return (segment.Start, segment.End, segment.Text.Trim());
            yield break;
        }

        var first = 0;
        for (var i = 1; i <= segment.Words.Count; i++)
        {
            var joined = i < segment.Words.Count ? Text(segment.Words, first, i + 1) : null;
            if (joined is null || joined.Length > width)
            {
                yield return (segment.Words[first].Start, segment.Words[i - 1].End, Text(segment.Words, first, i));
                first = i;
            }
        }
    }

    private static string Text(IReadOnlyList<TranscriptionWord> words, int first, int end) =>
        string.Concat(words.Skip(first).Take(end - first).Select(word => word.Word)).Trim();
}
