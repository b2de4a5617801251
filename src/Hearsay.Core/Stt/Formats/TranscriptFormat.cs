namespace Hearsay.Core.Stt.Formats;

/// <summary>The response formats of OpenAI's transcription API.</summary>
public enum TranscriptFormat
{
    /// <summary><c>{"text": "…"}</c>.</summary>
    Json,

    /// <summary>The text alone.</summary>
    Text,

    /// <summary>SubRip subtitles.</summary>
    Srt,

    /// <summary>WebVTT subtitles.</summary>
    Vtt,

    /// <summary>Task, language, duration, text and every segment's ten fields.</summary>
    VerboseJson,
}
