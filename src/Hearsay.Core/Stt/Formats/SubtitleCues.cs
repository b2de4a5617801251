namespace Hearsay.Core.Stt.Formats;

/// <summary>How SubRip and WebVTT subtitles are cut into cues: one per segment (OpenAI's), one per word, or lines of
/// whole words up to a number of characters. Cutting at words needs a transcription with
/// <see cref="TranscribeOptions.WordTimestamps"/>.</summary>
public sealed record SubtitleCues
{
    private SubtitleCues(int? maxCharacters) => MaxCharacters = maxCharacters;

    /// <summary>One cue per segment, as OpenAI writes them.</summary>
    public static SubtitleCues Segments { get; } = new((int?)null);

    /// <summary>One cue per word.</summary>
    public static SubtitleCues Words { get; } = new(0);

    /// <summary>The longest cue text in characters when cues are cut at words; 0 for one word per cue; null for one cue
    /// per segment.</summary>
    public int? MaxCharacters { get; }

    /// <summary>Cues of whole words, as many as fit in <paramref name="maxCharacters"/> characters (a longer word has a
    /// cue of its own); a cue never spans two segments.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCharacters"/> is not positive.</exception>
    public static SubtitleCues Lines(int maxCharacters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCharacters);
        return new SubtitleCues(maxCharacters);
    }
}
