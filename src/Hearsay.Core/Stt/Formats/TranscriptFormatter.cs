using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hearsay.Core.Stt.Formats;

/// <summary>Writes a <see cref="Transcription"/> in the exact shapes of OpenAI's transcription API.</summary>
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

    /// <summary>The HTTP content type OpenAI answers each format with.</summary>
    public static string ContentType(TranscriptFormat format) => format switch
    {
        TranscriptFormat.Json or TranscriptFormat.VerboseJson => "application/json",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>Formats <paramref name="transcription"/>.</summary>
    /// <param name="transcription">The result.</param>
    /// <param name="format">The shape.</param>
    /// <param name="task">Reported by <c>verbose_json</c>.</param>
    public static string Format(Transcription transcription, TranscriptFormat format, TranscriptionTask task = TranscriptionTask.Transcribe)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        return format switch
        {
            TranscriptFormat.Json => Json(writer => writer.WriteString("text", transcription.Text.Trim())),
            TranscriptFormat.Text => transcription.Text.Trim() + "\n",
            TranscriptFormat.Srt => Subtitles(transcription, header: null, decimalMarker: ','),
            TranscriptFormat.Vtt => Subtitles(transcription, header: "WEBVTT\n\n", decimalMarker: '.'),
            TranscriptFormat.VerboseJson => Json(writer => WriteVerbose(writer, transcription, task)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>Writes one segment's ten <c>verbose_json</c> fields as an object.</summary>
    public static void WriteSegment(Utf8JsonWriter writer, TranscriptionSegment segment)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(segment);
        writer.WriteStartObject();
        writer.WriteNumber("id", segment.Id);
        writer.WriteNumber("seek", segment.Seek);
        writer.WriteNumber("start", segment.Start);
        writer.WriteNumber("end", segment.End);
        writer.WriteString("text", segment.Text);
        writer.WriteStartArray("tokens");
        foreach (var token in segment.Tokens)
        {
            writer.WriteNumberValue(token);
        }

        writer.WriteEndArray();
        writer.WriteNumber("temperature", segment.Temperature);
        writer.WriteNumber("avg_logprob", segment.AvgLogprob);
        writer.WriteNumber("compression_ratio", segment.CompressionRatio);
        writer.WriteNumber("no_speech_prob", segment.NoSpeechProb);
        writer.WriteEndObject();
    }

    /// <summary>A time as SubRip (<c>00:01:02,345</c>) or WebVTT (<c>00:01:02.345</c>) writes it.</summary>
    public static string Timestamp(double seconds, char decimalMarker)
    {
        var milliseconds = (long)Math.Round(Math.Max(0, seconds) * 1000);
        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var secs = milliseconds / 1000 % 60;
        return string.Create(CultureInfo.InvariantCulture, $"{hours:00}:{minutes:00}:{secs:00}{decimalMarker}{milliseconds % 1000:000}");
    }

    private static void WriteVerbose(Utf8JsonWriter writer, Transcription transcription, TranscriptionTask task)
    {
        writer.WriteString("task", task == TranscriptionTask.Translate ? "translate" : "transcribe");
        // OpenAI reports a translation's output language, which is always English, not the detected input language.
        writer.WriteString("language", task == TranscriptionTask.Translate ? "english" : WhisperLanguages.NameOf(transcription.Language));
        writer.WriteNumber("duration", transcription.Duration);
        writer.WriteString("text", transcription.Text.Trim());
        writer.WriteStartArray("segments");
        foreach (var segment in transcription.Segments)
        {
            WriteSegment(writer, segment);
        }

        writer.WriteEndArray();
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

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
