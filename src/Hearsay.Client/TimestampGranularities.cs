namespace Hearsay.Client;

/// <summary>The timestamps a transcription is asked for (OpenAI's <c>timestamp_granularities[]</c>).</summary>
[Flags]
public enum TimestampGranularities
{
    /// <summary>Nothing asked for: the server's default, segments.</summary>
    None = 0,

    /// <summary>Segment times, in <see cref="Contracts.Audio.VerboseTranscription.Segments"/>.</summary>
    Segment = 1,

    /// <summary>
    /// Word times, in <see cref="Contracts.Audio.VerboseTranscription.Words"/> (segments still come too); <c>srt</c> and
    /// <c>vtt</c> get a cue per word. Only <c>verbose_json</c>, <c>srt</c> and <c>vtt</c> take it (the server answers
    /// 400 otherwise), and only a model running on Hearsay's own decoder can align words.
    /// </summary>
    Word = 2,
}
