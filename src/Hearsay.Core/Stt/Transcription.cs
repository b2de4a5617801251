namespace Hearsay.Core.Stt;

/// <summary>A finished transcription.</summary>
/// <param name="Text">The whole text.</param>
/// <param name="Language">The language code used (given or detected).</param>
/// <param name="Duration">Length of the input in seconds.</param>
/// <param name="Segments">The segments in order.</param>
public sealed record Transcription(string Text, string Language, double Duration, IReadOnlyList<TranscriptionSegment> Segments)
{
    /// <summary>Every segment's words in order; empty unless <see cref="TranscribeOptions.WordTimestamps"/> asked for them.</summary>
    public IEnumerable<TranscriptionWord> Words => Segments.SelectMany(segment => segment.Words);
}

/// <summary>How far a transcription has come.</summary>
/// <param name="Processed">Input time read and decoded so far.</param>
/// <param name="Total">The input's length, when known.</param>
/// <param name="Language">The language, once given or detected.</param>
public readonly record struct TranscriptionProgress(TimeSpan Processed, TimeSpan? Total, string? Language);
