namespace Hearsay.Client;

/// <summary>Per-request transcription settings; null means the server's default.</summary>
public sealed record TranscriptionOptions
{
    /// <summary>The model: <c>whisper-1</c> (the server's configured model) or its catalog id.</summary>
    /// <value>The default is <c>whisper-1</c>.</value>
    public string Model { get; init; } = "whisper-1";

    /// <summary>The spoken language (ISO 639-1), or null to detect it. Not used by translations.</summary>
    public string? Language { get; init; }

    /// <summary>Text that precedes the audio: names, spellings, style.</summary>
    public string? Prompt { get; init; }

    /// <summary>The first sampling temperature, 0 to 1.</summary>
    public double? Temperature { get; init; }

    /// <summary>The timestamps asked for; <see cref="TimestampGranularities.Word"/> adds word times. Not used by translations.</summary>
    /// <value>The default, <see cref="TimestampGranularities.None"/>, is the server's: segments.</value>
    public TimestampGranularities TimestampGranularities { get; init; }

    /// <summary>
    /// Cuts <c>srt</c> and <c>vtt</c> cues into lines of whole words up to this many characters (Hearsay's
    /// <c>max_line_width</c>, after openai-whisper's option), never across segments; only for those two formats.
    /// </summary>
    /// <value>The default, null, keeps a cue per segment (or per word, with <see cref="TimestampGranularities.Word"/>).</value>
    public int? MaxLineWidth { get; init; }
}
