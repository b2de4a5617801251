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
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is a JSON format.</exception>
    public static string FormatText(Transcription transcription, TranscriptFormat format)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        return format switch
        {
            TranscriptFormat.Text => transcription.Text.Trim() + "\n",
            TranscriptFormat.Srt => Subtitles(transcription, header: null, decimalMarker: ','),
            TranscriptFormat.Vtt => Subtitles(transcription, header: "WEBVTT\n\n", decimalMarker: '.'),
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

    private static string Subtitles(Transcription transcription, string? header, char decimalMarker)
    {
        var builder = new StringBuilder(header);
        var cue = 0;
        // Segments Whisper emptied (no text, or zero length) would be blank cues.
        foreach (var segment in transcription.Segments.Where(segment => segment.Text.Trim().Length > 0))
        {
            if (header is null)
            {
                builder.Append(++cue).Append('\n');
            }

            builder.Append(Timestamp(segment.Start, decimalMarker)).Append(" --> ").Append(Timestamp(segment.End, decimalMarker)).Append('\n');
            // "-->" inside a cue would end it early in both formats.
            builder.Append(segment.Text.Trim().Replace("-->", "->", StringComparison.Ordinal)).Append("\n\n");
        }

        return builder.ToString();
    }
}
